import { and, eq, isNull } from "drizzle-orm";
import { commerceOrders } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { signedFileUrl } from "../files";
import { send } from "../messaging";
import { formatMajor } from "./money";
import { addTimeline } from "./order-events";
import type { OrderLineRow, OrderRow } from "./orders.service";
import { orderLines } from "./orders.service";

/**
 * Order emails through messaging templates the workspace can edit (`commerce.receipt`,
 * `commerce.shipped`, `commerce.refunded`), transactional (no opt-out). The receipt goes exactly
 * once: one conditional UPDATE sets `receipt_sent_at` where it is still null, and only the call
 * that set it sends (plus an idempotency key, so even a retried send enqueues once).
 */

const DOWNLOAD_TTL_SECONDS = 24 * 3600;

export const money = (amount: number, currency: string) => `${formatMajor(amount, currency)} ${currency}`;

/** The buyer's order page (the hosted confirmation page, with the order's access token). */
export async function orderPageUrl(env: Env, db: Db, order: Pick<OrderRow, "tenantId" | "id" | "accessToken">): Promise<string> {
  const t = await getTenant(db, order.tenantId);
  return `${env.APP_URL.replace(/\/$/, "")}/checkout/${t.slug}/orders/${order.id}?token=${order.accessToken}`;
}

/** Signed download links of a paid order's digital lines (~24 h), by line id. */
export async function downloadLinks(env: Env, order: OrderRow, lines: OrderLineRow[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!order.paidAt || order.status === "refunded" || order.status === "cancelled") return out;
  for (const l of lines) {
    if (l.type !== "digital" || !l.digitalFileId || l.refundedQuantity >= l.quantity) continue;
    try {
      const s = await signedFileUrl(env, {
        tenantId: order.tenantId,
        fileId: l.digitalFileId,
        expiresIn: DOWNLOAD_TTL_SECONDS,
        disposition: "attachment",
      });
      out.set(l.id, s.url);
    } catch {
      // The file was deleted since: the line shows no link.
    }
  }
  return out;
}

async function receiptData(env: Env, db: Db, order: OrderRow) {
  const lines = await orderLines(db, order.tenantId, order.id);
  const links = await downloadLinks(env, order, lines);
  const items = lines
    .map((l) => {
      const title = l.variantTitle ? `${l.title} (${l.variantTitle})` : l.title;
      const link = links.get(l.id);
      return `${l.quantity} × ${title}: ${money(l.total, order.currency)}${link ? `\nDownload: ${link}` : ""}`;
    })
    .join("\n");
  return {
    workspace: (await getTenant(db, order.tenantId)).name,
    order: `#${order.number}`,
    items,
    total: money(order.total, order.currency),
    date: new Date(order.paidAt ?? order.createdAt).toISOString().slice(0, 10),
    link: await orderPageUrl(env, db, order),
  };
}

/** Sends the receipt if nobody has (the paid transition's winner calls it). */
export async function sendReceiptOnce(env: Env, db: Db, order: OrderRow): Promise<boolean> {
  if (order.receiptSentAt !== null) return false;
  // Send first (idempotent by key: a second run queues nothing new), then mark it sent: a crash in
  // between leaves `receipt_sent_at` empty, so the paid effects run again and the receipt goes out.
  await send(db, env.OUTBOX, receiptMessage(order, await receiptData(env, db, order), `commerce.receipt:${order.id}`));
  const claimed = await db
    .update(commerceOrders)
    .set({ receiptSentAt: Date.now() })
    .where(and(eq(commerceOrders.tenantId, order.tenantId), eq(commerceOrders.id, order.id), isNull(commerceOrders.receiptSentAt)))
    .returning({ id: commerceOrders.id });
  if (!claimed.length) return false;
  await addTimeline(db, order.tenantId, order.id, "receipt_sent", "system", { to: order.email });
  return true;
}

function receiptMessage(order: OrderRow, data: Awaited<ReturnType<typeof receiptData>>, idempotencyKey: string) {
  return {
    tenantId: order.tenantId,
    to: { email: order.email },
    channels: ["email" as const],
    template: "commerce.receipt",
    data,
    category: "transactional" as const,
    idempotencyKey,
  };
}

/** Staff "resend receipt" (and the portal's): a new email each time it is asked. */
export async function sendReceipt(env: Env, db: Db, order: OrderRow, idempotencyKey: string, actor = "system"): Promise<void> {
  await send(db, env.OUTBOX, receiptMessage(order, await receiptData(env, db, order), idempotencyKey));
  await addTimeline(db, order.tenantId, order.id, "receipt_sent", actor, { to: order.email });
}

export async function sendShipped(
  env: Env,
  db: Db,
  order: OrderRow,
  f: { id: string; carrier: string | null; trackingNumber: string | null; trackingUrl: string | null },
): Promise<void> {
  await send(db, env.OUTBOX, {
    tenantId: order.tenantId,
    to: { email: order.email },
    channels: ["email"],
    template: "commerce.shipped",
    data: {
      workspace: (await getTenant(db, order.tenantId)).name,
      order: `#${order.number}`,
      carrier: f.carrier ?? "",
      tracking_number: f.trackingNumber ?? "",
      tracking_url: f.trackingUrl ?? "",
      link: await orderPageUrl(env, db, order),
    },
    category: "transactional",
    idempotencyKey: `commerce.shipped:${f.id}`,
  });
  await addTimeline(db, order.tenantId, order.id, "shipping_email_sent", "system", { to: order.email, fulfilment_id: f.id });
}

export async function sendRefunded(env: Env, db: Db, order: OrderRow, refund: { id: string; amount: number }): Promise<void> {
  await send(db, env.OUTBOX, {
    tenantId: order.tenantId,
    to: { email: order.email },
    channels: ["email"],
    template: "commerce.refunded",
    data: {
      workspace: (await getTenant(db, order.tenantId)).name,
      order: `#${order.number}`,
      amount: money(refund.amount, order.currency),
      link: await orderPageUrl(env, db, order),
    },
    category: "transactional",
    idempotencyKey: `commerce.refunded:${refund.id}`,
  });
}
