import { and, eq } from "drizzle-orm";
import { aiHolds } from "../../../schema/ai-safety";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import type { FiredRule, Surface } from "./guardrails";
import { holdHandlerFor } from "./holds-registry";

/**
 * The approval queue: AI outputs a guardrail held, waiting for a person. Deciding runs the handler
 * registered for the hold's `ref_type` (workers/compose.ts wires outreach's drafts as
 * "sales_draft"), exactly once: the decision is claimed with a conditional update first, so a
 * second decision — or two at once — gets 409.
 */
type HoldRow = typeof aiHolds.$inferSelect;
export type HoldStatus = HoldRow["status"];

export const serializeHold = (h: HoldRow) => ({
  id: h.id,
  surface: h.surface,
  ref_type: h.refType,
  ref_id: h.refId,
  content: h.content,
  rules_fired: h.rulesFired.map((r) => ({ rule: r.rule, match: r.match })),
  status: h.status,
  comment: h.comment ?? null,
  decided_by: h.decidedBy ?? null,
  decided_at: iso(h.decidedAt),
  created_at: iso(h.createdAt) ?? "",
});

/** Puts an AI output in the approval queue (contract in docs/sales.md). */
export async function holdForApproval(
  db: Db,
  tenantId: string,
  h: { surface: Surface; refType: string; refId: string; content: string; rules: FiredRule[] },
): Promise<{ holdId: string }> {
  const holdId = newId("hold");
  await db.insert(aiHolds).values({
    tenantId,
    id: holdId,
    surface: h.surface,
    refType: h.refType,
    refId: h.refId,
    content: h.content,
    rulesFired: h.rules.map((r) => ({ rule: r.rule, match: r.match })),
    status: "pending",
    createdAt: Date.now(),
  });
  return { holdId };
}

export async function listHolds(db: Db, tenantId: string, q: PageQuery & { status?: HoldStatus; ref_type?: string }) {
  const page = keyset(aiHolds.createdAt, aiHolds.id, q.cursor);
  const rows = await db
    .select()
    .from(aiHolds)
    .where(
      tenantScope(db, tenantId).where(
        aiHolds,
        q.status ? eq(aiHolds.status, q.status) : undefined,
        q.ref_type ? eq(aiHolds.refType, q.ref_type) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeHold);
}

export async function getHold(db: Db, tenantId: string, id: string): Promise<HoldRow> {
  const row = await db
    .select()
    .from(aiHolds)
    .where(tenantScope(db, tenantId).where(aiHolds, eq(aiHolds.id, id)))
    .get();
  if (!row) throw notFound("Held item");
  return row;
}

const ALREADY = "This item was already decided.";

/**
 * Approves or rejects a pending hold: claims it (pending → decision), runs the ref type's handler,
 * audits. When the handler fails the claim is undone (back to pending) so a person can retry.
 */
export async function decideHold(
  env: Env,
  db: Db,
  tenantId: string,
  id: string,
  decision: "approved" | "rejected",
  comment: string | null,
  actor: Actor,
) {
  const row = await getHold(db, tenantId, id);
  if (row.status !== "pending") throw conflict(ALREADY, "already-decided");
  const by = actor.id ?? "system";
  const now = Date.now();
  const claimed = await db
    .update(aiHolds)
    .set({ status: decision, comment, decidedBy: by, decidedAt: now })
    .where(and(eq(aiHolds.tenantId, tenantId), eq(aiHolds.id, id), eq(aiHolds.status, "pending")))
    .returning();
  const held = claimed[0];
  if (!held) throw conflict(ALREADY, "already-decided");
  const handler = holdHandlerFor(row.refType);
  if (handler) {
    try {
      await handler(env, tenantId, row.refId, decision, by);
    } catch (e) {
      await db
        .update(aiHolds)
        .set({ status: "pending", comment: null, decidedBy: null, decidedAt: null })
        .where(and(eq(aiHolds.tenantId, tenantId), eq(aiHolds.id, id)));
      throw e;
    }
  }
  await auditInsert(db, actor, {
    tenantId,
    action: `ai.hold.${decision}`,
    target: { type: "ai_hold", id },
    metadata: { ref_type: row.refType, ref_id: row.refId, surface: row.surface, comment, handler: !!handler },
  });
  return serializeHold(held);
}
