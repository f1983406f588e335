import { z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { getDb } from "../../platform/db";
import { shopOf, unauthorizedDoc } from "./storefront-key";
import { notFound } from "../../platform/errors";
import { enforceRateLimit } from "../../platform/ratelimit";
import { clientIp } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { productListQuery, publicProductSchema } from "./catalogue.schemas";
import { cartInput, cartSchema, lineInput, lineQuantityInput, publicKeyQuery } from "./carts.schemas";
import { pricedCart } from "./cart-pricing";
import { checkoutPublicRoutes } from "./checkouts.routes";
import { addLine, createCart, mergeCarts, openCartOf, removeLine, setLineQuantity, updateCart } from "./carts.service";
import { assertCartAccess, callerEndUser } from "./cart-owner";
import { requireEndUser } from "../../platform/end-users";
import { listCollections } from "./collections.service";
import { loadProducts, serializePublicProduct } from "./products.read";
import { listProducts } from "./search";
import { getSettings } from "./settings.service";
import { and, eq, or } from "drizzle-orm";
import { commerceProducts } from "../../../schema/commerce";

/**
 * The storefront API of a tenant's own site (mounted at /public/v1): active products, collections
 * and carts. Every call carries the workspace's publishable key (`?key=` or X-Publishable-Key) from
 * an Origin on its allow-list. A cart id is a capability, valid only with its own workspace's key:
 * another workspace's cart id is 404, like an unknown one.
 */
export const commercePublicRoutes = createRouter();
commercePublicRoutes.use(
  "/commerce/*",
  cors({
    origin: (o) => o,
    allowHeaders: ["Content-Type", "X-Publishable-Key", "Idempotency-Key", "Authorization"],
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    maxAge: 600,
  }),
);
commercePublicRoutes.use("/commerce/*", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  await next();
});

const tags = ["Commerce (public)"];
const PUBLIC = { auth: "public" } as const;

const cartParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "cart_…" }),
});
const lineParam = cartParam.extend({
  line_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "line_id", in: "path" } }),
});

commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/commerce/products",
    tags,
    summary: "The shop's active products, newest first or by relevance (q); filters by collection and price range",
    request: { query: productListQuery.omit({ status: true }).merge(publicKeyQuery) },
    responses: {
      200: jsonResponse(z.object({ data: z.array(publicProductSchema), next_cursor: z.string().nullable() }), "A page"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const q = c.req.valid("query");
    const currency = q.currency ?? (await getSettings(db, tenantId)).default_currency;
    return c.json(await listProducts(db, tenantId, { ...q, status: "active", currency }, (p) => serializePublicProduct(p, currency)), 200);
  },
);
commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/commerce/products/{slug}",
    tags,
    summary: "One active product by slug (or id)",
    request: {
      params: z.object({
        slug: z
          .string()
          .min(1)
          .max(80)
          .openapi({ param: { name: "slug", in: "path" } }),
      }),
      query: publicKeyQuery.extend({ currency: z.string().max(3).optional() }),
    },
    responses: { 200: jsonResponse(publicProductSchema, "The product"), ...unauthorizedDoc },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const { slug } = c.req.valid("param");
    const currency = (c.req.valid("query").currency?.toUpperCase() || undefined) ?? (await getSettings(db, tenantId)).default_currency;
    const row = await db
      .select({ id: commerceProducts.id })
      .from(commerceProducts)
      .where(
        and(
          eq(commerceProducts.tenantId, tenantId),
          eq(commerceProducts.status, "active"),
          or(eq(commerceProducts.slug, slug), eq(commerceProducts.id, slug)),
        ),
      )
      .get();
    const [p] = row ? await loadProducts(db, tenantId, [row.id]) : [];
    if (!p) throw notFound("Product");
    return c.json(serializePublicProduct(p, currency), 200);
  },
);
commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/commerce/collections",
    tags,
    summary: "The shop's collections",
    request: { query: publicKeyQuery },
    responses: {
      200: jsonResponse(
        z.object({ data: z.array(z.object({ id: z.string(), slug: z.string(), title: z.string(), description: z.string() })) }),
        "Collections",
      ),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const rows = await listCollections(getDb(c.env.DB), tenantId);
    return c.json({ data: rows.map(({ id, slug, title, description }) => ({ id, slug, title, description })) }, 200);
  },
);

commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post",
    path: "/commerce/carts",
    tags,
    summary: "Start a cart; keep its id like a session id. With a portal end user's token, their open cart (200) or a new one of theirs",
    description:
      "Anonymous without `Authorization`. With `Authorization: Bearer <portal access token>` the cart belongs to that end user: their open cart is returned (200) if they have one, and the order it becomes shows in their portal. A signed-in end user's cart answers only to their token (404 otherwise).",
    request: { query: publicKeyQuery, body: { required: false, content: { "application/json": { schema: cartInput } } } },
    responses: {
      201: jsonResponse(cartSchema, "The new cart"),
      200: jsonResponse(cartSchema, "The signed-in end user's open cart"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const body = c.req.valid("json") ?? {};
    const me = await callerEndUser(c, tenantId);
    const open = me ? await openCartOf(db, tenantId, me.id) : null;
    if (open) {
      if (Object.keys(body).length) await updateCart(db, tenantId, open, body);
      return c.json(await pricedCart(db, tenantId, open), 200);
    }
    // The end user's address is the receipt's, unless the page sets another.
    const cart = await createCart(db, tenantId, { ...body, email: body.email ?? me?.email ?? null, end_user_id: me?.id ?? null });
    return c.json(await pricedCart(db, tenantId, cart.id), 201);
  },
);
commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/commerce/carts/{id}",
    tags,
    summary: "A cart, priced now: lines from the catalogue, coupon, tax and shipping",
    request: { params: cartParam, query: publicKeyQuery },
    responses: { 200: jsonResponse(cartSchema, "The cart"), 404: problemDoc("No such cart in this shop"), ...unauthorizedDoc },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    await assertCartAccess(c, db, tenantId, c.req.valid("param").id);
    return c.json(await pricedCart(db, tenantId, c.req.valid("param").id), 200);
  },
);
commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "patch",
    path: "/commerce/carts/{id}",
    tags,
    summary: "Set the cart's email, destination (for tax and shipping), currency, coupon code or shipping rate",
    request: { params: cartParam, query: publicKeyQuery, ...jsonBody(cartInput) },
    responses: {
      200: jsonResponse(cartSchema, "The cart"),
      404: problemDoc("No such cart in this shop"),
      409: problemDoc("The cart was merged or checked out"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const id = c.req.valid("param").id;
    await assertCartAccess(c, db, tenantId, id);
    await updateCart(db, tenantId, id, c.req.valid("json"));
    return c.json(await pricedCart(db, tenantId, id), 200);
  },
);
commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post",
    path: "/commerce/carts/{id}/lines",
    tags,
    summary: "Add units of a variant (priced on the server)",
    request: { params: cartParam, query: publicKeyQuery, ...jsonBody(lineInput) },
    responses: {
      200: jsonResponse(cartSchema, "The cart"),
      404: problemDoc("No such cart or variant in this shop"),
      409: problemDoc("Not enough stock, or the cart is closed"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const id = c.req.valid("param").id;
    const body = c.req.valid("json");
    await assertCartAccess(c, db, tenantId, id);
    await addLine(db, tenantId, id, body.variant_id, body.quantity);
    return c.json(await pricedCart(db, tenantId, id), 200);
  },
);
commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "patch",
    path: "/commerce/carts/{id}/lines/{line_id}",
    tags,
    summary: "Change a line's quantity (0 removes it)",
    request: { params: lineParam, query: publicKeyQuery, ...jsonBody(lineQuantityInput) },
    responses: {
      200: jsonResponse(cartSchema, "The cart"),
      404: problemDoc("No such cart or line"),
      409: problemDoc("Not enough stock"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const { id, line_id } = c.req.valid("param");
    await assertCartAccess(c, db, tenantId, id);
    await setLineQuantity(db, tenantId, id, line_id, c.req.valid("json").quantity);
    return c.json(await pricedCart(db, tenantId, id), 200);
  },
);
commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "delete",
    path: "/commerce/carts/{id}/lines/{line_id}",
    tags,
    summary: "Remove a line",
    request: { params: lineParam, query: publicKeyQuery },
    responses: { 200: jsonResponse(cartSchema, "The cart"), 404: problemDoc("No such cart or line"), ...unauthorizedDoc },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const { id, line_id } = c.req.valid("param");
    await assertCartAccess(c, db, tenantId, id);
    await removeLine(db, tenantId, id, line_id);
    return c.json(await pricedCart(db, tenantId, id), 200);
  },
);

commercePublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post",
    path: "/commerce/carts/{id}/claim",
    tags,
    summary: "After signing in: the anonymous cart joins the end user's open cart (or becomes theirs); returns the end user's cart",
    description:
      "Needs `Authorization: Bearer <portal access token>`. Quantities of the same variant are added (capped), the end user's coupon is kept, else the anonymous cart's; the anonymous cart is then `merged` and answers 409 to changes. Keep the returned id.",
    request: { params: cartParam, query: publicKeyQuery },
    responses: {
      200: jsonResponse(cartSchema, "The end user's cart"),
      404: problemDoc("No such cart, or another end user's"),
      409: problemDoc("The cart was already merged or checked out"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const me = await requireEndUser(c, tenantId);
    const db = getDb(c.env.DB);
    const id = await mergeCarts(db, tenantId, c.req.valid("param").id, me.id);
    return c.json(await pricedCart(db, tenantId, id), 200);
  },
);

// Checkout, pay and the buyer's order (checkouts.routes.ts), behind the same CORS and rate limit.
commercePublicRoutes.route("/", checkoutPublicRoutes);
