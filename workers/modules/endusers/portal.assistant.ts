import { and, desc, eq } from "drizzle-orm";
import { portalAssistantActions } from "../../../schema/endusers";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import { answerQuestion, type Citation } from "../ai";
import { createTicket } from "../tickets";
import { myOrders, resendMyReceipt } from "./portal.orders";

/**
 * The portal assistant: answers from the workspace's knowledge base (the AI gateway's
 * answerQuestion, with citations) and acts on the end user's own data through three tools —
 * `find_order` (read: runs at once), `resend_receipt` and `open_ticket` (write: proposed, and run
 * only when this end user confirms that action's id; the server refuses anything else). Every tool
 * call is a row of portal_assistant_actions, scoped to the end user. Which tool a message needs is
 * decided by keyword rules (the local answerer has no tool calling); everything else goes to the
 * knowledge base.
 */
export type ToolName = "find_order" | "resend_receipt" | "open_ticket";
type ActionRow = typeof portalAssistantActions.$inferSelect;
export interface Me {
  tenantId: string;
  id: string;
  name: string;
  email: string;
}

export const serializeAction = (a: ActionRow) => ({
  id: a.id,
  tool: a.tool as ToolName,
  status: a.status,
  args: a.args,
  result: a.result ?? null,
  created_at: iso(a.createdAt) ?? "",
  decided_at: iso(a.decidedAt),
});
export type ActionView = ReturnType<typeof serializeAction>;

export interface AssistantReply {
  answer: string;
  citations: { n: number; title: string; url: string | null }[];
  action: ActionView | null; // the tool call this message led to (a proposal awaits confirmation)
}

const RECEIPT = /\b(receipt|invoice|recibo|factura|beleg|rechnung|quittung|re[çc]u|facture)\b/i;
const TICKET = /\b(ticket|human|person|agent|support request|talk to|soporte|persona|mitarbeiter|ticket|humain|conseiller)\b/i;
const ORDER = /\b(order|orders|parcel|package|delivery|shipped|pedido|paquete|bestellung|paket|commande|colis)\b/i;
const orderNumber = (text: string) => Number(/#?\b(\d{1,12})\b/.exec(text)?.[1] ?? Number.NaN);

async function logAction(
  db: Db,
  me: Me,
  tool: ToolName,
  args: Record<string, unknown>,
  status: ActionRow["status"],
  result: Record<string, unknown> | null,
) {
  const row: ActionRow = {
    tenantId: me.tenantId,
    id: newId("paa"),
    endUserId: me.id,
    tool,
    args,
    status,
    result,
    createdAt: Date.now(),
    decidedAt: status === "proposed" ? null : Date.now(),
  };
  await db.insert(portalAssistantActions).values(row);
  return row;
}

async function pickOrder(env: Env, me: Me, text: string) {
  const { data } = await myOrders(env, me.tenantId, me.id, { limit: 50 });
  const n = orderNumber(text);
  return Number.isFinite(n) ? (data.find((o) => o.number === n) ?? null) : (data[0] ?? null);
}

export async function ask(env: Env, db: Db, me: Me, message: string): Promise<AssistantReply> {
  const text = message.trim();
  if (RECEIPT.test(text)) {
    const o = await pickOrder(env, me, text);
    if (!o) return { answer: "I could not find an order of yours to send a receipt for.", citations: [], action: null };
    if (!o.paid_at) return { answer: `Order #${o.number} has not been paid, so it has no receipt yet.`, citations: [], action: null };
    const a = await logAction(db, me, "resend_receipt", { order_id: o.id, order_number: o.number }, "proposed", null);
    return {
      answer: `I can email the receipt of order #${o.number} to ${me.email} again. Shall I?`,
      citations: [],
      action: serializeAction(a),
    };
  }
  if (TICKET.test(text)) {
    const subject = text.length > 80 ? `${text.slice(0, 79)}…` : text;
    const a = await logAction(db, me, "open_ticket", { subject, message: text }, "proposed", null);
    return {
      answer: `I can open a support request for you with this message, and the team will answer it here. Shall I?`,
      citations: [],
      action: serializeAction(a),
    };
  }
  if (ORDER.test(text)) {
    const o = await pickOrder(env, me, text);
    const result = o ? { order_id: o.id, number: o.number, status: o.status, fulfilment_status: o.fulfilment_status } : { found: false };
    const a = await logAction(
      db,
      me,
      "find_order",
      { number: Number.isFinite(orderNumber(text)) ? orderNumber(text) : null },
      "done",
      result,
    );
    const answer = o
      ? `Order #${o.number} is ${o.status.replace("_", " ")} (fulfilment: ${o.fulfilment_status.replace("_", " ")}).`
      : "I could not find that order among yours.";
    return { answer, citations: [], action: serializeAction(a) };
  }
  let answer = "";
  const citations: AssistantReply["citations"] = [];
  for await (const ev of answerQuestion({ env, tenantId: me.tenantId, question: text, db, surface: "assistant" })) {
    if (ev.type === "token") answer += ev.text;
    else if (ev.type === "citation") {
      const c = ev as Citation;
      citations.push({ n: c.n, title: c.source_title, url: c.url });
    }
  }
  return { answer: answer.trim() || "I don't know that one yet.", citations, action: null };
}

async function ownAction(db: Db, me: Me, id: string) {
  const row = await db
    .select()
    .from(portalAssistantActions)
    .where(
      tenantScope(db, me.tenantId).where(
        portalAssistantActions,
        eq(portalAssistantActions.endUserId, me.id),
        eq(portalAssistantActions.id, id),
      ),
    )
    .get();
  if (!row) throw notFound("Action");
  return row;
}

async function decide(db: Db, row: ActionRow, status: ActionRow["status"], result: Record<string, unknown> | null) {
  // Only a still-proposed action moves (a double confirm runs the tool once).
  const done = await db
    .update(portalAssistantActions)
    .set({ status, result, decidedAt: Date.now() })
    .where(
      and(
        eq(portalAssistantActions.tenantId, row.tenantId),
        eq(portalAssistantActions.id, row.id),
        eq(portalAssistantActions.status, "proposed"),
      ),
    )
    .returning();
  if (!done[0]) throw conflict("This action was already confirmed or cancelled.");
  return done[0];
}

/** Runs a proposed write tool for the end user who confirmed it; anything else is refused. */
export async function confirmAction(env: Env, db: Db, me: Me, id: string): Promise<ActionView> {
  const row = await ownAction(db, me, id);
  if (row.status !== "proposed") throw conflict("This action was already confirmed or cancelled.");
  const claimed = await decide(db, row, "done", null);
  try {
    if (row.tool === "resend_receipt") {
      await resendMyReceipt(env, db, me.tenantId, me.id, String(row.args.order_id));
      return serializeAction(await setResult(db, claimed, "done", { sent_to: me.email }));
    }
    if (row.tool === "open_ticket") {
      const t = await createTicket(db, me.tenantId, {
        endUserId: me.id,
        authorName: me.name || me.email,
        subject: String(row.args.subject),
        body: String(row.args.message),
        attachments: [],
      });
      return serializeAction(await setResult(db, claimed, "done", { ticket_id: t.id, number: t.number }));
    }
    return serializeAction(await setResult(db, claimed, "failed", { error: "Not a write tool" }));
  } catch (e) {
    await setResult(db, claimed, "failed", { error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

async function setResult(db: Db, row: ActionRow, status: ActionRow["status"], result: Record<string, unknown>) {
  await db
    .update(portalAssistantActions)
    .set({ status, result })
    .where(and(eq(portalAssistantActions.tenantId, row.tenantId), eq(portalAssistantActions.id, row.id)));
  return { ...row, status, result };
}

export async function cancelAction(db: Db, me: Me, id: string): Promise<ActionView> {
  return serializeAction(await decide(db, await ownAction(db, me, id), "cancelled", null));
}

export async function listActions(db: Db, me: Me, limit = 50): Promise<ActionView[]> {
  const rows = await db
    .select()
    .from(portalAssistantActions)
    .where(tenantScope(db, me.tenantId).where(portalAssistantActions, eq(portalAssistantActions.endUserId, me.id)))
    .orderBy(desc(portalAssistantActions.createdAt), desc(portalAssistantActions.id))
    .limit(limit);
  return rows.map(serializeAction);
}
