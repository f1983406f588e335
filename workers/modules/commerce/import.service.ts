import { eq } from "drizzle-orm";
import { commerceCollections, commerceProducts } from "../../../schema/commerce";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { getFileMeta } from "../files";
import { createProductInput, productInput, variantInput, type VariantInput } from "./catalogue.schemas";
import { csvLine, parseCsv } from "./csv";
import { formatMajor, parseMajor } from "./money";
import { loadProducts } from "./products.read";
import { createProduct, updateProduct } from "./products.service";
import { addVariant, changeInventory, updateVariant } from "./variants.service";
import { listProducts } from "./search";

/**
 * CSV import/export of the catalogue: one row per variant; the product's own columns repeat on
 * each of its rows (the first row of a handle wins on import). Prices are decimal in one column
 * per currency (`price_USD`, `price_EUR`…), converted with the currency's exponent. Import
 * upserts: a product by handle (slug), a variant by SKU; a bad row is reported with its line
 * number and field and skipped, and a product whose rows have errors is skipped as a whole.
 */

const BASE_COLUMNS = [
  "handle",
  "title",
  "description",
  "status",
  "type",
  "weight_grams",
  "collections",
  "images",
  "digital_file_id",
  "option1_name",
  "option1_value",
  "option2_name",
  "option2_value",
  "option3_name",
  "option3_value",
  "sku",
  "variant_weight_grams",
  "track_inventory",
  "on_hand",
] as const;
export const MAX_IMPORT_ROWS = 5000;

export async function exportCsv(db: Db, tenantId: string): Promise<string> {
  const products = [];
  let cursor: string | undefined;
  do {
    const page = await listProducts(db, tenantId, { currency: "USD", limit: 100, cursor }, (p) => p);
    products.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  products.reverse(); // oldest first, like a spreadsheet someone keeps appending to
  const currencies = [...new Set(products.flatMap((p) => p.variants.flatMap((v) => Object.keys(v.prices))))].sort();
  const lines = [csvLine([...BASE_COLUMNS, ...currencies.map((c) => `price_${c}`)])];
  for (const p of products)
    for (const v of p.variants) {
      const opts = [0, 1, 2].flatMap((i) => {
        const name = p.options[i];
        return name ? [name, v.options[name] ?? ""] : ["", ""];
      });
      lines.push(
        csvLine([
          p.slug,
          p.title,
          p.description,
          p.status,
          p.type,
          p.weightGrams,
          p.collections.map((c) => c.slug).join(";"),
          p.images.join(";"),
          p.digitalFileId,
          ...opts,
          v.sku,
          v.weightGrams,
          v.trackInventory ? "true" : "false",
          v.onHand,
          ...currencies.map((c) => (v.prices[c] === undefined ? "" : formatMajor(v.prices[c], c))),
        ]),
      );
    }
  return `${lines.join("\r\n")}\r\n`;
}

interface RowError {
  row: number;
  field: string | null;
  message: string;
}
interface ParsedRow {
  row: number;
  handle: string;
  product: Record<string, unknown>;
  variant: VariantInput;
}

const int = (s: string) => (s.trim() === "" ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);
const list = (s: string) =>
  s
    .split(";")
    .map((x) => x.trim())
    .filter(Boolean);

export async function importCsv(env: Env, db: Db, tenantId: string, text: string, dryRun: boolean) {
  const table = parseCsv(text);
  const header = (table[0] ?? []).map((h) => h.trim());
  const errors: RowError[] = [];
  const result = {
    dry_run: dryRun,
    rows: Math.max(0, table.length - 1),
    products_created: 0,
    products_updated: 0,
    variants_created: 0,
    variants_updated: 0,
    errors,
  };
  const col = new Map(header.map((h, i) => [h, i]));
  for (const required of ["handle", "title", "sku"])
    if (!col.has(required)) errors.push({ row: 1, field: required, message: "missing column" });
  if (table.length - 1 > MAX_IMPORT_ROWS)
    errors.push({ row: MAX_IMPORT_ROWS + 2, field: null, message: `at most ${MAX_IMPORT_ROWS} rows per import` });
  if (errors.length) return result;
  const priceCols = header.flatMap((h, i) => {
    const m = /^price_([A-Za-z]{3})$/.exec(h);
    return m?.[1] ? [{ i, currency: m[1].toUpperCase() }] : [];
  });

  const collections = new Map(
    (
      await db
        .select({ id: commerceCollections.id, slug: commerceCollections.slug })
        .from(commerceCollections)
        .where(tenantScope(db, tenantId).where(commerceCollections))
    ).map((c) => [c.slug, c.id]),
  );
  const fileOk = new Map<string, boolean>();
  const fileExists = async (id: string) => {
    if (!fileOk.has(id))
      fileOk.set(
        id,
        await getFileMeta(env, tenantId, id).then(
          () => true,
          () => false,
        ),
      );
    return fileOk.get(id) === true;
  };

  // 1. Parse and validate every row on its own.
  const parsed: ParsedRow[] = [];
  const badHandles = new Set<string>();
  for (let r = 1; r < table.length; r++) {
    const line = r + 1;
    const cells = table[r] ?? [];
    const get = (name: string) => (col.has(name) ? (cells[col.get(name) ?? -1] ?? "").trim() : "");
    const handle = get("handle").toLowerCase();
    const rowErrors: RowError[] = [];
    const options: string[] = [];
    const values: Record<string, string> = {};
    for (const n of [1, 2, 3]) {
      const name = get(`option${n}_name`);
      if (name) {
        options.push(name);
        values[name] = get(`option${n}_value`);
      }
    }
    const prices: Record<string, number> = {};
    for (const pc of priceCols) {
      const raw = (cells[pc.i] ?? "").trim();
      if (!raw) continue;
      const amount = parseMajor(raw, pc.currency);
      if (amount === null)
        rowErrors.push({
          row: line,
          field: header[pc.i] ?? null,
          message: `not a price in ${pc.currency} (e.g. ${formatMajor(1999, pc.currency)})`,
        });
      else prices[pc.currency] = amount;
    }
    const collectionSlugs = list(get("collections"));
    const collectionIds: string[] = [];
    for (const slug of collectionSlugs) {
      const id = collections.get(slug);
      if (id) collectionIds.push(id);
      else rowErrors.push({ row: line, field: "collections", message: `no collection with the handle ${slug}` });
    }
    const images = list(get("images"));
    for (const id of [...images, get("digital_file_id")].filter(Boolean))
      if (!(await fileExists(id)))
        rowErrors.push({
          row: line,
          field: id === get("digital_file_id") ? "digital_file_id" : "images",
          message: `no such file in this workspace: ${id}`,
        });
    const product = {
      title: get("title"),
      slug: handle,
      description: get("description"),
      status: get("status") || undefined,
      type: get("type") || undefined,
      weight_grams: int(get("weight_grams")) ?? null,
      options,
      images,
      digital_file_id: get("digital_file_id") || null,
      collection_ids: collectionIds,
    };
    const track = get("track_inventory").toLowerCase();
    const variant = {
      sku: get("sku"),
      options: values,
      prices,
      weight_grams: int(get("variant_weight_grams")) ?? null,
      track_inventory: track === "" ? undefined : track === "true" || track === "yes" || track === "1",
      on_hand: int(get("on_hand")),
    };
    const pv = productInput.safeParse(product);
    const vv = variantInput.safeParse(variant);
    for (const issue of [...(pv.success ? [] : pv.error.issues), ...(vv.success ? [] : vv.error.issues)])
      rowErrors.push({ row: line, field: issue.path.map(String).join(".") || null, message: issue.message });
    if (!Object.keys(prices).length) rowErrors.push({ row: line, field: "price_*", message: "give a price in at least one currency" });
    if (rowErrors.length || !pv.success || !vv.success) {
      errors.push(...rowErrors);
      badHandles.add(handle);
      continue;
    }
    parsed.push({ row: line, handle, product: pv.data, variant: vv.data });
  }

  // 2. Group by handle; write (unless a dry run) product by product.
  const byHandle = new Map<string, ParsedRow[]>();
  for (const p of parsed) if (!badHandles.has(p.handle)) byHandle.set(p.handle, [...(byHandle.get(p.handle) ?? []), p]);
  for (const h of badHandles)
    if (parsed.some((p) => p.handle === h))
      errors.push({
        row: parsed.find((p) => p.handle === h)?.row ?? 0,
        field: "handle",
        message: `product ${h} skipped: another of its rows has errors`,
      });
  for (const [handle, rows] of byHandle) {
    const first = rows[0];
    if (!first) continue;
    try {
      await upsertProduct(env, db, tenantId, handle, first.product, rows, dryRun, result);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      const fieldErrs = (err.extensions.errors as { path: string; message: string }[] | undefined) ?? [];
      if (fieldErrs.length) for (const e of fieldErrs) errors.push({ row: first.row, field: e.path, message: e.message });
      else errors.push({ row: first.row, field: null, message: err.detail ?? err.title });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return result;
}

async function upsertProduct(
  env: Env,
  db: Db,
  tenantId: string,
  handle: string,
  product: Record<string, unknown>,
  rows: ParsedRow[],
  dryRun: boolean,
  result: { products_created: number; products_updated: number; variants_created: number; variants_updated: number },
) {
  const existing = await findBySlug(db, tenantId, handle);
  if (!existing) {
    const input = createProductInput.parse({ ...product, variants: rows.map((r) => r.variant) });
    if (!dryRun) await createProduct(env, db, tenantId, input);
    result.products_created++;
    result.variants_created += rows.length;
    return;
  }
  const { slug: _s, ...patch } = productInput.partial().parse(product);
  if (!dryRun) await updateProduct(env, db, tenantId, existing.id, patch);
  result.products_updated++;
  const bySku = new Map(existing.variants.map((v) => [v.sku, v]));
  for (const r of rows) {
    const v = bySku.get(r.variant.sku.toUpperCase());
    const { on_hand, ...rest } = r.variant;
    if (v) {
      if (!dryRun) {
        await updateVariant(db, tenantId, v.id, rest);
        if (on_hand !== undefined && on_hand !== v.onHand) await changeInventory(db, tenantId, v.id, { on_hand });
      }
      result.variants_updated++;
    } else {
      if (!dryRun) await addVariant(db, tenantId, existing.id, r.variant);
      result.variants_created++;
    }
  }
}

async function findBySlug(db: Db, tenantId: string, slug: string) {
  const row = await db
    .select({ id: commerceProducts.id })
    .from(commerceProducts)
    .where(tenantScope(db, tenantId).where(commerceProducts, eq(commerceProducts.slug, slug)))
    .get();
  return row ? ((await loadProducts(db, tenantId, [row.id]))[0] ?? null) : null;
}
