import { and, eq, sql, type SQL } from "drizzle-orm";
import { commerceProducts, type ProductStatus } from "../../../schema/commerce";
import type { Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { keyset, toPage } from "../../platform/pagination";
import { loadProducts, type ProductFull } from "./products.read";

/**
 * Catalogue listing and search. Without `q`: newest first, keyset pages. With `q`: FTS5 over
 * title, description and keywords (SKUs, option values) in `commerce_products_fts` (custom
 * migration 0021), every word a prefix and all of them required, ranked by BM25 (title weighs
 * most); pages by offset, since a relevance order has no stable key. Like chat and knowledge, the
 * MATCH requires the tenant's scope token, so a search only walks this tenant's postings.
 */

const MAX_TERMS = 12;
/** bm25() weights: title, description, keywords, scope (never scores). */
const BM25 = "10.0, 2.0, 5.0, 0.0";

export function scopeToken(tenantId: string): string {
  return `zt${tenantId.toLowerCase().replace(/_/g, "")}`;
}

/** A visitor's words → a safe MATCH expression (each word quoted, so FTS syntax in the input is inert). */
export function productMatch(q: string, tenantId: string): string | null {
  const terms = [...new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_TERMS);
  if (!terms.length) return null;
  return `fts_scope:"${scopeToken(tenantId)}" AND {title description keywords}:(${terms.map((t) => `"${t}"*`).join(" AND ")})`;
}

export interface ListFilter {
  q?: string;
  status?: ProductStatus;
  collection?: string;
  currency: string;
  price_min?: number;
  price_max?: number;
  limit: number;
  cursor?: string;
}

function filters(tenantId: string, f: ListFilter): SQL[] {
  const conds: SQL[] = [eq(commerceProducts.tenantId, tenantId)];
  if (f.status) conds.push(eq(commerceProducts.status, f.status));
  if (f.collection)
    conds.push(sql`EXISTS (SELECT 1 FROM commerce_product_collections pc JOIN commerce_collections c
      ON c.tenant_id = pc.tenant_id AND c.id = pc.collection_id
      WHERE pc.tenant_id = ${tenantId} AND pc.product_id = commerce_products.id AND (c.id = ${f.collection} OR c.slug = ${f.collection}))`);
  if (f.price_min !== undefined || f.price_max !== undefined)
    conds.push(sql`EXISTS (SELECT 1 FROM commerce_variant_prices vp
      WHERE vp.tenant_id = ${tenantId} AND vp.product_id = commerce_products.id AND vp.currency = ${f.currency}
      AND vp.amount >= ${f.price_min ?? 0} AND vp.amount <= ${f.price_max ?? Number.MAX_SAFE_INTEGER})`);
  return conds;
}

const encodeOffset = (n: number) => btoa(`o:${n}`).replace(/=+$/, "");
function decodeOffset(cursor: string): number {
  try {
    const m = /^o:(\d{1,6})$/.exec(atob(cursor));
    if (m?.[1]) return Number(m[1]);
  } catch {}
  throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page unchanged.");
}

export async function listProducts<Out>(
  db: Db,
  tenantId: string,
  f: ListFilter,
  serialize: (p: ProductFull) => Out,
): Promise<{ data: Out[]; next_cursor: string | null }> {
  const conds = filters(tenantId, f);
  if (f.q !== undefined && f.q.trim() !== "") {
    const match = productMatch(f.q, tenantId);
    if (!match) return { data: [], next_cursor: null };
    const offset = f.cursor ? decodeOffset(f.cursor) : 0;
    const rows = await db.all<{ id: string }>(sql`
      SELECT commerce_products.id AS id FROM commerce_products_fts
      JOIN commerce_products ON commerce_products.tenant_id = commerce_products_fts.tenant_id AND commerce_products.id = commerce_products_fts.product_id
      WHERE commerce_products_fts MATCH ${match} AND ${sql.join(conds, sql` AND `)}
      ORDER BY bm25(commerce_products_fts, ${sql.raw(BM25)}), commerce_products.id
      LIMIT ${f.limit + 1} OFFSET ${offset}`);
    const more = rows.length > f.limit;
    const products = await loadProducts(
      db,
      tenantId,
      rows.slice(0, f.limit).map((r) => r.id),
    );
    return { data: products.map(serialize), next_cursor: more ? encodeOffset(offset + f.limit) : null };
  }
  const ks = keyset(commerceProducts.createdAt, commerceProducts.id, f.cursor);
  const rows = await db
    .select({ id: commerceProducts.id, createdAt: commerceProducts.createdAt })
    .from(commerceProducts)
    .where(and(...conds, ks.where))
    .orderBy(...ks.orderBy)
    .limit(f.limit + 1);
  const page = toPage(
    rows,
    f.limit,
    (r) => r,
    (r) => r.id,
  );
  const products = await loadProducts(db, tenantId, page.data);
  return { data: products.map(serialize), next_cursor: page.next_cursor };
}
