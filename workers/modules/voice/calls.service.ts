import { and, asc, eq, or, sql } from "drizzle-orm";
import { salesCallProposals, salesCalls, type CallStatus, type TranscriptSegment } from "../../../schema/voice";
import { auditInsert, type Actor } from "../../platform/audit";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { deleteFile, storeFile } from "../files";
import { getDealRef, getLeadContext } from "../sales";
import { isAudio, MAX_RECORDING_BYTES, noSpeechProvider, speechAdapterFor } from "./speech";
import { detectFormat, durationOf, parseTranscript, transcriptText, type TranscriptFormat } from "./transcript-formats";

/**
 * Sales calls: an uploaded transcript (parsed at once) or a recording (stored by modules/files,
 * transcribed in the background by the speech adapter). Status: pending (waiting for the speech
 * adapter) → transcribed → analysed (analysis.ts; proposals written) / failed with the reason.
 */

export type CallRow = typeof salesCalls.$inferSelect;
export type ProposalRow = typeof salesCallProposals.$inferSelect;

export interface CallLinks {
  title?: string;
  leadId?: string | null;
  dealId?: string | null;
  occurredAt?: number;
}

const linkNotFound = (field: "lead_id" | "deal_id", id: string) =>
  new Problem(404, "not-found", "Not found", `${field === "lead_id" ? "Lead" : "Deal"} ${id} was not found in this workspace.`, {
    errors: [{ path: field, message: `no such ${field === "lead_id" ? "lead" : "deal"} in this workspace` }],
  });

/** The lead and deal ids checked against the workspace; a deal's lead fills in a missing lead. */
export async function checkLinks(db: Db, tenantId: string, leadId: string | null, dealId: string | null) {
  let lead = leadId;
  if (dealId) {
    const deal = await getDealRef(db, tenantId, dealId);
    if (!deal) throw linkNotFound("deal_id", dealId);
    lead ??= deal.leadId;
  }
  if (leadId && !(await getLeadContext(db, tenantId, leadId))) throw linkNotFound("lead_id", leadId);
  return { leadId: lead ?? null, dealId };
}

const userOf = (a: Actor) => (a.type === "user" ? a.id : null);

function baseRow(tenantId: string, input: CallLinks, userId: string | null, now: number) {
  return {
    tenantId,
    id: newId("call"),
    title: (input.title?.trim() || `Call on ${new Date(input.occurredAt ?? now).toISOString().slice(0, 10)}`).slice(0, 200),
    occurredAt: input.occurredAt ?? now,
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  };
}

async function insertCall(db: Db, row: typeof salesCalls.$inferInsert, actor: Actor): Promise<CallRow> {
  const [inserted] = await db.batch([
    db.insert(salesCalls).values(row).returning(),
    auditInsert(db, actor, {
      tenantId: row.tenantId,
      action: "sales.call_uploaded",
      target: { type: "sales_call", id: row.id },
      metadata: { source: row.source, format: row.format, lead_id: row.leadId ?? null },
    }),
  ]);
  const call = inserted[0];
  if (!call) throw new Error("call insert returned nothing");
  return call;
}

/** A transcript upload: parsed now (422 with the line when malformed); analysis follows in the background. */
export async function createTranscriptCall(
  db: Db,
  tenantId: string,
  input: CallLinks & { text: string; fileName?: string | null; format?: TranscriptFormat | null },
  actor: Actor,
): Promise<CallRow> {
  const format = input.format ?? detectFormat(input.text, input.fileName);
  const segments = parseTranscript(input.text, format);
  const links = await checkLinks(db, tenantId, input.leadId ?? null, input.dealId ?? null);
  const now = Date.now();
  return insertCall(
    db,
    {
      ...baseRow(tenantId, { ...input, title: input.title || input.fileName?.replace(/\.[a-z0-9]+$/i, "") }, userOf(actor), now),
      ...links,
      source: "transcript",
      format,
      status: "transcribed",
      speechProvider: "upload",
      segments,
      transcriptText: transcriptText(segments),
      durationMs: durationOf(segments),
    },
    actor,
  );
}

/**
 * A recording: refused at once (422) when no speech provider is configured (the local stand-in
 * takes transcripts only), else stored through modules/files (type sniffed, size and storage
 * quota checked) and left pending for the background transcription.
 */
export async function createRecordingCall(
  env: Env,
  db: Db,
  tenantId: string,
  input: CallLinks & { bytes: Uint8Array; name: string; contentType: string },
  actor: Actor,
): Promise<CallRow> {
  if (speechAdapterFor(env).provider === "local") throw noSpeechProvider();
  if (input.bytes.byteLength > MAX_RECORDING_BYTES)
    throw new Problem(
      413,
      "recording-too-large",
      "Recording too large",
      `A recording may be at most ${MAX_RECORDING_BYTES / 1024 / 1024} MB.`,
      {
        errors: [{ path: "file", message: "at most 25 MB" }],
      },
    );
  const links = await checkLinks(db, tenantId, input.leadId ?? null, input.dealId ?? null);
  const file = await storeFile(env, {
    tenantId,
    name: input.name,
    bytes: input.bytes,
    module: "voice",
    allowedTypes: ["audio/*", "video/mp4", "video/webm"],
    maxSize: MAX_RECORDING_BYTES,
    uploadedBy: userOf(actor),
  });
  const now = Date.now();
  return insertCall(
    db,
    {
      ...baseRow(tenantId, { ...input, title: input.title || input.name.replace(/\.[a-z0-9]+$/i, "") }, userOf(actor), now),
      ...links,
      source: "recording",
      format: "audio",
      status: "pending",
      fileId: file.id,
    },
    actor,
  );
}

export { isAudio };

export async function getCallRow(db: Db, tenantId: string, id: string): Promise<CallRow> {
  const row = await db
    .select()
    .from(salesCalls)
    .where(tenantScope(db, tenantId).where(salesCalls, eq(salesCalls.id, id)))
    .get();
  if (!row) throw new Problem(404, "not-found", "Not found", "Call was not found.");
  return row;
}

export async function proposalsOf(db: Db, tenantId: string, callId: string): Promise<ProposalRow[]> {
  return db
    .select()
    .from(salesCallProposals)
    .where(tenantScope(db, tenantId).where(salesCallProposals, eq(salesCallProposals.callId, callId)))
    .orderBy(asc(salesCallProposals.position), asc(salesCallProposals.id));
}

export interface CallListQuery extends PageQuery {
  q?: string;
  status?: CallStatus;
  lead_id?: string;
}

/** Calls, newest first; `q` searches the title and the transcript. */
export async function listCalls(db: Db, tenantId: string, q: CallListQuery) {
  const page = keyset(salesCalls.createdAt, salesCalls.id, q.cursor);
  const term = q.q?.trim();
  const rows = await db
    .select({
      tenantId: salesCalls.tenantId,
      id: salesCalls.id,
      title: salesCalls.title,
      leadId: salesCalls.leadId,
      dealId: salesCalls.dealId,
      source: salesCalls.source,
      format: salesCalls.format,
      status: salesCalls.status,
      failureReason: salesCalls.failureReason,
      durationMs: salesCalls.durationMs,
      summary: salesCalls.summary,
      analysisLocal: salesCalls.analysisLocal,
      occurredAt: salesCalls.occurredAt,
      createdAt: salesCalls.createdAt,
      open: sql<number>`(select count(*) from ${salesCallProposals} p where p.tenant_id = ${salesCalls.tenantId} and p.call_id = ${salesCalls.id} and p.status = 'proposed')`,
    })
    .from(salesCalls)
    .where(
      tenantScope(db, tenantId).where(
        salesCalls,
        page.where,
        q.status ? eq(salesCalls.status, q.status) : undefined,
        q.lead_id ? eq(salesCalls.leadId, q.lead_id) : undefined,
        term
          ? or(
              sql`${salesCalls.title} like ${containsPattern(term)} escape '\\'`,
              sql`${salesCalls.transcriptText} like ${containsPattern(term)} escape '\\'`,
            )
          : undefined,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return { rows, page: (ser: (r: (typeof rows)[number]) => unknown) => toPage(rows, q.limit, (r) => r, ser) };
}

/** Title, lead and deal of a call; a new lead re-links the call (its proposals read the lead when accepted). */
export async function updateCall(db: Db, tenantId: string, id: string, patch: CallLinks, actor: Actor): Promise<CallRow> {
  const call = await getCallRow(db, tenantId, id);
  const leadId = patch.leadId === undefined ? call.leadId : patch.leadId;
  const dealId = patch.dealId === undefined ? call.dealId : patch.dealId;
  const links = await checkLinks(db, tenantId, leadId, dealId);
  const [row] = await db.batch([
    db
      .update(salesCalls)
      .set({
        title: patch.title?.trim() ? patch.title.trim().slice(0, 200) : call.title,
        ...links,
        occurredAt: patch.occurredAt ?? call.occurredAt,
        updatedAt: Date.now(),
      })
      .where(and(eq(salesCalls.tenantId, tenantId), eq(salesCalls.id, id)))
      .returning(),
    auditInsert(db, actor, {
      tenantId,
      action: "sales.call_updated",
      target: { type: "sales_call", id },
      metadata: { lead_id: links.leadId },
    }),
  ]);
  const updated = row[0];
  if (!updated) throw new Problem(404, "not-found", "Not found", "Call was not found.");
  return updated;
}

/** Deletes a call, its proposals and its recording; what was already created from it (tasks, tickets, emails) stays. */
export async function deleteCall(env: Env, db: Db, tenantId: string, id: string, actor: Actor): Promise<void> {
  const call = await getCallRow(db, tenantId, id);
  await db.batch([
    db.delete(salesCallProposals).where(and(eq(salesCallProposals.tenantId, tenantId), eq(salesCallProposals.callId, id))),
    db.delete(salesCalls).where(and(eq(salesCalls.tenantId, tenantId), eq(salesCalls.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.call_deleted", target: { type: "sales_call", id }, metadata: { title: call.title } }),
  ]);
  if (call.fileId) await deleteFile(env, tenantId, call.fileId);
}

/** Marks a call for another run of the pipeline: a recording without a transcript is transcribed again, else re-analysed. */
export async function resetForRetry(db: Db, tenantId: string, id: string): Promise<CallRow> {
  const call = await getCallRow(db, tenantId, id);
  // A run that has not moved the call on for 5 minutes died (waitUntil cut short): it may be run again.
  const stale = call.updatedAt < Date.now() - 5 * 60_000;
  if ((call.status === "pending" || call.status === "transcribed") && !stale)
    throw new Problem(409, "call-busy", "Still working", "The call is still being transcribed or analysed; wait for it to finish.");
  const status: CallStatus = call.segments.length ? "transcribed" : "pending";
  const [row] = await db
    .update(salesCalls)
    .set({ status, failureReason: null, updatedAt: Date.now() })
    .where(and(eq(salesCalls.tenantId, tenantId), eq(salesCalls.id, id), eq(salesCalls.updatedAt, call.updatedAt)))
    .returning();
  if (!row) throw new Problem(409, "call-busy", "Changed meanwhile", "The call changed meanwhile; reload it.");
  return row;
}

export type { TranscriptSegment };
