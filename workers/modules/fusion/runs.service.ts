import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { fusionDocuments, fusionRuns, type FusionSourceRef } from "../../../schema/fusion";
import { tenantScope, type Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { fuse } from "./assemble";
import { confidenceOf } from "./candidate";
import { writeDocuments, type Written } from "./generate";
import { contentTerms, overlap, type Conversation } from "./signals";
import { gatherConversations } from "./sources";

/**
 * A fusion run: read the sources (new since the last finished run, or a chosen set), find topics,
 * write documents, and store them — idempotently: a document is keyed by kind + topic, so the same
 * sources update the draft they made (or change nothing), never add a copy. Documents a person has
 * edited, reviewed or published are left alone.
 */

const log = createLogger({ component: "fusion-runs" });
type RunRow = typeof fusionRuns.$inferSelect;
type DocRow = typeof fusionDocuments.$inferSelect;
const STALE_RUN_MS = 10 * 60_000; // a run not finished after this is taken to have died

export async function getRun(db: Db, tenantId: string, id: string): Promise<RunRow> {
  const row = await db
    .select()
    .from(fusionRuns)
    .where(tenantScope(db, tenantId).where(fusionRuns, eq(fusionRuns.id, id)))
    .get();
  if (!row) throw notFound("Fusion run");
  return row;
}

export async function listRuns(db: Db, tenantId: string, q: PageQuery) {
  const k = keyset(fusionRuns.createdAt, fusionRuns.id, q.cursor);
  const rows = await db
    .select()
    .from(fusionRuns)
    .where(tenantScope(db, tenantId).where(fusionRuns, k.where))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1)
    .all();
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => r,
  );
}

/**
 * Starts a run, or returns the one already going (two clicks make one run). `chosen` limits it to
 * those transcripts/threads; otherwise it reads what is new since the last finished run.
 */
export async function startRun(
  db: Db,
  tenantId: string,
  input: { transcripts?: string[]; threads?: string[] },
  createdBy: string | null,
): Promise<{ run: RunRow; started: boolean }> {
  const now = Date.now();
  const active = await db
    .select()
    .from(fusionRuns)
    .where(tenantScope(db, tenantId).where(fusionRuns, inArray(fusionRuns.status, ["queued", "running"])))
    .orderBy(desc(fusionRuns.createdAt))
    .get();
  if (active && now - active.createdAt < STALE_RUN_MS) return { run: active, started: false };
  const chosen = input.transcripts || input.threads ? { transcripts: input.transcripts ?? [], threads: input.threads ?? [] } : null;
  let since: number | null = null;
  if (!chosen) {
    const last = await db
      .select({ at: fusionRuns.latestSourceAt })
      .from(fusionRuns)
      .where(
        tenantScope(db, tenantId).where(
          fusionRuns,
          eq(fusionRuns.status, "done"),
          eq(fusionRuns.scope, "new"),
          isNotNull(fusionRuns.latestSourceAt),
        ),
      )
      .orderBy(desc(fusionRuns.latestSourceAt))
      .get();
    since = last?.at != null ? last.at + 1 : null;
  }
  const run: RunRow = {
    tenantId,
    id: newId("frun"),
    status: "queued",
    scope: chosen ? "chosen" : "new",
    since,
    chosen,
    progress: 0,
    stage: "queued",
    transcripts: 0,
    threads: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    kept: 0,
    generator: null,
    transcriptsAvailable: true,
    latestSourceAt: null,
    error: null,
    createdBy,
    startedAt: null,
    finishedAt: null,
    createdAt: now,
  };
  if (active)
    await db
      .update(fusionRuns)
      .set({ status: "failed", error: "Did not finish in time.", finishedAt: now })
      .where(eq(fusionRuns.id, active.id));
  await db.insert(fusionRuns).values(run);
  return { run, started: true };
}

const refKey = (r: FusionSourceRef) => `${r.type}:${r.id}:${r.role}:${r.quote}`;

/** FAQs are keyed by their question's terms: a reworded question of the same topic finds its document. */
function matchExisting(c: Written, existing: DocRow[]): DocRow | undefined {
  const exact = existing.find((d) => d.kind === c.kind && d.topicKey === c.topicKey);
  if (exact || c.kind !== "faq") return exact;
  const t = c.topicKey.split(" ");
  return existing.find((d) => d.kind === "faq" && overlap(d.topicKey.split(" "), t) >= 0.6);
}

/** Older evidence a refreshed draft keeps, as pseudo-conversations for the confidence. */
const asConv = (r: FusionSourceRef): Conversation => ({
  type: r.type,
  id: r.id,
  title: r.title,
  leadId: r.leadId,
  occurredAt: r.occurredAt,
  utterances: [],
});

async function store(db: Db, tenantId: string, runId: string, docs: Written[]) {
  const counts = { created: 0, updated: 0, unchanged: 0, kept: 0 };
  const existing = docs.length
    ? await db
        .select()
        .from(fusionDocuments)
        .where(tenantScope(db, tenantId).where(fusionDocuments, inArray(fusionDocuments.kind, [...new Set(docs.map((d) => d.kind))])))
        .all()
    : [];
  const now = Date.now();
  for (const c of docs) {
    const old = matchExisting(c, existing);
    if (!old) {
      const row: DocRow = {
        tenantId,
        id: newId("kdoc"),
        kind: c.kind,
        topicKey: c.topicKey,
        title: c.title.slice(0, 300),
        body: c.body,
        sources: c.sources,
        confidence: c.confidence,
        confidenceBasis: c.basis,
        aiGenerated: true,
        generator: c.generator,
        safetyAction: c.safetyAction,
        status: "draft",
        knowledgeSourceId: null,
        viewCount: 0,
        runId,
        editedBy: null,
        editedAt: null,
        reviewedBy: null,
        reviewedAt: null,
        publishedBy: null,
        publishedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await db.insert(fusionDocuments).values(row).onConflictDoNothing();
      existing.push(row);
      counts.created++;
      continue;
    }
    if (old.status !== "draft" || !old.aiGenerated) {
      counts.kept++;
      continue;
    }
    const known = new Set(old.sources.map(refKey));
    const fresh = c.sources.filter((r) => !known.has(refKey(r)));
    if (!fresh.length) {
      counts.unchanged++;
      continue;
    }
    // New evidence for an untouched draft: the new text, the older quotes kept below it, the confidence over all.
    const mine = new Set(c.sources.map(refKey));
    const older = old.sources.filter((r) => !mine.has(refKey(r)));
    const all = [...c.sources, ...older];
    const { confidence, basis } = confidenceOf(
      all.filter((r) => r.role === "evidence").map((r) => ({ conv: asConv(r) })),
      c.basis.agreement,
      c.basis.note.split(" in ")[0] ?? "Heard",
    );
    const body = older.length
      ? `${c.body}\n\n## Earlier evidence\n${older
          .filter((r) => r.role === "evidence")
          .map((r) => `- “${r.quote}” — ${r.title}`)
          .join("\n")}`
      : c.body;
    await db
      .update(fusionDocuments)
      .set({
        title: c.title.slice(0, 300),
        body,
        sources: all,
        confidence,
        confidenceBasis: basis,
        generator: c.generator,
        safetyAction: c.safetyAction,
        runId,
        updatedAt: now,
      })
      .where(
        and(
          eq(fusionDocuments.tenantId, tenantId),
          eq(fusionDocuments.id, old.id),
          eq(fusionDocuments.status, "draft"),
          eq(fusionDocuments.aiGenerated, true),
        ),
      );
    counts.updated++;
  }
  return counts;
}

async function progress(db: Db, id: string, set: Partial<RunRow>) {
  await db.update(fusionRuns).set(set).where(eq(fusionRuns.id, id));
}

/** Does the run's work (in the background: waitUntil after the 202). Never throws: a failure is written on the run. */
export async function executeRun(env: Env, db: Db, tenantId: string, runId: string): Promise<RunRow> {
  const run = await getRun(db, tenantId, runId);
  if (run.status !== "queued") return run;
  try {
    await progress(db, runId, { status: "running", stage: "Reading calls and email threads", progress: 10, startedAt: Date.now() });
    const g = await gatherConversations(db, tenantId, run.chosen ? { chosen: run.chosen } : { since: run.since ?? undefined });
    await progress(db, runId, {
      stage: "Finding topics",
      progress: 40,
      transcripts: g.transcripts,
      threads: g.threads,
      transcriptsAvailable: g.transcriptsAvailable,
    });
    const tenant = await getTenant(db, tenantId).catch(() => null);
    const ours = new Set(["weft", ...(tenant ? [tenant.name.toLowerCase(), ...contentTerms(tenant.name)] : [])]);
    const candidates = fuse(g.conversations, ours);
    await progress(db, runId, { stage: `Writing ${candidates.length} document${candidates.length === 1 ? "" : "s"}`, progress: 60 });
    const { docs, generator } = await writeDocuments(env, db, tenantId, candidates);
    await progress(db, runId, { stage: "Saving", progress: 85, generator });
    const counts = await store(db, tenantId, runId, docs);
    const done = {
      status: "done" as const,
      stage: "Done",
      progress: 100,
      ...counts,
      latestSourceAt: g.latestAt ?? (run.since != null ? run.since - 1 : null),
      finishedAt: Date.now(),
    };
    await progress(db, runId, done);
    return { ...run, ...done, transcripts: g.transcripts, threads: g.threads, generator };
  } catch (e) {
    log.error("fusion_run_failed", { tenant_id: tenantId, run_id: runId, error: String(e) });
    const failed = {
      status: "failed" as const,
      stage: "Failed",
      error: String((e as Error).message ?? e).slice(0, 500),
      finishedAt: Date.now(),
    };
    await progress(db, runId, failed).catch(() => undefined);
    return { ...run, ...failed };
  }
}
