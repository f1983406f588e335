import { and, eq, sql } from "drizzle-orm";
import { salesDrafts, salesInbound, salesStepVariants } from "../../../schema/sales-sequences";
import { timingSafeEqual } from "../../platform/crypto";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { getLeadContext, recordActivity, recordEngagement, scoreLeadNow } from "../sales";
import { activeEnrollmentsOfLead, stopEnrollment } from "./enrol.service";
import { publishLeadReplied } from "./reply-events";
import { draftIdIn } from "./send";

/**
 * Reply detection (docs/sales.md): an inbound email — Mailgun's signed inbound webhook, or the local
 * dev inbox — is matched to the draft it answers (the reply address, else In-Reply-To/References),
 * stored once per provider message id, classified, and stops the lead's enrolments.
 */

const log = createLogger({ module: "outreach" });

export type Sentiment = "positive" | "neutral" | "negative" | "auto_reply";

const AUTO_REPLY = [
  /\bout of (the )?office\b/i,
  /\bauto(matic)?[- ]?(reply|response)\b/i,
  /\bautoreply\b/i,
  /\b(on|annual) (leave|vacation|holiday)\b/i,
  /\baway (from my desk |from the office )?until\b/i,
  /\bcurrently (away|travell?ing|out)\b/i,
  /\bwill (be back|return) on\b/i,
  /\blimited access to (my )?e-?mail\b/i,
];
const NEGATIVE = [
  /\bnot (really |at all )?interested\b/i,
  /\bno (thanks|thank you)\b/i,
  /\bunsubscribe\b/i,
  /\bremove (me|us)\b/i,
  /\btake (me|us) off\b/i,
  /\bstop (e-?mailing|contacting|sending)\b/i,
  /\b(do not|don'?t) (contact|email|e-mail)\b/i,
  /\bnot a (good )?fit\b/i,
  /\bwe('re| are) (all )?(set|good)\b/i,
];
const POSITIVE = [
  /\binterested\b/i,
  /\blet'?s (talk|chat|connect|meet)\b/i,
  /\bbook\b/i,
  /\bschedule\b/i,
  /\b(a )?(quick )?call\b/i,
  /\bmeeting\b/i,
  /\bdemo\b/i,
  /\bsounds (good|great|interesting)\b/i,
  /\btell me more\b/i,
  /\bsend (me )?(more )?(info|details)\b/i,
  /\bwhen are you (free|available)\b/i,
  /\bcalendar\b/i,
];

/**
 * A small rule set, in order: auto-replies (out of office…) first — they are not answers; then
 * negatives ("not interested" contains "interested", so they win); then positives; else neutral.
 */
export function classifyReply(subject: string, text: string): Sentiment {
  const head = `${subject}\n${text}`;
  if (AUTO_REPLY.some((r) => r.test(head))) return "auto_reply";
  if (NEGATIVE.some((r) => r.test(text))) return "negative";
  if (POSITIVE.some((r) => r.test(text))) return "positive";
  return "neutral";
}

// ---- Mailgun's inbound "forward" (a route's forward() action: multipart form POST) ----------------

/** Signatures older than this are refused (Mailgun signs each POST with its own timestamp). */
export const MAILGUN_MAX_AGE_SECONDS = 15 * 60;

export const mailgunSigningKey = (env: Env) => (env as { MAILGUN_WEBHOOK_SIGNING_KEY?: string }).MAILGUN_WEBHOOK_SIGNING_KEY ?? "";

/** HMAC-SHA256(signing key, timestamp + token), hex: Mailgun's webhook signature. */
export async function mailgunSignature(key: string, timestamp: string, token: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`${timestamp}${token}`)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** 503 without a key, 401 on a bad signature, 406 on a stale timestamp (Mailgun does not retry a 406). */
export async function verifyMailgun(env: Env, f: { timestamp: string; token: string; signature: string }, now = Date.now()): Promise<void> {
  const key = mailgunSigningKey(env);
  if (!key)
    throw new Problem(503, "inbound-not-configured", "Inbound email not configured", "Set MAILGUN_WEBHOOK_SIGNING_KEY to receive replies.");
  if (!f.timestamp || !f.token || !f.signature)
    throw new Problem(401, "invalid-signature", "Invalid signature", "timestamp, token and signature are required.");
  const expected = await mailgunSignature(key, f.timestamp, f.token);
  if (!timingSafeEqual(expected, f.signature.toLowerCase()))
    throw new Problem(401, "invalid-signature", "Invalid signature", "The signature does not match.");
  const ts = Number(f.timestamp);
  if (!Number.isFinite(ts) || Math.abs(now / 1000 - ts) > MAILGUN_MAX_AGE_SECONDS)
    throw new Problem(
      406,
      "stale-signature",
      "Stale signature",
      `The timestamp is more than ${MAILGUN_MAX_AGE_SECONDS / 60} minutes from now.`,
    );
}

/** Bare address from "Name <a@b>" (lower-cased). */
export function addressOf(s: string): string {
  const m = s.match(/<([^>]+)>/);
  return (m?.[1] ?? s).trim().toLowerCase();
}

export interface InboundEmail {
  provider: "mailgun" | "dev";
  providerMessageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  inReplyTo: string | null;
  references: string | null;
  receivedAt: number;
}

export interface InboundResult {
  matched: boolean;
  duplicate: boolean;
  inbound_id: string | null;
  sentiment: Sentiment | null;
  enrollment_stopped: boolean;
}

/** The draft a reply answers: its reply address, else the Message-IDs it quotes (newest reference last). */
export function matchDraftId(m: Pick<InboundEmail, "to" | "inReplyTo" | "references">): string | null {
  const fromTo = m.to.split(",").map(draftIdIn).find(Boolean);
  if (fromTo) return fromTo;
  const fromReply = draftIdIn(m.inReplyTo);
  if (fromReply) return fromReply;
  const refs = (m.references ?? "").split(/\s+/).map(draftIdIn).filter(Boolean) as string[];
  return refs[refs.length - 1] ?? null;
}

/**
 * Stores the reply (once per provider message id: a replay returns `duplicate` and changes nothing),
 * then — unless it is an auto-reply — stops the lead's enrolments (`replied`), records
 * `email_replied`, counts the reply on the lead and on the draft's variant (positive replies by the
 * sentiment rule: the writer's bandit learns from them) and rescores the lead.
 * `tenantId` restricts the match to one workspace (the dev inbox); the webhook matches any.
 */
export async function processInbound(env: Env, m: InboundEmail, tenantId?: string): Promise<InboundResult> {
  const db = getDb(env.DB);
  const none: InboundResult = { matched: false, duplicate: false, inbound_id: null, sentiment: null, enrollment_stopped: false };
  const draftId = matchDraftId(m);
  if (!draftId) return none;
  const draft = await db
    .select()
    .from(salesDrafts)
    .where(and(eq(salesDrafts.id, draftId), tenantId ? eq(salesDrafts.tenantId, tenantId) : undefined))
    .get();
  if (!draft) {
    log.info("outreach_inbound_unmatched", { provider: m.provider, draft_id: draftId });
    return none;
  }
  const sentiment = classifyReply(m.subject, m.text);
  const id = newId("inb");
  const inserted = await db
    .insert(salesInbound)
    .values({
      tenantId: draft.tenantId,
      id,
      provider: m.provider,
      providerMessageId: m.providerMessageId.slice(0, 300),
      fromEmail: (addressOf(m.from) || (await leadEmail(db, draft.tenantId, draft.leadId))).slice(0, 254),
      toEmail: addressOf(m.to.split(",")[0] ?? m.to).slice(0, 254),
      subject: m.subject.slice(0, 300),
      text: m.text.slice(0, 20_000),
      inReplyTo: m.inReplyTo?.slice(0, 300) ?? null,
      leadId: draft.leadId,
      enrollmentId: draft.enrollmentId,
      draftId: draft.id,
      sentiment,
      receivedAt: m.receivedAt,
    })
    .onConflictDoNothing()
    .returning({ id: salesInbound.id });
  if (!inserted.length) return { matched: true, duplicate: true, inbound_id: null, sentiment, enrollment_stopped: false };
  if (sentiment === "auto_reply") return { matched: true, duplicate: false, inbound_id: id, sentiment, enrollment_stopped: false };
  const stopped = await recordReply(env, db, draft, sentiment, id, m.receivedAt);
  await publishLeadReplied(env, db, {
    tenantId: draft.tenantId,
    leadId: draft.leadId,
    email: addressOf(m.from) || (await leadEmail(db, draft.tenantId, draft.leadId)),
    sentiment,
    subject: m.subject.slice(0, 300),
    sequenceId: draft.sequenceId,
    draftId: draft.id,
    inboundId: id,
  });
  return { matched: true, duplicate: false, inbound_id: id, sentiment, enrollment_stopped: stopped };
}

/** The dev inbox replies as the lead: its address is the sender. */
const leadEmail = async (db: Db, tenantId: string, leadId: string) => (await getLeadContext(db, tenantId, leadId))?.lead.email ?? "";

async function recordReply(
  env: Env,
  db: Db,
  draft: typeof salesDrafts.$inferSelect,
  sentiment: Exclude<Sentiment, "auto_reply">,
  inboundId: string,
  at: number,
): Promise<boolean> {
  const t = draft.tenantId;
  const positive = sentiment === "positive";
  await db.batch([
    db
      .update(salesDrafts)
      .set({ outcome: positive ? "positive" : sentiment === "negative" ? "negative" : "replied", updatedAt: Date.now() })
      .where(and(eq(salesDrafts.tenantId, t), eq(salesDrafts.id, draft.id))),
    db
      .update(salesStepVariants)
      .set({
        replies: sql`${salesStepVariants.replies} + 1`,
        ...(positive ? { positiveReplies: sql`${salesStepVariants.positiveReplies} + 1` } : {}),
      })
      .where(and(eq(salesStepVariants.tenantId, t), eq(salesStepVariants.id, draft.variantId))),
    recordActivity(db, t, {
      leadId: draft.leadId,
      kind: "email_replied",
      summary: `Replied (${sentiment}): ${draft.subject}`,
      data: { inbound_id: inboundId, draft_id: draft.id, sequence_id: draft.sequenceId, sentiment },
      occurredAt: at,
      dedupeKey: `email_replied:${inboundId}`,
    }),
    ...recordEngagement(db, t, draft.leadId, "reply", at),
  ]);
  // A reply ends every sequence the lead is in, not only the one it answers.
  let stopped = false;
  for (const e of await activeEnrollmentsOfLead(db, t, draft.leadId))
    if (await stopEnrollment(db, t, e.id, "replied", { at })) stopped = true;
  await rescore(env, t, draft.leadId);
  return stopped;
}

/** The scoring part's `scoreLeadNow`: engagement changed the score (a failure is logged, the reply stays recorded). */
async function rescore(env: Env, tenantId: string, leadId: string) {
  await scoreLeadNow(env, tenantId, leadId).catch((err) =>
    log.error("outreach_rescore_failed", { tenant_id: tenantId, lead_id: leadId, error: String(err) }),
  );
}
