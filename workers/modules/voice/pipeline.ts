import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { salesCallProposals, salesCalls, type ProposalPayload } from "../../../schema/voice";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { getFileMeta, readFile } from "../files";
import { getLeadContext, recordActivity } from "../sales";
import { analyseCall, type AnalysisResult } from "./analysis";
import type { CallRow } from "./calls.service";
import type { CallFacts } from "./extract";
import { speechAdapterFor, type SpeechAdapter } from "./speech";
import { transcriptText } from "./transcript-formats";

/**
 * The background part (ctx.waitUntil after the upload answers): transcribe a pending recording,
 * then analyse the transcript and write the proposals. Each step moves the status forward with a
 * conditional UPDATE, so a second run of the same call does nothing twice; an error ends in
 * `failed` with its reason (the call page shows it and offers "Try again").
 */

const log = createLogger({ module: "voice" });

const reasonOf = (e: unknown) => {
  const p = e as { detail?: string; message?: string };
  return String(p?.detail ?? p?.message ?? e).slice(0, 500);
};

async function fail(db: Db, call: CallRow, reason: string) {
  log.warn("voice_call_failed", { tenant_id: call.tenantId, call_id: call.id, reason });
  await db
    .update(salesCalls)
    .set({ status: "failed", failureReason: reason, updatedAt: Date.now() })
    .where(and(eq(salesCalls.tenantId, call.tenantId), eq(salesCalls.id, call.id)));
}

async function load(db: Db, tenantId: string, id: string) {
  return db
    .select()
    .from(salesCalls)
    .where(and(eq(salesCalls.tenantId, tenantId), eq(salesCalls.id, id)))
    .get();
}

/** Transcribes a pending recording with the configured speech adapter. */
export async function transcribeCall(
  env: Env,
  db: Db,
  call: CallRow,
  adapter: SpeechAdapter = speechAdapterFor(env),
): Promise<CallRow | null> {
  if (!call.fileId) {
    await fail(db, call, "The recording is missing.");
    return null;
  }
  try {
    const [meta, obj] = await Promise.all([getFileMeta(env, call.tenantId, call.fileId), readFile(env, call.tenantId, call.fileId)]);
    if (!obj) throw new Error("The recording is no longer stored.");
    const bytes = new Uint8Array(await obj.arrayBuffer());
    const t = await adapter.transcribe({ bytes, name: meta.name, contentType: meta.contentType });
    if (!t.segments.length) throw new Error("The speech model heard nothing in the recording.");
    const [row] = await db
      .update(salesCalls)
      .set({
        status: "transcribed",
        segments: t.segments,
        transcriptText: transcriptText(t.segments),
        durationMs: t.durationMs,
        speechProvider: `${adapter.provider}/${t.model}`,
        failureReason: null,
        updatedAt: Date.now(),
      })
      .where(and(eq(salesCalls.tenantId, call.tenantId), eq(salesCalls.id, call.id), eq(salesCalls.status, "pending")))
      .returning();
    return row ?? null;
  } catch (e) {
    await fail(db, call, `Transcription failed: ${reasonOf(e)}`);
    return null;
  }
}

/** The proposals of an analysis, in the order the call page shows them: tasks, tickets, the email. */
export function proposalRows(tenantId: string, callId: string, a: AnalysisResult, now: number): (typeof salesCallProposals.$inferInsert)[] {
  const rows: (typeof salesCallProposals.$inferInsert)[] = [];
  const add = (kind: "task" | "ticket" | "email", proposed: ProposalPayload) =>
    rows.push({
      tenantId,
      id: newId("prop"),
      callId,
      kind,
      position: rows.length,
      status: "proposed",
      proposed,
      createdAt: now,
      updatedAt: now,
    });
  for (const t of a.tasks)
    add("task", { title: t.title, ownerGuess: t.ownerGuess, dueAt: t.dueAt, dueText: t.dueText, quote: t.quote || null });
  for (const t of a.tickets) add("ticket", { title: t.title, body: t.body, priority: t.priority, quote: t.quote || null });
  if (a.email)
    add("email", {
      subject: a.email.subject,
      body: a.email.body,
      safety: a.emailSafety ? { action: a.emailSafety.action, rules: a.emailSafety.rules.map((r) => r.rule) } : null,
    });
  return rows;
}

/** Analyses a transcribed call: summary and action items on the call, proposals beside it, the call on the lead's timeline. */
export async function analyseTranscribed(env: Env, db: Db, call: CallRow): Promise<CallRow | null> {
  try {
    const ctx = call.leadId ? await getLeadContext(db, call.tenantId, call.leadId) : null;
    const facts: CallFacts = {
      title: call.title,
      occurredAt: call.occurredAt,
      segments: call.segments,
      lead: ctx ? { firstName: ctx.lead.firstName, lastName: ctx.lead.lastName, email: ctx.lead.email } : null,
    };
    const a = await analyseCall(env, db, call.tenantId, facts);
    const now = Date.now();
    // A proposal a person already decided on (accepted or dismissed) is not proposed again.
    const decided = await db
      .select({ kind: salesCallProposals.kind, proposed: salesCallProposals.proposed })
      .from(salesCallProposals)
      .where(
        and(
          eq(salesCallProposals.tenantId, call.tenantId),
          eq(salesCallProposals.callId, call.id),
          ne(salesCallProposals.status, "proposed"),
        ),
      );
    const seen = new Set(decided.map((d) => `${d.kind}:${(d.proposed.title ?? d.proposed.subject ?? "").toLowerCase()}`));
    const rows = proposalRows(call.tenantId, call.id, a, now).filter(
      (r) => !seen.has(`${r.kind}:${(r.proposed.title ?? r.proposed.subject ?? "").toLowerCase()}`),
    );
    const where = and(eq(salesCalls.tenantId, call.tenantId), eq(salesCalls.id, call.id), eq(salesCalls.status, "transcribed"));
    // One batch (one transaction): the proposals and the status together, so a reader never sees
    // "analysed" without its proposals. Proposals nobody decided on are replaced by this run's;
    // accepted and dismissed ones stay.
    const stmts: BatchItem<"sqlite">[] = [
      db.delete(salesCallProposals).where(
        and(
          eq(salesCallProposals.tenantId, call.tenantId),
          eq(salesCallProposals.callId, call.id),
          eq(salesCallProposals.status, "proposed"),
          // Only when this run's claim (the batch's first statement) took the call.
          sql`exists (select 1 from ${salesCalls} c where c.tenant_id = ${call.tenantId} and c.id = ${call.id} and c.status = 'analysed' and c.updated_at = ${now})`,
        ),
      ),
      ...rows.map((r) => db.insert(salesCallProposals).values(r)),
    ];
    if (call.leadId || call.dealId)
      stmts.push(
        recordActivity(db, call.tenantId, {
          leadId: call.leadId,
          dealId: call.dealId,
          kind: "call",
          actorId: call.createdBy,
          summary: `Call: ${call.title}`,
          data: { call_id: call.id, summary: a.summary.slice(0, 400), duration_ms: call.durationMs, source: call.source },
          occurredAt: call.occurredAt,
          dedupeKey: `voice_call:${call.id}`,
        }),
      );
    const claim = db
      .update(salesCalls)
      .set({
        status: "analysed",
        summary: a.summary,
        actionItems: a.actionItems,
        analysedBy: a.analysedBy,
        analysisLocal: a.local,
        aiCallId: a.callId,
        failureReason: null,
        updatedAt: now,
      })
      .where(where)
      .returning();
    const results = await db.batch([claim, ...stmts] as [typeof claim, ...BatchItem<"sqlite">[]]);
    const claimed = (results[0] as CallRow[])[0];
    if (!claimed) {
      // Another run analysed the call first (it was no longer "transcribed"): take back this run's rows.
      if (rows.length)
        await db.delete(salesCallProposals).where(
          and(
            eq(salesCallProposals.tenantId, call.tenantId),
            inArray(
              salesCallProposals.id,
              rows.map((r) => r.id),
            ),
          ),
        );
      return null;
    }
    return claimed;
  } catch (e) {
    await fail(db, call, `Analysis failed: ${reasonOf(e)}`);
    return null;
  }
}

/** Runs whatever the call still needs (transcription, analysis). Never throws: failures end in `failed`. */
export async function processCall(env: Env, tenantId: string, callId: string, adapter?: SpeechAdapter): Promise<void> {
  const db = getDb(env.DB);
  let call = await load(db, tenantId, callId);
  if (!call) return;
  if (call.status === "pending") call = (await transcribeCall(env, db, call, adapter)) ?? undefined;
  if (call?.status === "transcribed") await analyseTranscribed(env, db, call);
}
