import { and, desc, eq, gte, inArray, isNotNull, max, sql } from "drizzle-orm";
import { salesDrafts, salesInbound, salesSequenceSteps, salesSequences, salesStepVariants } from "../../../schema/sales-sequences";
import { tenantScope, type Db } from "../../platform/db";

/**
 * Email threads for knowledge fusion (docs/sales.md): an enrolment that got at least one reply, as
 * the emails we sent (with the A/B variant and its reply rates) and the lead's replies, in order.
 * A thread's id is its enrolment's id.
 */

export interface ThreadMessage {
  from: "us" | "lead";
  at: number;
  subject: string;
  text: string;
  sentiment: "positive" | "neutral" | "negative" | "auto_reply" | null; // replies only
  // Ours only: which sequence step and variant wrote it and how that variant does overall.
  variant: {
    id: string;
    label: string;
    sequenceName: string;
    step: number;
    sent: number;
    replies: number;
    positiveReplies: number;
  } | null;
}

export interface ReplyThread {
  id: string; // the enrolment (enr_…)
  title: string;
  leadId: string | null;
  occurredAt: number; // the latest reply
  messages: ThreadMessage[];
}

// D1 allows 100 bound parameters per statement.
const IN_CHUNK = 80;
async function inChunks<T>(ids: string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await read(ids.slice(i, i + IN_CHUNK))));
  return out;
}

/**
 * Threads with a reply at or after `since` (all when absent), latest reply first, at most `limit`
 * (≤ 500); `ids` limits them to those enrolments (a chosen set).
 */
export async function listReplyThreads(
  db: Db,
  tenantId: string,
  o: { since?: number; limit: number; ids?: string[] },
): Promise<ReplyThread[]> {
  const limit = Math.max(1, Math.min(500, Math.floor(o.limit)));
  const scope = tenantScope(db, tenantId);
  const latest = max(salesInbound.receivedAt);
  const picked: { enrollmentId: string; latest: number }[] = [];
  const pick = async (ids?: string[]) => {
    const rows = await db
      .select({ enrollmentId: salesInbound.enrollmentId, latest })
      .from(salesInbound)
      .where(
        scope.where(
          salesInbound,
          isNotNull(salesInbound.enrollmentId),
          ids ? inArray(salesInbound.enrollmentId, ids) : undefined,
          o.since === undefined ? undefined : gte(salesInbound.receivedAt, o.since),
        ),
      )
      .groupBy(salesInbound.enrollmentId)
      .orderBy(desc(latest))
      .limit(limit)
      .all();
    for (const r of rows) if (r.enrollmentId) picked.push({ enrollmentId: r.enrollmentId, latest: Number(r.latest) });
  };
  if (o.ids) {
    if (!o.ids.length) return [];
    await inChunks(o.ids, async (part) => {
      await pick(part);
      return [];
    });
  } else await pick();
  if (!picked.length) return [];
  const ids = picked.map((p) => p.enrollmentId);

  const replies = await inChunks(ids, (part) =>
    db
      .select()
      .from(salesInbound)
      .where(scope.where(salesInbound, inArray(salesInbound.enrollmentId, part)))
      .all(),
  );
  const sent = await inChunks(ids, (part) =>
    db
      .select({
        enrollmentId: salesDrafts.enrollmentId,
        leadId: salesDrafts.leadId,
        subject: salesDrafts.subject,
        body: salesDrafts.body,
        sentAt: salesDrafts.sentAt,
        variantId: salesStepVariants.id,
        label: salesStepVariants.label,
        vSent: salesStepVariants.sent,
        vReplies: salesStepVariants.replies,
        vPositive: salesStepVariants.positiveReplies,
        step: salesSequenceSteps.position,
        sequenceName: salesSequences.name,
      })
      .from(salesDrafts)
      .leftJoin(salesStepVariants, and(eq(salesStepVariants.tenantId, tenantId), eq(salesStepVariants.id, salesDrafts.variantId)))
      .leftJoin(salesSequenceSteps, and(eq(salesSequenceSteps.tenantId, tenantId), eq(salesSequenceSteps.id, salesDrafts.stepId)))
      .leftJoin(salesSequences, and(eq(salesSequences.tenantId, tenantId), eq(salesSequences.id, salesDrafts.sequenceId)))
      .where(
        scope.where(
          salesDrafts,
          inArray(salesDrafts.enrollmentId, part),
          eq(salesDrafts.status, "sent"),
          sql`${salesDrafts.sentAt} is not null`,
        ),
      )
      .all(),
  );

  const threads = new Map<string, ReplyThread>();
  for (const p of picked) threads.set(p.enrollmentId, { id: p.enrollmentId, title: "", leadId: null, occurredAt: p.latest, messages: [] });
  for (const s of sent) {
    const t = threads.get(s.enrollmentId);
    if (!t) continue;
    t.leadId ??= s.leadId;
    t.messages.push({
      from: "us",
      at: s.sentAt ?? 0,
      subject: s.subject,
      text: s.body,
      sentiment: null,
      variant: s.variantId
        ? {
            id: s.variantId,
            label: s.label ?? "",
            sequenceName: s.sequenceName ?? "",
            step: s.step ?? 0,
            sent: s.vSent ?? 0,
            replies: s.vReplies ?? 0,
            positiveReplies: s.vPositive ?? 0,
          }
        : null,
    });
  }
  for (const r of replies) {
    const t = r.enrollmentId ? threads.get(r.enrollmentId) : undefined;
    if (!t) continue;
    t.leadId ??= r.leadId;
    t.messages.push({ from: "lead", at: r.receivedAt, subject: r.subject, text: r.text, sentiment: r.sentiment ?? null, variant: null });
  }
  for (const t of threads.values()) {
    t.messages.sort((a, b) => a.at - b.at);
    const first = t.messages.find((m) => m.subject) ?? t.messages[0];
    const sequence = t.messages.find((m) => m.variant)?.variant?.sequenceName;
    t.title = `${first?.subject || "Email thread"}${sequence ? ` (${sequence})` : ""}`;
  }
  return [...threads.values()].sort((a, b) => b.occurredAt - a.occurredAt);
}
