import { and, eq, lt, or } from "drizzle-orm";
import { salesCallProposals, type ProposalPayload } from "../../../schema/voice";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { getMember } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { endUserForContact } from "../endusers";
import { emailStops, send } from "../messaging";
import { createTask, getLeadContext, recordActivity, recordEngagement } from "../sales";
import { createTicket } from "../tickets";
import { checkEmail } from "./analysis";
import { getCallRow, type CallRow, type ProposalRow } from "./calls.service";

/**
 * A person's decision on a proposal. Accepting claims the row first (proposed → accepting, one
 * conditional UPDATE), then creates the thing — a sales task, a ticket for the lead, or the email
 * sent to the lead after the safety rules — and records what was created. A second accept (a
 * double click, a retried request) finds the row accepted and answers it unchanged: one task.
 */

export interface ProposalEdits {
  title?: string;
  ownerId?: string | null;
  dueAt?: number | null;
  body?: string;
  subject?: string;
  priority?: "low" | "normal" | "high" | "urgent";
}

/** A row stuck in "accepting" this long (the Worker died mid-way) may be claimed again. */
const STALE_CLAIM_MS = 60_000;

const conflict = (slug: string, title: string, detail: string, ext: Record<string, unknown> = {}) =>
  new Problem(409, slug, title, detail, ext);
const needsLead = (what: string) =>
  new Problem(422, "call-needs-lead", "Link the call to a lead", `${what} needs the call linked to a lead with an email address.`, {
    errors: [{ path: "lead_id", message: "link the call to a lead with an email address" }],
  });

export async function getProposalRow(db: Db, tenantId: string, callId: string, id: string): Promise<ProposalRow> {
  const row = await db
    .select()
    .from(salesCallProposals)
    .where(tenantScope(db, tenantId).where(salesCallProposals, eq(salesCallProposals.id, id), eq(salesCallProposals.callId, callId)))
    .get();
  if (!row) throw new Problem(404, "not-found", "Not found", "Proposal was not found.");
  return row;
}

/** The proposal with a person's edits applied (only the fields its kind has). */
export function applyEdits(p: ProposalRow, e: ProposalEdits): ProposalPayload {
  const base = p.proposed;
  if (p.kind === "task")
    return {
      ...base,
      title: e.title?.trim() || base.title,
      ownerId: e.ownerId === undefined ? (base.ownerId ?? null) : e.ownerId,
      dueAt: e.dueAt === undefined ? (base.dueAt ?? null) : e.dueAt,
    };
  if (p.kind === "ticket")
    return { ...base, title: e.title?.trim() || base.title, body: e.body?.trim() || base.body, priority: e.priority ?? base.priority };
  return { ...base, subject: e.subject?.trim() || base.subject, body: e.body?.trim() || base.body };
}

async function leadWithEmail(db: Db, call: CallRow, what: string) {
  const ctx = call.leadId ? await getLeadContext(db, call.tenantId, call.leadId) : null;
  if (!ctx?.lead.email) throw needsLead(what);
  return { ...ctx.lead, email: ctx.lead.email };
}

/** Creates what the proposal describes; returns the created thing's type and id. */
async function create(
  env: Env,
  db: Db,
  call: CallRow,
  p: ProposalRow,
  payload: ProposalPayload,
  userId: string | null,
): Promise<{ type: string; id: string | null; payload: ProposalPayload }> {
  const tenantId = call.tenantId;
  if (p.kind === "task") {
    const ownerId = payload.ownerId ?? userId;
    if (ownerId && ownerId !== userId)
      await getMember(db, tenantId, ownerId).catch(() => {
        throw new Problem(422, "validation-failed", "Your request is not valid", "owner_id: not a member of this workspace", {
          errors: [{ path: "owner_id", message: "not a member of this workspace" }],
        });
      });
    const task = await createTask(db, tenantId, {
      title: payload.title ?? "Follow up",
      kind: "follow_up",
      notes: `From the call “${call.title}”${payload.quote ? `: “${payload.quote}”` : ""}`.slice(0, 2000),
      leadId: call.leadId,
      dealId: call.dealId,
      ownerId,
      dueAt: payload.dueAt ?? null,
      origin: "voice",
      createdBy: userId,
    });
    return { type: "task", id: task.id, payload: { ...payload, ownerId } };
  }
  if (p.kind === "ticket") {
    const lead = await leadWithEmail(db, call, "A ticket");
    const name = [lead.firstName, lead.lastName].filter(Boolean).join(" ") || lead.email;
    const actor: Actor = { type: userId ? "user" : "system", id: userId, ip: null, userAgent: null };
    const endUser = await endUserForContact(db, tenantId, { email: lead.email, name }, actor);
    const priority = payload.priority && payload.priority !== "normal" ? `\n\nPriority on the call: ${payload.priority}.` : "";
    const ticket = await createTicket(db, tenantId, {
      endUserId: endUser.id,
      authorName: name,
      subject: (payload.title ?? "Problem raised on a call").slice(0, 200),
      body: `${payload.body ?? payload.title ?? ""}${priority}`,
      attachments: [],
    });
    return { type: "ticket", id: ticket.id, payload };
  }
  // The email: to the lead, after the safety rules (the text a person approved, with any disclaimer).
  const lead = await leadWithEmail(db, call, "The email");
  const stop = (await emailStops(db, tenantId, [lead.email])).get(lead.email.toLowerCase());
  if (stop)
    throw conflict(
      "lead-not-contactable",
      "The lead cannot be emailed",
      `The lead's address ${stop === "bounced" ? "bounced" : "unsubscribed"}; nothing was sent.`,
    );
  const checked = await checkEmail(env, db, tenantId, { subject: payload.subject ?? "", body: payload.body ?? "" }, null);
  if (checked.action === "held" || checked.action === "blocked")
    throw conflict(
      "held-by-safety-rules",
      "Held by the safety rules",
      `The workspace's AI safety rules stop this email (${checked.rules.map((r) => r.rule).join(", ")}); edit it and accept again.`,
      {
        rules: checked.rules,
      },
    );
  const sentAt = Date.now();
  const ids = await send(db, env.OUTBOX, {
    tenantId,
    to: { email: lead.email },
    channels: ["email"],
    template: "outreach.email",
    category: "marketing",
    data: { subject: checked.subject, body: checked.body },
    idempotencyKey: `voice:${p.id}`,
  });
  const messageId = ids[0] ?? null;
  await db.batch([
    recordActivity(db, tenantId, {
      leadId: lead.id,
      dealId: call.dealId,
      kind: "email_sent",
      actorId: userId,
      summary: `Email sent: ${checked.subject}`,
      data: { call_id: call.id, proposal_id: p.id, message_id: messageId, origin: "voice" },
      occurredAt: sentAt,
      dedupeKey: `voice_email:${p.id}`,
    }),
    ...recordEngagement(db, tenantId, lead.id, "sent", sentAt),
  ]);
  return {
    type: "message",
    id: messageId,
    payload: {
      ...payload,
      subject: checked.subject,
      body: checked.body,
      safety: { action: checked.action, rules: checked.rules.map((r) => r.rule) },
    },
  };
}

/** Accepts a proposal (optionally edited): exactly once, whatever the number of requests. */
export async function acceptProposal(
  env: Env,
  db: Db,
  tenantId: string,
  callId: string,
  id: string,
  edits: ProposalEdits,
  actor: Actor,
): Promise<ProposalRow> {
  const call = await getCallRow(db, tenantId, callId);
  const p = await getProposalRow(db, tenantId, callId, id);
  if (p.status === "accepted") return p;
  if (p.status === "dismissed")
    throw conflict("proposal-dismissed", "Dismissed", "This proposal was dismissed; nothing is created from it.");
  const payload = applyEdits(p, edits);
  const now = Date.now();
  const [claimed] = await db
    .update(salesCallProposals)
    .set({ status: "accepting", accepted: payload, decidedBy: actor.id, updatedAt: now })
    .where(
      and(
        eq(salesCallProposals.tenantId, tenantId),
        eq(salesCallProposals.id, id),
        or(
          eq(salesCallProposals.status, "proposed"),
          and(eq(salesCallProposals.status, "accepting"), lt(salesCallProposals.updatedAt, now - STALE_CLAIM_MS)),
        ),
      ),
    )
    .returning();
  if (!claimed) {
    const now2 = await getProposalRow(db, tenantId, callId, id);
    if (now2.status === "accepted") return now2;
    throw conflict("proposal-busy", "Being accepted", "This proposal is being accepted by another request; reload in a moment.");
  }
  let made: Awaited<ReturnType<typeof create>>;
  try {
    made = await create(env, db, call, claimed, payload, actor.type === "user" ? actor.id : null);
  } catch (e) {
    // Nothing was created: back to proposed, so a person can fix the cause and accept again.
    await db
      .update(salesCallProposals)
      .set({ status: "proposed", accepted: null, decidedBy: null, updatedAt: Date.now() })
      .where(and(eq(salesCallProposals.tenantId, tenantId), eq(salesCallProposals.id, id), eq(salesCallProposals.status, "accepting")));
    throw e;
  }
  const [row] = await db.batch([
    db
      .update(salesCallProposals)
      .set({
        status: "accepted",
        accepted: made.payload,
        createdType: made.type,
        createdId: made.id,
        decidedAt: Date.now(),
        updatedAt: Date.now(),
      })
      .where(and(eq(salesCallProposals.tenantId, tenantId), eq(salesCallProposals.id, id)))
      .returning(),
    auditInsert(db, actor, {
      tenantId,
      action: "sales.call_proposal_accepted",
      target: { type: "sales_call_proposal", id },
      metadata: { call_id: callId, kind: p.kind, created_type: made.type, created_id: made.id },
    }),
  ]);
  const accepted = row[0];
  if (!accepted) throw new Problem(404, "not-found", "Not found", "Proposal was not found.");
  return accepted;
}

/** Dismisses a proposal (nothing is created); dismissing twice is fine, an accepted one cannot be. */
export async function dismissProposal(db: Db, tenantId: string, callId: string, id: string, actor: Actor): Promise<ProposalRow> {
  const p = await getProposalRow(db, tenantId, callId, id);
  if (p.status === "dismissed") return p;
  if (p.status !== "proposed")
    throw conflict("proposal-accepted", "Already accepted", "This proposal was accepted; what it created stays.");
  const [row] = await db.batch([
    db
      .update(salesCallProposals)
      .set({ status: "dismissed", decidedBy: actor.id, decidedAt: Date.now(), updatedAt: Date.now() })
      .where(and(eq(salesCallProposals.tenantId, tenantId), eq(salesCallProposals.id, id), eq(salesCallProposals.status, "proposed")))
      .returning(),
    auditInsert(db, actor, {
      tenantId,
      action: "sales.call_proposal_dismissed",
      target: { type: "sales_call_proposal", id },
      metadata: { call_id: callId },
    }),
  ]);
  return row[0] ?? (await getProposalRow(db, tenantId, callId, id));
}
