import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { commerceReservations, commerceVariants, type ReservationStatus } from "../../../schema/commerce";
import { tenantScope, type Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { chunks } from "./products.read";

/**
 * Inventory reservations: units held for a checkout for N minutes.
 *
 * Reserving is one D1 batch (a transaction) per checkout: for every tracked line,
 * `UPDATE commerce_variants SET reserved = reserved + q` plus its reservation row. The condition
 * lives in the table: its CHECK (0 ≤ reserved ≤ on_hand) makes the UPDATE of a line that would
 * oversell fail, and a failing statement rolls the whole batch back — every line and every
 * reservation row — so a checkout gets all its units or none (a WHERE on the UPDATE would only
 * skip that line). Concurrent buyers are serialised by D1; more buyers than units never oversell.
 *
 * Every reservation row leaves `held` exactly once, in the same batch as its stock change:
 * released/expired → reserved − q; committed → on_hand − q and reserved − q (stock decremented once).
 */

type Stmt = BatchItem<"sqlite">;

export interface ReservationLine {
  variantId: string;
  quantity: number;
}
export interface Reservation {
  id: string;
  checkout_id: string;
  variant_id: string;
  quantity: number;
  status: ReservationStatus;
  expires_at: string;
}

const serialize = (r: typeof commerceReservations.$inferSelect): Reservation => ({
  id: r.id,
  checkout_id: r.checkoutId,
  variant_id: r.variantId,
  quantity: r.quantity,
  status: r.status,
  expires_at: new Date(r.expiresAt).toISOString(),
});

export class InsufficientStock extends Problem {
  constructor(readonly short: { variant_id: string; sku: string | null; requested: number; available: number }[]) {
    super(
      409,
      "insufficient-stock",
      "Not enough stock",
      short.length
        ? `Not enough stock for ${short.map((s) => `${s.sku ?? s.variant_id} (${s.available} left, ${s.requested} wanted)`).join(", ")}.`
        : "Not enough stock.",
      { short },
    );
  }
}

const isStockCheck = (err: unknown) =>
  /commerce_variants_stock_check|CHECK constraint failed/.test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);

export async function reservationsOf(db: Db, tenantId: string, checkoutId: string): Promise<Reservation[]> {
  const rows = await db
    .select()
    .from(commerceReservations)
    .where(tenantScope(db, tenantId).where(commerceReservations, eq(commerceReservations.checkoutId, checkoutId)))
    .orderBy(asc(commerceReservations.id));
  return rows.map(serialize);
}

/**
 * Holds the lines' units for `checkoutId` until now + holdMinutes; all or nothing. A checkout
 * that already holds units gets its old holds released in the same batch (re-reserving after the
 * cart changed). Untracked variants (unlimited) are skipped. Throws InsufficientStock (409)
 * naming the short lines; unknown variants are 404.
 */
export async function reserveStock(
  db: Db,
  tenantId: string,
  checkoutId: string,
  lines: ReservationLine[],
  o: { holdMinutes: number; now?: number },
): Promise<Reservation[]> {
  const now = o.now ?? Date.now();
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.variantId, (merged.get(l.variantId) ?? 0) + l.quantity);
  const ids = [...merged.keys()];
  const variants = new Map<string, { sku: string; trackInventory: boolean }>();
  for (const part of chunks(ids)) {
    const rows = await db
      .select({ id: commerceVariants.id, sku: commerceVariants.sku, trackInventory: commerceVariants.trackInventory })
      .from(commerceVariants)
      .where(tenantScope(db, tenantId).where(commerceVariants, inArray(commerceVariants.id, part)));
    for (const r of rows) variants.set(r.id, r);
  }
  const unknown = ids.filter((id) => !variants.has(id));
  if (unknown.length) throw new Problem(404, "not-found", "Not found", `Variant ${unknown.join(", ")} was not found.`);

  const expiresAt = now + o.holdMinutes * 60_000;
  const stmts: Stmt[] = [...releaseStatements(db, tenantId, await heldRows(db, tenantId, checkoutId), "released", now)];
  for (const [variantId, quantity] of merged) {
    if (!variants.get(variantId)?.trackInventory) continue;
    stmts.push(
      db
        .update(commerceVariants)
        .set({ reserved: sql`${commerceVariants.reserved} + ${quantity}`, updatedAt: now })
        .where(and(eq(commerceVariants.tenantId, tenantId), eq(commerceVariants.id, variantId))),
      db.insert(commerceReservations).values({
        tenantId,
        id: newId("rsv"),
        checkoutId,
        variantId,
        quantity,
        status: "held",
        expiresAt,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }
  if (stmts.length) {
    try {
      await db.batch(stmts as [Stmt, ...Stmt[]]);
    } catch (err) {
      if (!isStockCheck(err)) throw err;
      throw new InsufficientStock(await shortLines(db, tenantId, checkoutId, merged));
    }
  }
  return (await reservationsOf(db, tenantId, checkoutId)).filter((r) => r.status === "held");
}

/** After a refused batch: which lines are short right now (for the message; the batch wrote nothing). */
async function shortLines(db: Db, tenantId: string, checkoutId: string, wanted: Map<string, number>) {
  const mine = new Map((await heldRows(db, tenantId, checkoutId)).map((r) => [r.variantId, r.quantity]));
  const rows = await db
    .select()
    .from(commerceVariants)
    .where(tenantScope(db, tenantId).where(commerceVariants, inArray(commerceVariants.id, [...wanted.keys()].slice(0, 80))));
  return rows
    .filter((v) => v.trackInventory)
    .map((v) => ({
      variant_id: v.id,
      sku: v.sku,
      requested: wanted.get(v.id) ?? 0,
      available: v.onHand - v.reserved + (mine.get(v.id) ?? 0),
    }))
    .filter((s) => s.requested > s.available);
}

async function heldRows(db: Db, tenantId: string, checkoutId: string) {
  return db
    .select()
    .from(commerceReservations)
    .where(
      tenantScope(db, tenantId).where(
        commerceReservations,
        eq(commerceReservations.checkoutId, checkoutId),
        eq(commerceReservations.status, "held"),
      ),
    );
}

/**
 * The statements that move held rows to `to`, each paired with its stock change. The stock
 * statement comes first and is conditioned on the row still being held, so a row released twice
 * (the cron and an explicit release racing) changes the stock once.
 */
function releaseStatements(
  db: Db,
  tenantId: string,
  rows: { id: string; variantId: string; quantity: number }[],
  to: "released" | "expired" | "committed",
  now: number,
): Stmt[] {
  return rows.flatMap((r) => {
    const stillHeld = sql`EXISTS (SELECT 1 FROM commerce_reservations r WHERE r.tenant_id = ${tenantId} AND r.id = ${r.id} AND r.status = 'held')`;
    return [
      db
        .update(commerceVariants)
        .set({
          reserved: sql`${commerceVariants.reserved} - ${r.quantity}`,
          ...(to === "committed" ? { onHand: sql`${commerceVariants.onHand} - ${r.quantity}` } : {}),
          updatedAt: now,
        })
        .where(and(eq(commerceVariants.tenantId, tenantId), eq(commerceVariants.id, r.variantId), stillHeld)),
      db
        .update(commerceReservations)
        .set({ status: to, updatedAt: now })
        .where(
          and(eq(commerceReservations.tenantId, tenantId), eq(commerceReservations.id, r.id), eq(commerceReservations.status, "held")),
        ),
    ];
  });
}

/** Gives a checkout's held units back (abandoned, cancelled). Returns how many rows were released. */
export async function releaseReservations(db: Db, tenantId: string, checkoutId: string, now = Date.now()): Promise<number> {
  const rows = await heldRows(db, tenantId, checkoutId);
  if (!rows.length) return 0;
  await db.batch(releaseStatements(db, tenantId, rows, "released", now) as [Stmt, ...Stmt[]]);
  return (await reservationsOf(db, tenantId, checkoutId)).filter((r) => rows.some((h) => h.id === r.id) && r.status === "released").length;
}

/**
 * The checkout was paid (part 2: from the provider's webhook or a verified capture): its held
 * units leave the stock — on_hand − q and reserved − q, exactly once per reservation however often
 * this is called. A hold that was already released or expired is not taken again here: those lines
 * come back in `not_held` for part 2 to decide (take the stock if still available, or refund).
 */
export async function commitReservations(
  db: Db,
  tenantId: string,
  checkoutId: string,
  now = Date.now(),
): Promise<{ committed: Reservation[]; not_held: Reservation[] }> {
  const rows = await heldRows(db, tenantId, checkoutId);
  if (rows.length) await db.batch(releaseStatements(db, tenantId, rows, "committed", now) as [Stmt, ...Stmt[]]);
  const all = await reservationsOf(db, tenantId, checkoutId);
  return {
    committed: all.filter((r) => r.status === "committed"),
    not_held: all.filter((r) => r.status === "released" || r.status === "expired"),
  };
}

/** Cron: held reservations past `expires_at`, across workspaces (partial index on held rows), become expired. */
export async function expireReservations(db: Db, now: number, limit = 200): Promise<number> {
  const due = await db
    .select()
    .from(commerceReservations)
    .where(and(eq(commerceReservations.status, "held"), lte(commerceReservations.expiresAt, now)))
    .limit(limit);
  if (!due.length) return 0;
  const byTenant = new Map<string, typeof due>();
  for (const r of due) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
  for (const [tenantId, rows] of byTenant)
    for (const part of chunks(rows, 40)) await db.batch(releaseStatements(db, tenantId, part, "expired", now) as [Stmt, ...Stmt[]]);
  return due.length;
}
