import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import {
  collectionInput,
  collectionSchema,
  createProductInput,
  importResultSchema,
  inventoryInput,
  productListQuery,
  productSchema,
  updateProductInput,
  variantInput,
  variantPatch,
  variantSchema,
} from "./catalogue.schemas";
import { createCollection, deleteCollection, getCollection, listCollections, updateCollection } from "./collections.service";
import { exportCsv, importCsv } from "./import.service";
import { serializeProduct, serializeVariant } from "./products.read";
import { createProduct, deleteProduct, getProduct, updateProduct } from "./products.service";
import { addVariant, changeInventory, deleteVariant, updateVariant } from "./variants.service";
import { listProducts } from "./search";
import { getSettings } from "./settings.service";

/** The catalogue for a workspace's staff (mounted at /api/v1): products, variants, stock, collections, CSV. */
export const catalogueRoutes = createRouter();

const tags = ["Commerce"];
const READ = { auth: "tenant", permission: "commerce:read" } as const;
const WRITE = { auth: "tenant", permission: "commerce:write" } as const;
const productParam = idParam("id", "prod_01jd0000000000000000000000");
const variantParam = idParam("id", "var_01jd0000000000000000000000");
const collectionParam = idParam("id", "col_01jd0000000000000000000000");
const MAX_CSV_BYTES = 5 * 1024 * 1024;

// Static paths before /commerce/products/{id}.
catalogueRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/products/export",
    tags,
    summary: "The catalogue as CSV (one row per variant; prices per currency in price_<CUR> columns)",
    responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } } },
  }),
  async (c) => {
    const csv = await exportCsv(getDb(c.env.DB), currentTenantId(c));
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="products.csv"' });
  },
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/products/import",
    tags,
    summary: "Import products from CSV (the export's columns): upsert by handle and SKU; per-row errors; ?dry_run=true only checks",
    request: {
      query: z.object({ dry_run: z.enum(["true", "false"]).optional() }),
      body: { required: true, content: { "text/csv": { schema: z.string() } } },
    },
    responses: { 200: jsonResponse(importResultSchema, "What was (or would be) written, and the rows that were not") },
  }),
  async (c) => {
    const text = await c.req.text();
    if (new TextEncoder().encode(text).byteLength > MAX_CSV_BYTES) throw badRequest("A CSV import is at most 5 MB; split the file.");
    if (!text.trim()) throw badRequest("Send the CSV as the request body (Content-Type: text/csv).");
    return c.json(await importCsv(c.env, getDb(c.env.DB), currentTenantId(c), text, c.req.valid("query").dry_run === "true"), 200);
  },
);

catalogueRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/products",
    tags,
    summary: "Products (any status): newest first, or by relevance with q (FTS5); filter by status, collection, price range",
    request: { query: productListQuery },
    responses: { 200: jsonResponse(pageSchema(productSchema), "A page of products") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const q = c.req.valid("query");
    const currency = q.currency ?? (await getSettings(db, tenantId)).default_currency;
    return c.json(await listProducts(db, tenantId, { ...q, currency }, serializeProduct), 200);
  },
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/products",
    tags,
    summary: "Create a product with its variants (at least one), prices and stock",
    request: jsonBody(createProductInput),
    responses: { 201: jsonResponse(productSchema, "Created"), 409: problemDoc("The slug or a SKU is taken in this workspace") },
  }),
  async (c) => c.json(serializeProduct(await createProduct(c.env, getDb(c.env.DB), currentTenantId(c), c.req.valid("json"))), 201),
);
catalogueRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/products/{id}",
    tags,
    summary: "A product with its variants, prices, stock and collections",
    request: { params: productParam },
    responses: { 200: jsonResponse(productSchema, "The product") },
  }),
  async (c) => c.json(serializeProduct(await getProduct(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string)), 200),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/commerce/products/{id}",
    tags,
    summary: "Edit a product (not its variants); collection_ids replaces its collections",
    request: { params: productParam, ...jsonBody(updateProductInput) },
    responses: { 200: jsonResponse(productSchema, "Updated"), 409: problemDoc("The slug is taken") },
  }),
  async (c) =>
    c.json(
      serializeProduct(
        await updateProduct(c.env, getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json")),
      ),
      200,
    ),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/products/{id}",
    tags,
    summary: "Delete a product and its variants (refused while open checkouts hold its stock: archive it instead)",
    request: { params: productParam },
    responses: { 204: noContent, 409: problemDoc("Open checkouts hold its units") },
  }),
  async (c) => {
    await deleteProduct(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/products/{id}/variants",
    tags,
    summary: "Add a variant to a product",
    request: { params: productParam, ...jsonBody(variantInput.openapi("CreateCommerceVariant")) },
    responses: { 201: jsonResponse(productSchema, "The product with the new variant"), 409: problemDoc("The SKU is taken") },
  }),
  async (c) =>
    c.json(
      serializeProduct(await addVariant(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"))),
      201,
    ),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/commerce/variants/{id}",
    tags,
    summary: "Edit a variant (prices replace its prices; stock changes go through /inventory)",
    request: { params: variantParam, ...jsonBody(variantPatch) },
    responses: { 200: jsonResponse(productSchema, "The product"), 409: problemDoc("The SKU is taken") },
  }),
  async (c) =>
    c.json(
      serializeProduct(await updateVariant(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"))),
      200,
    ),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/variants/{id}",
    tags,
    summary: "Delete a variant (not a product's last one, nor one with units held by open checkouts)",
    request: { params: variantParam },
    responses: { 200: jsonResponse(productSchema, "The product"), 409: problemDoc("Last variant, or units held") },
  }),
  async (c) =>
    c.json(serializeProduct(await deleteVariant(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c))), 200),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/variants/{id}/inventory",
    tags,
    summary: "Set (on_hand) or adjust (adjust: ±n) a variant's units on hand; never below what open checkouts hold",
    request: { params: variantParam, ...jsonBody(inventoryInput) },
    responses: { 200: jsonResponse(variantSchema, "The variant"), 409: problemDoc("Would go below the units held (or below 0)") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const v = await changeInventory(db, tenantId, c.req.valid("param").id as string, c.req.valid("json"));
    const p = await getProduct(db, tenantId, v.productId);
    const full = p.variants.find((x) => x.id === v.id) ?? { ...v, prices: {} };
    return c.json(serializeVariant(full), 200);
  },
);

catalogueRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/collections",
    tags,
    summary: "Collections of the workspace, by title, with product counts",
    responses: { 200: jsonResponse(z.object({ data: z.array(collectionSchema) }), "Collections") },
  }),
  async (c) => c.json({ data: await listCollections(getDb(c.env.DB), currentTenantId(c)) }, 200),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/collections",
    tags,
    summary: "Create a collection (optionally with its products)",
    request: jsonBody(collectionInput),
    responses: { 201: jsonResponse(collectionSchema, "Created"), 409: problemDoc("The slug is taken") },
  }),
  async (c) => c.json(await createCollection(getDb(c.env.DB), currentTenantId(c), c.req.valid("json")), 201),
);
catalogueRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/collections/{id}",
    tags,
    summary: "A collection",
    request: { params: collectionParam },
    responses: { 200: jsonResponse(collectionSchema, "The collection") },
  }),
  async (c) => c.json(await getCollection(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string), 200),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/commerce/collections/{id}",
    tags,
    summary: "Edit a collection; product_ids replaces its products",
    request: { params: collectionParam, ...jsonBody(collectionInput.partial().openapi("UpdateCommerceCollection")) },
    responses: { 200: jsonResponse(collectionSchema, "Updated"), 409: problemDoc("The slug is taken") },
  }),
  async (c) =>
    c.json(await updateCollection(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json")), 200),
);
catalogueRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/collections/{id}",
    tags,
    summary: "Delete a collection (its products stay)",
    request: { params: collectionParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteCollection(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
