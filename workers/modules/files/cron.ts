import { and, isNotNull, lt } from "drizzle-orm";
import { files } from "../../../schema/files";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import type { FilesEnv } from "./config";
import { purgeFiles, TRASH_MS } from "./files.service";
import { forgetStaleUploads } from "./multipart.service";

export const DAILY_FILES_CRON = "15 0 * * *";
const SYSTEM = { type: "system" as const, id: null, ip: null, userAgent: null };

/**
 * The daily cron (workers/index.ts scheduled()): deletes for good the files trashed more than 30
 * days before `now` (bytes, variants, rows, storage quota, `file.deleted` events), in pages of 200,
 * and forgets multipart uploads older than R2 keeps them. Tests call it with the time they want.
 */
export async function runFilesCron(cron: string, env: Env, now: number): Promise<{ purged: number; uploads: number }> {
  if (cron !== DAILY_FILES_CRON) return { purged: 0, uploads: 0 };
  const db = getDb(env.DB);
  let purged = 0;
  for (let round = 0; round < 25; round++) {
    const due = await db
      .select({ tenantId: files.tenantId, id: files.id })
      .from(files)
      .where(and(isNotNull(files.trashedAt), lt(files.trashedAt, now - TRASH_MS)))
      .limit(200);
    if (!due.length) break;
    const byTenant = new Map<string, string[]>();
    for (const d of due) byTenant.set(d.tenantId, [...(byTenant.get(d.tenantId) ?? []), d.id]);
    for (const [tenantId, ids] of byTenant) purged += await purgeFiles(env as FilesEnv, db, tenantId, ids, SYSTEM);
  }
  const uploads = await forgetStaleUploads(env as FilesEnv, db, now);
  return { purged, uploads };
}
