import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { couponInput, couponSchema } from "./coupons.schemas";
import { createCoupon, deleteCoupon, getCoupon, listCoupons, serializeCoupon, updateCoupon } from "./coupons.service";
import {
  createShippingRate,
  createTaxRate,
  deleteShippingRate,
  deleteTaxRate,
  listShippingRates,
  listTaxRates,
  updateShippingRate,
  updateTaxRate,
} from "./rates.service";
import { listOf, settingsSchema, shippingRateInput, shippingRateSchema, taxRateInput, taxRateSchema } from "./rates.schemas";
import { getSettings, putSettings } from "./settings.service";

/** What prices a cart besides the catalogue (mounted at /api/v1): tax rates, shipping rates, coupons, settings. */
export const pricingRoutes = createRouter();

const tags = ["Commerce"];
const READ = { auth: "tenant", permission: "commerce:read" } as const;
const WRITE = { auth: "tenant", permission: "commerce:write" } as const;
const taxParam = idParam("id", "txr_01jd0000000000000000000000");
const shipParam = idParam("id", "shr_01jd0000000000000000000000");
const couponParam = idParam("id", "cpn_01jd0000000000000000000000");

pricingRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/settings",
    tags,
    summary: "Commerce settings: currencies sold in, default currency, how long checkouts hold stock",
    responses: { 200: jsonResponse(settingsSchema, "Settings") },
  }),
  async (c) => c.json(await getSettings(getDb(c.env.DB), currentTenantId(c)), 200),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "put",
    path: "/commerce/settings",
    tags,
    summary: "Replace the commerce settings",
    request: jsonBody(settingsSchema),
    responses: { 200: jsonResponse(settingsSchema, "Saved") },
  }),
  async (c) => c.json(await putSettings(getDb(c.env.DB), currentTenantId(c), c.req.valid("json")), 200),
);

pricingRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/tax-rates",
    tags,
    summary: "Tax rates by destination",
    responses: { 200: jsonResponse(listOf(taxRateSchema), "Tax rates") },
  }),
  async (c) => c.json({ data: await listTaxRates(getDb(c.env.DB), currentTenantId(c)) }, 200),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/tax-rates",
    tags,
    summary: "Add a tax rate for a country (or one of its regions), inclusive or exclusive",
    request: jsonBody(taxRateInput),
    responses: { 201: jsonResponse(taxRateSchema, "Created"), 409: problemDoc("That destination has a rate already") },
  }),
  async (c) => c.json(await createTaxRate(getDb(c.env.DB), currentTenantId(c), c.req.valid("json")), 201),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/commerce/tax-rates/{id}",
    tags,
    summary: "Edit a tax rate",
    request: { params: taxParam, ...jsonBody(taxRateInput.partial().openapi("UpdateCommerceTaxRate")) },
    responses: { 200: jsonResponse(taxRateSchema, "Updated"), 409: problemDoc("That destination has a rate already") },
  }),
  async (c) =>
    c.json(await updateTaxRate(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json")), 200),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/tax-rates/{id}",
    tags,
    summary: "Delete a tax rate",
    request: { params: taxParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteTaxRate(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);

pricingRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/shipping-rates",
    tags,
    summary: "Shipping rates",
    responses: { 200: jsonResponse(listOf(shippingRateSchema), "Shipping rates") },
  }),
  async (c) => c.json({ data: await listShippingRates(getDb(c.env.DB), currentTenantId(c)) }, 200),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/shipping-rates",
    tags,
    summary: "Add a shipping rate: flat, or by weight bands; optionally free over an amount",
    request: jsonBody(shippingRateInput),
    responses: { 201: jsonResponse(shippingRateSchema, "Created") },
  }),
  async (c) => c.json(await createShippingRate(getDb(c.env.DB), currentTenantId(c), c.req.valid("json")), 201),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/commerce/shipping-rates/{id}",
    tags,
    summary: "Edit a shipping rate",
    request: { params: shipParam, ...jsonBody(shippingRateInput.partial().openapi("UpdateCommerceShippingRate")) },
    responses: { 200: jsonResponse(shippingRateSchema, "Updated") },
  }),
  async (c) =>
    c.json(await updateShippingRate(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json")), 200),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/shipping-rates/{id}",
    tags,
    summary: "Delete a shipping rate",
    request: { params: shipParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteShippingRate(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);

pricingRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/coupons",
    tags,
    summary: "Coupons, newest first, with their live use counts",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(couponSchema), "A page of coupons") },
  }),
  async (c) => c.json(await listCoupons(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/coupons",
    tags,
    summary: "Create a coupon / promotion code",
    request: jsonBody(couponInput),
    responses: { 201: jsonResponse(couponSchema, "Created"), 409: problemDoc("The code is taken") },
  }),
  async (c) => c.json(await createCoupon(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c)), 201),
);
pricingRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/coupons/{id}",
    tags,
    summary: "A coupon",
    request: { params: couponParam },
    responses: { 200: jsonResponse(couponSchema, "The coupon") },
  }),
  async (c) => c.json(serializeCoupon(await getCoupon(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string)), 200),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/commerce/coupons/{id}",
    tags,
    summary: "Edit a coupon (active: false stops new uses)",
    request: { params: couponParam, ...jsonBody(couponInput.partial().openapi("UpdateCommerceCoupon")) },
    responses: { 200: jsonResponse(couponSchema, "Updated"), 409: problemDoc("The code is taken") },
  }),
  async (c) =>
    c.json(
      await updateCoupon(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)),
      200,
    ),
);
pricingRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/coupons/{id}",
    tags,
    summary: "Delete an unused coupon (a used one is deactivated instead, to keep its history)",
    request: { params: couponParam },
    responses: { 204: noContent, 409: problemDoc("The coupon has been used") },
  }),
  async (c) => {
    await deleteCoupon(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
