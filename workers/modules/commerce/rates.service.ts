import { and, asc, eq, inArray } from "drizzle-orm";
import { commerceShippingRates, commerceTaxRates, type ShippingKind, type WeightBand } from "../../../schema/commerce";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { ShippingRule, TaxRule } from "./pricing";

/** Tax rates by destination and shipping rates: the tables the pricing function reads. */

type TaxRow = typeof commerceTaxRates.$inferSelect;
type ShippingRow = typeof commerceShippingRates.$inferSelect;

export interface TaxRateInput {
  country: string;
  region?: string;
  name?: string;
  rate_ppm: number;
  inclusive?: boolean;
  applies_to_shipping?: boolean;
}
export interface ShippingRateInput {
  name: string;
  currency: string;
  countries?: string[];
  kind: ShippingKind;
  amount?: number;
  weight_bands?: WeightBand[];
  free_over_amount?: number | null;
  active?: boolean;
}

export const serializeTaxRate = (t: TaxRow) => ({
  id: t.id,
  country: t.country,
  region: t.region || null,
  name: t.name,
  rate_ppm: t.ratePpm,
  inclusive: t.inclusive,
  applies_to_shipping: t.appliesToShipping,
  created_at: new Date(t.createdAt).toISOString(),
  updated_at: new Date(t.updatedAt).toISOString(),
});
export const serializeShippingRate = (s: ShippingRow) => ({
  id: s.id,
  name: s.name,
  currency: s.currency,
  countries: s.countries,
  kind: s.kind,
  amount: s.amount,
  weight_bands: s.weightBands,
  free_over_amount: s.freeOverAmount,
  active: s.active,
  created_at: new Date(s.createdAt).toISOString(),
  updated_at: new Date(s.updatedAt).toISOString(),
});

const destinationTaken = () =>
  conflict("This workspace already has a tax rate for that country and region; edit it instead.", "tax-rate-exists");
const isClash = (err: unknown) =>
  /UNIQUE constraint failed: commerce_tax_rates/.test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);

export async function listTaxRates(db: Db, tenantId: string) {
  const rows = await db
    .select()
    .from(commerceTaxRates)
    .where(tenantScope(db, tenantId).where(commerceTaxRates))
    .orderBy(asc(commerceTaxRates.country), asc(commerceTaxRates.region))
    .limit(1000);
  return rows.map(serializeTaxRate);
}

async function taxRow(db: Db, tenantId: string, id: string) {
  const row = await db
    .select()
    .from(commerceTaxRates)
    .where(tenantScope(db, tenantId).where(commerceTaxRates, eq(commerceTaxRates.id, id)))
    .get();
  if (!row) throw notFound("Tax rate");
  return row;
}

export async function createTaxRate(db: Db, tenantId: string, input: TaxRateInput) {
  const now = Date.now();
  const id = newId("txr");
  try {
    await db.insert(commerceTaxRates).values({
      tenantId,
      id,
      country: input.country,
      region: input.region ?? "",
      name: input.name ?? "Tax",
      ratePpm: input.rate_ppm,
      inclusive: input.inclusive ?? false,
      appliesToShipping: input.applies_to_shipping ?? false,
      createdAt: now,
      updatedAt: now,
    });
  } catch (err) {
    if (isClash(err)) throw destinationTaken();
    throw err;
  }
  return serializeTaxRate(await taxRow(db, tenantId, id));
}

export async function updateTaxRate(db: Db, tenantId: string, id: string, patch: Partial<TaxRateInput>) {
  await taxRow(db, tenantId, id);
  try {
    await db
      .update(commerceTaxRates)
      .set({
        ...(patch.country !== undefined ? { country: patch.country } : {}),
        ...(patch.region !== undefined ? { region: patch.region } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.rate_ppm !== undefined ? { ratePpm: patch.rate_ppm } : {}),
        ...(patch.inclusive !== undefined ? { inclusive: patch.inclusive } : {}),
        ...(patch.applies_to_shipping !== undefined ? { appliesToShipping: patch.applies_to_shipping } : {}),
        updatedAt: Date.now(),
      })
      .where(and(eq(commerceTaxRates.tenantId, tenantId), eq(commerceTaxRates.id, id)));
  } catch (err) {
    if (isClash(err)) throw destinationTaken();
    throw err;
  }
  return serializeTaxRate(await taxRow(db, tenantId, id));
}

export async function deleteTaxRate(db: Db, tenantId: string, id: string, actor: Actor) {
  const t = await taxRow(db, tenantId, id);
  await db.batch([
    db.delete(commerceTaxRates).where(and(eq(commerceTaxRates.tenantId, tenantId), eq(commerceTaxRates.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.tax_rate.deleted",
      target: { type: "commerce_tax_rate", id },
      metadata: { country: t.country, region: t.region },
    }),
  ]);
}

/** The tax for a destination: its region's rate, else the country's ('' region), else none. */
export async function taxFor(db: Db, tenantId: string, country: string | null, region: string | null): Promise<TaxRule | null> {
  if (!country) return null;
  const rows = await db
    .select()
    .from(commerceTaxRates)
    .where(
      tenantScope(db, tenantId).where(
        commerceTaxRates,
        eq(commerceTaxRates.country, country),
        inArray(commerceTaxRates.region, ["", region ?? ""]),
      ),
    );
  const row = rows.find((r) => r.region !== "" && r.region === region) ?? rows.find((r) => r.region === "");
  return row ? { name: row.name, ratePpm: row.ratePpm, inclusive: row.inclusive, appliesToShipping: row.appliesToShipping } : null;
}

function checkShipping(input: Partial<ShippingRateInput>, kind: ShippingKind | undefined) {
  if (kind === "weight" && input.weight_bands !== undefined && input.weight_bands.length === 0)
    throw validationFailed([{ path: "weight_bands", message: "a weight rate needs at least one band" }]);
  const ups = (input.weight_bands ?? []).map((b) => b.up_to_grams);
  if (new Set(ups).size !== ups.length) throw validationFailed([{ path: "weight_bands", message: "two bands have the same up_to_grams" }]);
}

async function shippingRow(db: Db, tenantId: string, id: string) {
  const row = await db
    .select()
    .from(commerceShippingRates)
    .where(tenantScope(db, tenantId).where(commerceShippingRates, eq(commerceShippingRates.id, id)))
    .get();
  if (!row) throw notFound("Shipping rate");
  return row;
}

export async function listShippingRates(db: Db, tenantId: string) {
  const rows = await db
    .select()
    .from(commerceShippingRates)
    .where(tenantScope(db, tenantId).where(commerceShippingRates))
    .orderBy(asc(commerceShippingRates.currency), asc(commerceShippingRates.name))
    .limit(1000);
  return rows.map(serializeShippingRate);
}

export async function createShippingRate(db: Db, tenantId: string, input: ShippingRateInput) {
  if (input.kind === "weight" && !input.weight_bands?.length)
    throw validationFailed([{ path: "weight_bands", message: "a weight rate needs at least one band" }]);
  checkShipping(input, input.kind);
  const now = Date.now();
  const id = newId("shr");
  await db.insert(commerceShippingRates).values({
    tenantId,
    id,
    name: input.name,
    currency: input.currency,
    countries: input.countries ?? [],
    kind: input.kind,
    amount: input.amount ?? 0,
    weightBands: input.weight_bands ?? [],
    freeOverAmount: input.free_over_amount ?? null,
    active: input.active ?? true,
    createdAt: now,
    updatedAt: now,
  });
  return serializeShippingRate(await shippingRow(db, tenantId, id));
}

export async function updateShippingRate(db: Db, tenantId: string, id: string, patch: Partial<ShippingRateInput>) {
  const cur = await shippingRow(db, tenantId, id);
  const kind = patch.kind ?? cur.kind;
  checkShipping(patch, kind);
  if (kind === "weight" && (patch.weight_bands ?? cur.weightBands).length === 0)
    throw validationFailed([{ path: "weight_bands", message: "a weight rate needs at least one band" }]);
  await db
    .update(commerceShippingRates)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
      ...(patch.countries !== undefined ? { countries: patch.countries } : {}),
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.amount !== undefined ? { amount: patch.amount } : {}),
      ...(patch.weight_bands !== undefined ? { weightBands: patch.weight_bands } : {}),
      ...(patch.free_over_amount !== undefined ? { freeOverAmount: patch.free_over_amount } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updatedAt: Date.now(),
    })
    .where(and(eq(commerceShippingRates.tenantId, tenantId), eq(commerceShippingRates.id, id)));
  return serializeShippingRate(await shippingRow(db, tenantId, id));
}

export async function deleteShippingRate(db: Db, tenantId: string, id: string, actor: Actor) {
  const s = await shippingRow(db, tenantId, id);
  await db.batch([
    db.delete(commerceShippingRates).where(and(eq(commerceShippingRates.tenantId, tenantId), eq(commerceShippingRates.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.shipping_rate.deleted",
      target: { type: "commerce_shipping_rate", id },
      metadata: { name: s.name },
    }),
  ]);
}

export const toShippingRule = (s: ShippingRow): ShippingRule => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  amount: s.amount,
  weightBands: s.weightBands,
  freeOverAmount: s.freeOverAmount,
});

/** The active rates in a currency that ship to a country ([] countries = everywhere). */
export async function shippingRatesFor(db: Db, tenantId: string, currency: string, country: string | null): Promise<ShippingRule[]> {
  const rows = await db
    .select()
    .from(commerceShippingRates)
    .where(
      tenantScope(db, tenantId).where(
        commerceShippingRates,
        eq(commerceShippingRates.currency, currency),
        eq(commerceShippingRates.active, true),
      ),
    );
  return rows.filter((r) => r.countries.length === 0 || (country !== null && r.countries.includes(country))).map(toShippingRule);
}
