import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type DragEvent, type FormEvent } from "react";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { formatBytes, kapi, uploadFile, type Source } from "./client";

const STATUS_TONE = { queued: "neutral", indexing: "accent", ready: "success", failed: "danger" } as const;
const ACCEPT = ".md,.markdown,.txt,.html,.htm,.pdf,text/markdown,text/plain,text/html,application/pdf";

export function StatusBadge({ s }: { s: Source }) {
  return (
    <span className="flex min-w-32 flex-col gap-1">
      <Badge tone={STATUS_TONE[s.status]}>{s.status === "indexing" ? `indexing ${s.progress}%` : s.status}</Badge>
      {(s.status === "indexing" || s.status === "queued") && (
        <span
          className="h-1 w-full overflow-hidden rounded bg-subtle"
          role="progressbar"
          aria-label={`Indexing ${s.title}`}
          aria-valuenow={s.progress}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <span className="block h-full bg-accent transition-all" style={{ width: `${Math.max(4, s.progress)}%` }} />
        </span>
      )}
      {s.status === "failed" && s.error && <span className="text-xs text-danger">{s.error}</span>}
    </span>
  );
}

interface Uploading {
  name: string;
  pct: number;
  error?: string;
}

export function SourcesPanel({ collections }: { collections: string[] }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("knowledge:manage");
  const pager = useCursor();
  const [collection, setCollection] = useState("");
  const [target, setTarget] = useState("default");
  const [uploads, setUploads] = useState<Uploading[]>([]);
  const [dragging, setDragging] = useState(false);
  const [url, setUrl] = useState("");
  const [confirm, setConfirm] = useState<Source | null>(null);
  const [editing, setEditing] = useState<Source | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const qs = new URLSearchParams({ limit: "20", ...(pager.cursor ? { cursor: pager.cursor } : {}), ...(collection ? { collection } : {}) });
  const list = useQuery({
    queryKey: tkey(ws.id, "knowledge", "sources", qs.toString()),
    queryFn: () => kapi<{ data: Source[]; next_cursor: string | null }>("GET", `/knowledge/sources?${qs}`),
    // Poll while anything is still being indexed so status and progress move on their own.
    refetchInterval: (q) => (q.state.data?.data.some((s) => s.status === "queued" || s.status === "indexing") ? 1500 : false),
  });
  const invalidate = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "knowledge") });

  async function send(files: FileList | File[]) {
    for (const file of Array.from(files)) {
      setUploads((u) => [...u, { name: file.name, pct: 0 }]);
      const set = (patch: Partial<Uploading>) => setUploads((u) => u.map((x) => (x.name === file.name ? { ...x, ...patch } : x)));
      try {
        await uploadFile(file, target || "default", (pct) => set({ pct }));
        set({ pct: 100 });
        toast.success(`${file.name} uploaded; indexing started`);
        setTimeout(() => setUploads((u) => u.filter((x) => x.name !== file.name)), 1500);
      } catch (e) {
        set({ error: errorMessage(e) });
      }
      invalidate();
    }
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) void send(e.dataTransfer.files);
  };
  const importUrl = useMutation({
    mutationFn: () => kapi<Source>("POST", "/knowledge/sources/url", { url, collection: target || "default" }),
    onSuccess: (s) => (toast.success(`Imported “${s.title}”`), setUrl(""), invalidate()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const reindex = useMutation({
    mutationFn: (s: Source) => kapi<Source>("POST", `/knowledge/sources/${s.id}/reindex`),
    onSuccess: () => (toast.info("Re-indexing queued"), invalidate()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (s: Source) => kapi<void>("DELETE", `/knowledge/sources/${s.id}`),
    onSuccess: () => (toast.success("Source deleted"), setConfirm(null), invalidate()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const download = async (s: Source) => {
    const res = await fetch(`/api/v1/knowledge/sources/${s.id}/original`, {
      headers: { Authorization: `Bearer ${(await import("../../lib/session")).getAccessToken() ?? ""}`, "X-Tenant-ID": ws.id },
    });
    if (!res.ok) return toast.error("The original could not be downloaded.");
    const a = document.createElement("a");
    a.href = URL.createObjectURL(await res.blob());
    a.download = s.title;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  const columns: Column<Source>[] = [
    {
      key: "title",
      header: "Source",
      sort: (s) => s.title.toLowerCase(),
      cell: (s) => (
        <span className="flex flex-col">
          <span className="font-medium">{s.title}</span>
          <span className="text-xs text-muted">
            {s.kind === "faq" ? "FAQ entry" : s.kind === "url" ? s.url : `${s.mime_type} · ${formatBytes(s.size_bytes)}`}
          </span>
        </span>
      ),
    },
    { key: "status", header: "Status", sort: (s) => s.status, cell: (s) => <StatusBadge s={s} /> },
    { key: "collection", header: "Collection", hideOnMobile: true, sort: (s) => s.collection, cell: (s) => <Badge>{s.collection}</Badge> },
    { key: "chunks", header: "Chunks", hideOnMobile: true, sort: (s) => s.chunk_count, cell: (s) => s.chunk_count },
    {
      key: "updated",
      header: "Updated",
      hideOnMobile: true,
      sort: (s) => s.updated_at,
      cell: (s) => (
        <time dateTime={s.updated_at} className="text-muted">
          {formatRelative(s.updated_at)}
        </time>
      ),
    },
    {
      key: "actions",
      header: "Actions",
      cell: (s) => (
        <span className="flex flex-wrap gap-1">
          {s.kind === "faq" && canManage && (
            <Button size="sm" variant="ghost" onClick={() => setEditing(s)} aria-label={`Edit ${s.title}`}>
              Edit
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={() => download(s)} aria-label={`Download the original of ${s.title}`}>
            Original
          </Button>
          {canManage && (
            <Button size="sm" variant="ghost" onClick={() => reindex.mutate(s)} aria-label={`Re-index ${s.title}`}>
              Re-index
            </Button>
          )}
          {canManage && (
            <Button size="sm" variant="ghost" className="text-danger" onClick={() => setConfirm(s)} aria-label={`Delete ${s.title}`}>
              Delete
            </Button>
          )}
        </span>
      ),
    },
  ];

  return (
    <div className="space-y-6">
      {canManage && (
        <Card
          title="Add knowledge"
          description="Markdown, plain text, HTML or PDF up to 10 MB, or a web page by URL. Indexing runs in the background."
        >
          <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
            <div
              onDragOver={(e) => (e.preventDefault(), setDragging(true))}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
              className={`flex min-h-36 flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed p-6 text-center transition ${dragging ? "border-accent bg-accent-soft" : "border-line"}`}
              data-testid="dropzone"
            >
              <p className="font-medium">Drop files here</p>
              <p className="text-sm text-muted">or</p>
              <Button variant="secondary" onClick={() => fileInput.current?.click()}>
                Choose files…
              </Button>
              <input
                ref={fileInput}
                type="file"
                multiple
                accept={ACCEPT}
                className="sr-only"
                aria-label="Upload files"
                onChange={(e) => e.target.files && (void send(e.target.files), (e.target.value = ""))}
              />
              {uploads.length > 0 && (
                <ul className="mt-2 w-full space-y-2 text-left text-sm" aria-live="polite">
                  {uploads.map((u) => (
                    <li key={u.name}>
                      <span className="flex justify-between">
                        <span>{u.name}</span>
                        <span className={u.error ? "text-danger" : "text-muted"}>{u.error ?? `${u.pct}%`}</span>
                      </span>
                      {!u.error && (
                        <span
                          className="block h-1.5 overflow-hidden rounded bg-subtle"
                          role="progressbar"
                          aria-label={`Uploading ${u.name}`}
                          aria-valuenow={u.pct}
                          aria-valuemin={0}
                          aria-valuemax={100}
                        >
                          <span className="block h-full bg-accent" style={{ width: `${u.pct}%` }} />
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div className="space-y-4">
              <Field label="Collection" hint="Group sources (e.g. support, sales); search and the widget can be limited to one.">
                <Input
                  value={target}
                  onChange={(e) => setTarget(e.target.value.toLowerCase())}
                  pattern="[a-z0-9][a-z0-9_-]{0,39}"
                  list="kb-collections"
                />
              </Field>
              <datalist id="kb-collections">
                {collections.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
              <form className="space-y-2" onSubmit={(e: FormEvent) => (e.preventDefault(), importUrl.mutate())}>
                <Field label="Import a web page" hint="Fetched by the server; needs its network access.">
                  <Input type="url" placeholder="https://example.com/help" value={url} onChange={(e) => setUrl(e.target.value)} required />
                </Field>
                <Button type="submit" variant="secondary" loading={importUrl.isPending}>
                  Import URL
                </Button>
              </form>
            </div>
          </div>
        </Card>
      )}
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="flex flex-wrap items-end justify-between gap-3 border-b border-line p-4">
          <h2 className="text-base font-semibold">Sources</h2>
          <Field label="Collection filter" className="w-48">
            <Select value={collection} onChange={(e) => (setCollection(e.target.value), pager.reset())}>
              <option value="">All collections</option>
              {collections.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <>
            <Table
              caption="Knowledge sources"
              columns={columns}
              rows={list.data.data}
              rowKey={(s) => s.id}
              empty={
                <EmptyState title="No knowledge yet">
                  Upload your help articles, policies or product sheets, or write FAQ entries — answers will be grounded in them.
                </EmptyState>
              }
            />
            <Pager
              page={pager.page}
              hasPrev={pager.hasPrev}
              hasNext={!!list.data.next_cursor}
              onPrev={pager.prev}
              onNext={() => pager.next(list.data.next_cursor)}
            />
          </>
        )}
      </section>
      <ConfirmDialog
        open={!!confirm}
        title="Delete this source?"
        confirmLabel="Delete source"
        busy={remove.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() => confirm && remove.mutate(confirm)}
      >
        “{confirm?.title}” and everything indexed from it (chunks, search and vector entries, the stored original) will be removed. Answers
        will no longer cite it.
      </ConfirmDialog>
      {editing && <FaqDialog source={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

/** Create or edit an FAQ entry. */
export function FaqDialog({ source, onClose }: { source?: Source; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const existing = useQuery({
    queryKey: tkey(ws.id, "knowledge", "source", source?.id),
    queryFn: () => kapi<Source>("GET", `/knowledge/sources/${source!.id}`),
    enabled: !!source,
  });
  const [question, setQuestion] = useState<string | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [collection, setCollection] = useState(source?.collection ?? "default");
  const q = question ?? existing.data?.faq?.question ?? "";
  const a = answer ?? existing.data?.faq?.answer ?? "";
  const save = useMutation({
    mutationFn: () =>
      source
        ? kapi<Source>("PATCH", `/knowledge/sources/${source.id}`, { question: q, answer: a, collection })
        : kapi<Source>("POST", "/knowledge/sources/faq", { question: q, answer: a, collection }),
    onSuccess: () => (
      toast.success(source ? "FAQ updated; re-indexing" : "FAQ entry added"),
      qc.invalidateQueries({ queryKey: tkey(ws.id, "knowledge") }),
      onClose()
    ),
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={source ? "Edit FAQ entry" : "New FAQ entry"}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button form="faq-form" type="submit" loading={save.isPending}>
            {source ? "Save and re-index" : "Add entry"}
          </Button>
        </>
      }
    >
      <form id="faq-form" className="space-y-4" onSubmit={(e) => (e.preventDefault(), save.mutate())}>
        <Field label="Question">
          <Input value={q} onChange={(e) => setQuestion(e.target.value)} required minLength={3} maxLength={500} />
        </Field>
        <Field label="Answer" hint="Plain text or Markdown.">
          <Textarea rows={6} value={a} onChange={(e) => setAnswer(e.target.value)} required />
        </Field>
        <Field label="Collection">
          <Input value={collection} onChange={(e) => setCollection(e.target.value.toLowerCase())} pattern="[a-z0-9][a-z0-9_-]{0,39}" />
        </Field>
      </form>
    </Dialog>
  );
}
