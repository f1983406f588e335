import { and, desc, eq, isNull, sql } from "drizzle-orm";
import {
  invoiceLines,
  invoices,
  pendingInvoiceItems,
  type BillingProvider,
  type InvoiceStatus,
  type PlanId,
} from "../../../schema/billing";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { METER_NAMES, OVERAGE_PRICES, meterLimit } from "./plans";
import { overageLine, recurringLines, sumCents, type LineDraft, type PlanState } from "./proration";
import { effectivePlan, monthStart, type SubscriptionRow } from "./subscription.service";
import { periodOf } from "./meter";
import { currentUsage } from "./usage.store";

export type InvoiceRow = typeof invoices.$inferSelect;
type LineRow = typeof invoiceLines.$inferSelect;

const invoiceNumber = (tenantId: string, periodStart: number) =>
  `W-${tenantId.slice(-6).toUpperCase()}-${new Date(periodStart).toISOString().slice(0, 7).replace("-", "")}`;

/**
 * Writes an invoice with its lines (and marks pending items as invoiced) in one batch. Returns
 * the existing invoice if one already exists for (tenant, period start): generating twice is safe.
 */
export async function writeInvoice(
  db: Db,
  input: {
    tenantId: string;
    periodStart: number;
    periodEnd: number;
    plan: PlanId;
    provider: BillingProvider;
    lines: LineDraft[];
    pendingIds?: string[];
    status?: InvoiceStatus;
    number?: string;
  },
): Promise<InvoiceRow> {
  const existing = await db
    .select()
    .from(invoices)
    .where(tenantScope(db, input.tenantId).where(invoices, eq(invoices.periodStart, input.periodStart)))
    .get();
  if (existing) return existing;
  const now = Date.now();
  const total = sumCents(input.lines);
  const row: InvoiceRow = {
    tenantId: input.tenantId,
    id: newId("inv"),
    number: input.number ?? invoiceNumber(input.tenantId, input.periodStart),
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    plan: input.plan,
    currency: "usd",
    subtotalCents: total,
    totalCents: Math.max(0, total),
    status: input.status ?? (total <= 0 ? "paid" : "open"),
    provider: input.provider,
    providerInvoiceId: null,
    hostedUrl: null,
    paidAt: total <= 0 ? now : null,
    stateAt: 0,
    createdAt: now,
  };
  const stmts = [
    db.insert(invoices).values(row).onConflictDoNothing(),
    ...input.lines.map((l, i) =>
      db.insert(invoiceLines).values({
        tenantId: input.tenantId,
        id: newId("inl"),
        invoiceId: row.id,
        kind: l.kind,
        description: l.description,
        meter: l.meter ?? null,
        quantity: l.quantity,
        unitAmountCents: l.unitAmountCents,
        unitSize: l.unitSize,
        amountCents: l.amountCents,
        position: i,
      }),
    ),
    ...(input.pendingIds ?? []).map((pid) =>
      db
        .update(pendingInvoiceItems)
        .set({ invoiceId: row.id })
        .where(
          tenantScope(db, input.tenantId).where(
            pendingInvoiceItems,
            eq(pendingInvoiceItems.id, pid),
            isNull(pendingInvoiceItems.invoiceId),
          ),
        ),
    ),
  ];
  await db.batch(stmts as [any, ...any[]]);
  return (await db
    .select()
    .from(invoices)
    .where(tenantScope(db, input.tenantId).where(invoices, eq(invoices.periodStart, input.periodStart)))
    .get())!;
}

export async function pendingItems(db: Db, tenantId: string) {
  return db
    .select()
    .from(pendingInvoiceItems)
    .where(tenantScope(db, tenantId).where(pendingInvoiceItems, isNull(pendingInvoiceItems.invoiceId)))
    .orderBy(pendingInvoiceItems.createdAt);
}

/**
 * The lines of the monthly invoice starting at `periodStart` (the 1st of a month, UTC):
 * recurring fee and seats in advance (monthly plans every month, yearly plans in the month their
 * year starts), overage of the previous month in arrears (paid plans with overage on), and
 * pending proration items.
 */
export async function draftMonthlyInvoice(db: Db, d1: D1Database, sub: SubscriptionRow, periodStart: number) {
  const lines: LineDraft[] = [];
  const plan = effectivePlan(sub, periodStart);
  const state: PlanState = { plan: sub.plan, interval: sub.interval, seats: sub.seats };
  const renews = sub.interval === "month" || monthStart(sub.periodStart) === periodStart;
  if (plan !== "free" && renews && !(sub.status === "trialing" && (sub.trialEndsAt ?? 0) > periodStart))
    lines.push(...recurringLines(state));
  const prev = monthStart(periodStart, -1);
  if (plan !== "free" && sub.allowOverage) {
    for (const m of METER_NAMES) {
      if (!OVERAGE_PRICES[m]) continue;
      const used = await currentUsage(d1, sub.tenantId, m, prev);
      const line = overageLine(m, used, meterLimit(plan, m, sub.seats));
      if (line) lines.push({ ...line, description: `${line.description} in ${periodOf(prev)}` });
    }
  }
  const pending = await pendingItems(db, sub.tenantId);
  for (const p of pending)
    lines.push({
      kind: p.kind,
      description: p.description,
      quantity: 1,
      unitAmountCents: p.amountCents,
      unitSize: 1,
      amountCents: p.amountCents,
    });
  return { lines, pendingIds: pending.map((p) => p.id), plan: sub.plan };
}

export async function generateMonthlyInvoice(
  db: Db,
  d1: D1Database,
  sub: SubscriptionRow,
  periodStart: number,
): Promise<InvoiceRow | null> {
  const draft = await draftMonthlyInvoice(db, d1, sub, periodStart);
  if (!draft.lines.length) return null;
  return writeInvoice(db, {
    tenantId: sub.tenantId,
    periodStart,
    periodEnd: monthStart(periodStart, 1),
    plan: draft.plan,
    provider: sub.provider,
    lines: draft.lines,
    pendingIds: draft.pendingIds,
  });
}

/** Mirrors a provider invoice's status; an older event never moves a paid invoice back. */
export async function markInvoice(
  db: Db,
  tenantId: string,
  invoiceId: string,
  patch: { status: InvoiceStatus; providerInvoiceId?: string | null; hostedUrl?: string | null; at: number },
): Promise<boolean> {
  const res = await db
    .update(invoices)
    .set({
      status: patch.status,
      ...(patch.providerInvoiceId ? { providerInvoiceId: patch.providerInvoiceId } : {}),
      ...(patch.hostedUrl ? { hostedUrl: patch.hostedUrl } : {}),
      paidAt: patch.status === "paid" ? sql`coalesce(${invoices.paidAt}, ${patch.at})` : invoices.paidAt,
      stateAt: patch.at,
    })
    .where(
      tenantScope(db, tenantId).where(
        invoices,
        eq(invoices.id, invoiceId),
        sql`${invoices.stateAt} <= ${patch.at}`,
        patch.status === "paid" ? undefined : sql`${invoices.status} <> 'paid'`,
      ),
    );
  return (res.meta.changes ?? 0) > 0;
}

export async function findInvoice(db: Db, tenantId: string, by: { id?: string; providerInvoiceId?: string; periodStart?: number }) {
  const cond = by.id
    ? eq(invoices.id, by.id)
    : by.providerInvoiceId
      ? eq(invoices.providerInvoiceId, by.providerInvoiceId)
      : by.periodStart !== undefined
        ? eq(invoices.periodStart, by.periodStart)
        : undefined;
  if (!cond) return undefined;
  return db.select().from(invoices).where(tenantScope(db, tenantId).where(invoices, cond)).get();
}

export async function latestOpenInvoice(db: Db, tenantId: string) {
  return db
    .select()
    .from(invoices)
    .where(tenantScope(db, tenantId).where(invoices, sql`${invoices.status} in ('open','payment_failed')`))
    .orderBy(desc(invoices.createdAt))
    .get();
}

export const serializeInvoice = (i: InvoiceRow) => ({
  id: i.id,
  number: i.number,
  period_start: iso(i.periodStart)!,
  period_end: iso(i.periodEnd)!,
  plan: i.plan,
  currency: i.currency,
  subtotal_cents: i.subtotalCents,
  total_cents: i.totalCents,
  status: i.status,
  provider: i.provider,
  provider_invoice_id: i.providerInvoiceId,
  hosted_url: i.hostedUrl,
  paid_at: iso(i.paidAt),
  created_at: iso(i.createdAt)!,
});
const serializeLine = (l: LineRow) => ({
  id: l.id,
  kind: l.kind,
  description: l.description,
  meter: l.meter,
  quantity: l.quantity,
  unit_amount_cents: l.unitAmountCents,
  unit_size: l.unitSize,
  amount_cents: l.amountCents,
});

export async function listInvoices(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(invoices.createdAt, invoices.id, q.cursor);
  const rows = await db
    .select()
    .from(invoices)
    .where(tenantScope(db, tenantId).where(invoices, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeInvoice);
}

export async function getInvoice(db: Db, tenantId: string, id: string) {
  const inv = await findInvoice(db, tenantId, { id });
  if (!inv) throw notFound("Invoice");
  const lines = await db
    .select()
    .from(invoiceLines)
    .where(tenantScope(db, tenantId).where(invoiceLines, eq(invoiceLines.invoiceId, id)))
    .orderBy(invoiceLines.position);
  return { ...serializeInvoice(inv), lines: lines.map(serializeLine) };
}

export async function addPendingItems(db: Db, tenantId: string, lines: LineDraft[]) {
  if (!lines.length) return [];
  return lines.map((l) =>
    db.insert(pendingInvoiceItems).values({
      tenantId,
      id: newId("pii"),
      kind: l.kind === "credit" ? "credit" : "proration",
      description: l.description,
      amountCents: l.amountCents,
      invoiceId: null,
      createdAt: Date.now(),
    }),
  );
}
void and;
