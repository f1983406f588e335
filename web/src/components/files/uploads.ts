import { useSyncExternalStore } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { getTenantId } from "../../lib/session";
import { Cancelled, sendRaw, uploadSmall, type XhrHandle } from "./client";
import { filesApi } from "./files-api";
import type { FileItem, UploadPart } from "./types";

/**
 * The upload queue of the file manager: every file gets a row with its own progress and cancel.
 * Files under 95 MiB go in one request; larger ones as a multipart upload in the server's part
 * size (5–10 MiB), several parts at a time. A part that fails on the network is retried after
 * asking the server which parts it already has, and the upload id is kept in localStorage, so the
 * same file dropped again after a reload continues where it stopped instead of starting over.
 */
export const MULTIPART_THRESHOLD = 95 * 1024 * 1024;
const PARALLEL_FILES = 3;
const PARALLEL_PARTS = 3;
const PART_ATTEMPTS = 4;

export type UploadState = "queued" | "uploading" | "done" | "failed" | "cancelled";
export interface UploadItem {
  key: string;
  name: string;
  size: number;
  sent: number;
  state: UploadState;
  multipart: boolean;
  /** Parts found on the server when a multipart upload was resumed. */
  resumedParts?: number;
  error?: string;
  /** The plan's storage limit stopped it (402): the row links to billing. */
  overQuota?: boolean;
  result?: FileItem;
  folderId: string | null;
}

interface Job {
  file: File;
  tags: string[];
  handles: Set<XhrHandle<unknown>>;
  cancelled: boolean;
  uploadId?: string;
  resumeKey?: string;
}

let items: UploadItem[] = [];
const jobs = new Map<string, Job>();
const subs = new Set<() => void>();
const finished = new Set<(f: FileItem) => void>();
let seq = 0;

const emit = () => {
  for (const f of subs) f();
};
function patch(key: string, p: Partial<UploadItem>) {
  items = items.map((i) => (i.key === key ? { ...i, ...p } : i));
  emit();
}

export function useUploads(): UploadItem[] {
  return useSyncExternalStore(
    (f) => {
      subs.add(f);
      return () => subs.delete(f);
    },
    () => items,
  );
}

/** Called with every file that finished uploading (the page refreshes its list and usage). */
export function onUploaded(f: (file: FileItem) => void) {
  finished.add(f);
  return () => finished.delete(f);
}

export function enqueueUploads(files: File[], opts: { folderId: string | null; tags?: string[] }) {
  for (const file of files) {
    const key = `u${++seq}`;
    jobs.set(key, { file, tags: opts.tags ?? [], handles: new Set(), cancelled: false });
    items = [
      ...items,
      {
        key,
        name: file.name,
        size: file.size,
        sent: 0,
        state: "queued",
        multipart: file.size >= MULTIPART_THRESHOLD,
        folderId: opts.folderId,
      },
    ];
  }
  emit();
  pump();
}

export function cancelUpload(key: string) {
  const job = jobs.get(key);
  const item = items.find((i) => i.key === key);
  if (!job || !item || (item.state !== "queued" && item.state !== "uploading")) return;
  job.cancelled = true;
  for (const h of job.handles) h.abort();
  // A cancelled multipart upload is aborted on the server too, so its parts stop counting.
  if (job.uploadId) void filesApi.abortUpload(job.uploadId).catch(() => undefined);
  if (job.resumeKey) localStorage.removeItem(job.resumeKey);
  patch(key, { state: "cancelled" });
}

/** Drops finished, failed and cancelled rows. */
export function clearFinished() {
  items = items.filter((i) => i.state === "queued" || i.state === "uploading");
  for (const k of [...jobs.keys()]) if (!items.some((i) => i.key === k)) jobs.delete(k);
  emit();
}

export function retryUpload(key: string) {
  const item = items.find((i) => i.key === key);
  const job = jobs.get(key);
  if (!item || !job || (item.state !== "failed" && item.state !== "cancelled")) return;
  job.cancelled = false;
  patch(key, { state: "queued", error: undefined, overQuota: undefined, sent: 0 });
  pump();
}

function pump() {
  const running = items.filter((i) => i.state === "uploading").length;
  const next = items.filter((i) => i.state === "queued").slice(0, Math.max(0, PARALLEL_FILES - running));
  for (const item of next) void run(item);
}

async function run(item: UploadItem) {
  const job = jobs.get(item.key);
  if (!job) return;
  patch(item.key, { state: "uploading" });
  try {
    const result = item.multipart ? await multipart(item, job) : await small(item, job);
    patch(item.key, { state: "done", sent: item.size, result });
    for (const f of finished) f(result);
  } catch (e) {
    if (!(e instanceof Cancelled) && !job.cancelled)
      patch(item.key, { state: "failed", error: errorMessage(e), overQuota: e instanceof ApiError && e.status === 402 });
  } finally {
    job.handles.clear();
    pump();
  }
}

async function small(item: UploadItem, job: Job): Promise<FileItem> {
  const h = uploadSmall(job.file, { folderId: item.folderId, tags: job.tags }, (sent) => patch(item.key, { sent }));
  job.handles.add(h);
  return h.promise;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const retriable = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status >= 500 || e.status === 429);

async function multipart(item: UploadItem, job: Job): Promise<FileItem> {
  const { file } = job;
  job.resumeKey = `weft.files.upload.${getTenantId()}.${item.folderId ?? "root"}.${file.name}.${file.size}.${file.lastModified}`;
  const done = new Map<number, UploadPart>();
  let up: { upload_id: string; part_size: number; part_count: number } | null = null;

  const saved = localStorage.getItem(job.resumeKey);
  if (saved) {
    try {
      const st = await filesApi.uploadStatus(saved);
      up = { upload_id: st.upload_id, part_size: st.part_size, part_count: st.part_count };
      for (const p of st.parts) done.set(p.part_number, p);
      patch(item.key, { resumedParts: st.parts.length });
    } catch {
      localStorage.removeItem(job.resumeKey); // expired or completed elsewhere: start afresh
    }
  }
  if (!up) {
    const started = await filesApi.startUpload({ name: file.name, size: file.size, folder_id: item.folderId, tags: job.tags });
    up = { upload_id: started.upload_id, part_size: started.part_size, part_count: started.part_count };
    localStorage.setItem(job.resumeKey, up.upload_id);
  }
  job.uploadId = up.upload_id;
  const { upload_id, part_size, part_count } = up;

  const inflight = new Map<number, number>();
  const report = () => {
    let sent = 0;
    for (const p of done.values()) sent += p.size;
    for (const s of inflight.values()) sent += s;
    patch(item.key, { sent: Math.min(sent, file.size) });
  };
  report();

  const sendPart = async (n: number) => {
    const blob = file.slice((n - 1) * part_size, Math.min(n * part_size, file.size));
    for (let attempt = 1; ; attempt++) {
      if (job.cancelled) throw new Cancelled();
      const h = sendRaw<UploadPart>("PUT", `/api/v1/files/uploads/${encodeURIComponent(upload_id)}/parts/${n}`, blob, (s) => {
        inflight.set(n, s);
        report();
      });
      job.handles.add(h);
      try {
        const part = await h.promise;
        done.set(n, part);
        return;
      } catch (e) {
        if (e instanceof Cancelled || job.cancelled || !retriable(e) || attempt >= PART_ATTEMPTS) throw e;
        await sleep(500 * 2 ** attempt);
        // The connection dropped: the part may have arrived anyway. Ask which parts the server holds.
        const st = await filesApi.uploadStatus(upload_id).catch(() => null);
        const stored = st?.parts.find((p) => p.part_number === n && p.size === blob.size);
        if (stored) {
          done.set(n, stored);
          return;
        }
      } finally {
        job.handles.delete(h);
        inflight.delete(n);
        report();
      }
    }
  };

  const todo = Array.from({ length: part_count }, (_, i) => i + 1).filter((n) => !done.has(n));
  const worker = async () => {
    for (let n = todo.shift(); n !== undefined; n = todo.shift()) await sendPart(n);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, todo.length) }, worker));
  } catch (e) {
    // One part gave up: stop the others too. The upload id stays saved, so Retry resumes from the stored parts.
    todo.length = 0;
    for (const h of job.handles) h.abort();
    throw e;
  }
  if (job.cancelled) throw new Cancelled();
  const result = await filesApi.completeUpload(upload_id);
  localStorage.removeItem(job.resumeKey);
  return result;
}
