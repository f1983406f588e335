import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { storeFile } from "../../files";

/** Shared fixtures of the commerce tests. */
export const SITE = "https://shop.example";

export const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

let skuCounter = 0;
export const sku = (tag = "SKU") => `${tag}-${Date.now().toString(36)}-${++skuCounter}`.toUpperCase();

export async function newProduct(u: TestUser, input: Record<string, unknown> = {}) {
  const r = await as(u)("POST", "/api/v1/commerce/products", {
    title: "Linen shirt",
    description: "A breezy shirt.",
    options: ["Size"],
    weight_grams: 250,
    variants: [
      { sku: sku("SHIRT-S"), options: { Size: "S" }, prices: { USD: 2500, EUR: 2300 }, on_hand: 10 },
      { sku: sku("SHIRT-M"), options: { Size: "M" }, prices: { USD: 2500, EUR: 2300 }, on_hand: 10 },
    ],
    ...input,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as {
    id: string;
    slug: string;
    variants: {
      id: string;
      sku: string;
      prices: Record<string, number>;
      inventory: { on_hand: number; reserved: number; available: number | null };
    }[];
  };
}

/** A shop: an owner with a publishable key for SITE. */
export async function shop(workspace = "Shop") {
  const u = await signUp({ workspace });
  const pk = await as(u)("POST", "/api/v1/publishable-keys", { name: "site", allowed_origins: [SITE] });
  expect(pk.status).toBe(201);
  return { u, key: pk.body.key as string };
}

/** A storefront call: publishable key in the header, the site's Origin. */
export const storefront =
  (key: string, origin = SITE) =>
  (method: string, path: string, body?: unknown) =>
    callJson(path, { method, body, headers: { "X-Publishable-Key": key, Origin: origin } });

export const PNG_1PX = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

export async function imageFile(u: TestUser): Promise<string> {
  return (await storeFile(env, { tenantId: u.tenantId, name: "shirt.png", bytes: PNG_1PX, module: "commerce" })).id;
}
