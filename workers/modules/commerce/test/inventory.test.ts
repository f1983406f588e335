import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signUp } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { runCommerceCron } from "../cron";
import { commitReservations, releaseReservations, reservationsOf, reserveStock } from "../inventory.service";
import { as, newProduct, shop, sku, storefront } from "./commerce-helpers";

const db = () => getDb(env.DB);

async function stockOf(u: Awaited<ReturnType<typeof signUp>>, productId: string, variantId: string) {
  const p = await as(u)("GET", `/api/v1/commerce/products/${productId}`);
  return p.body.variants.find((v: { id: string }) => v.id === variantId).inventory as {
    on_hand: number;
    reserved: number;
    available: number;
  };
}

describe("inventory reservations", () => {
  it("more concurrent buyers than units: exactly the units are reserved, never oversold", async () => {
    const u = await signUp();
    const p = await newProduct(u, { options: [], variants: [{ sku: sku("LTD"), prices: { USD: 5000 }, on_hand: 7 }] });
    const v = p.variants[0]?.id ?? "";
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        reserveStock(db(), u.tenantId, `chk_${i}`, [{ variantId: v, quantity: 1 }], { holdMinutes: 15 }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(18);
    for (const r of refused) expect(r.reason).toMatchObject({ status: 409, slug: "insufficient-stock" });
    expect(await stockOf(u, p.id, v)).toEqual({ tracked: true, on_hand: 7, reserved: 7, available: 0 });
    // Buyers wanting 2 each from 7: at most 3 succeed (6 units), none goes past.
    const q = await newProduct(u, { options: [], variants: [{ sku: sku("LTD2"), prices: { USD: 5000 }, on_hand: 7 }] });
    const w = q.variants[0]?.id ?? "";
    const pairs = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        reserveStock(db(), u.tenantId, `pair_${i}`, [{ variantId: w, quantity: 2 }], { holdMinutes: 15 }),
      ),
    );
    expect(pairs.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(await stockOf(u, q.id, w)).toMatchObject({ on_hand: 7, reserved: 6, available: 1 });
  });

  it("a checkout gets all its lines or none, and re-reserving replaces its holds", async () => {
    const u = await signUp();
    const p = await newProduct(u, {
      options: ["Size"],
      variants: [
        { sku: sku("A"), options: { Size: "S" }, prices: { USD: 100 }, on_hand: 5 },
        { sku: sku("B"), options: { Size: "M" }, prices: { USD: 100 }, on_hand: 3 },
      ],
    });
    const [a, b] = p.variants.map((v) => v.id);
    const err = await reserveStock(
      db(),
      u.tenantId,
      "chk_all",
      [
        { variantId: a ?? "", quantity: 1 },
        { variantId: b ?? "", quantity: 5 },
      ],
      { holdMinutes: 15 },
    ).catch((e) => e);
    expect(err).toMatchObject({ status: 409, short: [{ variant_id: b, requested: 5, available: 3 }] });
    expect(await stockOf(u, p.id, a ?? "")).toMatchObject({ reserved: 0 });
    expect(await reservationsOf(db(), u.tenantId, "chk_all")).toEqual([]);

    await reserveStock(db(), u.tenantId, "chk_all", [{ variantId: b ?? "", quantity: 3 }], { holdMinutes: 15 });
    // The cart changed: 2 of B now. Its own 3 held units count as available to it.
    const again = await reserveStock(db(), u.tenantId, "chk_all", [{ variantId: b ?? "", quantity: 2 }], { holdMinutes: 15 });
    expect(again.map((r) => [r.variant_id, r.quantity, r.status])).toEqual([[b, 2, "held"]]);
    expect(await stockOf(u, p.id, b ?? "")).toMatchObject({ on_hand: 3, reserved: 2 });
    // Unknown (or another workspace's) variant: 404, nothing held.
    const other = await signUp();
    await expect(reserveStock(db(), other.tenantId, "x", [{ variantId: b ?? "", quantity: 1 }], { holdMinutes: 15 })).rejects.toMatchObject(
      { status: 404 },
    );
  });

  it("holds expire with the cron (once), explicit release gives units back, commit takes them out of stock exactly once", async () => {
    const u = await signUp();
    const p = await newProduct(u, { options: [], variants: [{ sku: sku("E"), prices: { USD: 100 }, on_hand: 4 }] });
    const v = p.variants[0]?.id ?? "";
    const now = Date.now();
    await reserveStock(db(), u.tenantId, "chk_exp", [{ variantId: v, quantity: 2 }], { holdMinutes: 15, now });
    await reserveStock(db(), u.tenantId, "chk_pay", [{ variantId: v, quantity: 1 }], { holdMinutes: 30, now });
    await reserveStock(db(), u.tenantId, "chk_drop", [{ variantId: v, quantity: 1 }], { holdMinutes: 30, now });
    expect(await stockOf(u, p.id, v)).toMatchObject({ on_hand: 4, reserved: 4, available: 0 });
    // While units are held, staff cannot count below them, and the cart refuses more.
    expect((await as(u)("POST", `/api/v1/commerce/variants/${v}/inventory`, { on_hand: 3 })).status).toBe(409);
    expect((await as(u)("DELETE", `/api/v1/commerce/products/${p.id}`)).status).toBe(409);

    // Before expiry nothing moves; after 15 minutes chk_exp's hold ends — once, however often the cron runs.
    expect((await runCommerceCron(env, now + 14 * 60_000)).reservations).toBe(0);
    await Promise.all([runCommerceCron(env, now + 16 * 60_000), runCommerceCron(env, now + 16 * 60_000)]);
    expect(await stockOf(u, p.id, v)).toMatchObject({ on_hand: 4, reserved: 2, available: 2 });
    expect((await reservationsOf(db(), u.tenantId, "chk_exp"))[0]?.status).toBe("expired");

    expect(await releaseReservations(db(), u.tenantId, "chk_drop")).toBe(1);
    expect(await releaseReservations(db(), u.tenantId, "chk_drop")).toBe(0);
    expect(await stockOf(u, p.id, v)).toMatchObject({ on_hand: 4, reserved: 1 });

    // Paid: committed twice (webhook and redirect racing) → stock decremented once.
    const [c1, c2] = await Promise.all([commitReservations(db(), u.tenantId, "chk_pay"), commitReservations(db(), u.tenantId, "chk_pay")]);
    expect(c1.committed.map((r) => r.quantity)).toEqual([1]);
    expect(c2.committed.map((r) => r.quantity)).toEqual([1]);
    expect(await stockOf(u, p.id, v)).toMatchObject({ on_hand: 3, reserved: 0, available: 3 });
    // An expired hold is not taken at commit: part 2 is told.
    const late = await commitReservations(db(), u.tenantId, "chk_exp");
    expect([late.committed.length, late.not_held.map((r) => r.status)]).toEqual([0, ["expired"]]);
    expect(await stockOf(u, p.id, v)).toMatchObject({ on_hand: 3, reserved: 0 });
  });

  it("untracked (digital) variants are never reserved; the storefront shows held stock as gone", async () => {
    const { u, key } = await shop();
    const ebook = await newProduct(u, {
      title: "Ebook",
      type: "digital",
      options: [],
      variants: [{ sku: sku("EB"), prices: { USD: 900 } }],
    });
    expect(ebook.variants[0]?.inventory).toMatchObject({ tracked: false, available: null });
    expect(
      await reserveStock(db(), u.tenantId, "chk_e", [{ variantId: ebook.variants[0]?.id ?? "", quantity: 50 }], { holdMinutes: 15 }),
    ).toEqual([]);
    const tee = await newProduct(u, { options: [], variants: [{ sku: sku("T"), prices: { USD: 900 }, on_hand: 1 }] });
    await reserveStock(db(), u.tenantId, "chk_t", [{ variantId: tee.variants[0]?.id ?? "", quantity: 1 }], { holdMinutes: 15 });
    const sf = storefront(key);
    expect((await sf("GET", `/public/v1/commerce/products/${tee.slug}`)).body.variants[0].in_stock).toBe(false);
    const cart = (await sf("POST", "/public/v1/commerce/carts", {})).body.id;
    expect((await sf("POST", `/public/v1/commerce/carts/${cart}/lines`, { variant_id: tee.variants[0]?.id })).status).toBe(409);
    const ok = await sf("POST", `/public/v1/commerce/carts/${cart}/lines`, { variant_id: ebook.variants[0]?.id, quantity: 3 });
    expect(ok.body.totals).toMatchObject({ subtotal: 2700, requires_shipping: false, shipping: 0 });
  });

  it("a cart's own checkout hold counts as available to that cart, not to others", async () => {
    const { u, key } = await shop();
    const p = await newProduct(u, { options: [], variants: [{ sku: sku("H"), prices: { USD: 900 }, on_hand: 2 }] });
    const v = p.variants[0]?.id ?? "";
    const sf = storefront(key);
    const cart = (await sf("POST", "/public/v1/commerce/carts", {})).body.id;
    await sf("POST", `/public/v1/commerce/carts/${cart}/lines`, { variant_id: v, quantity: 2 });
    await reserveStock(db(), u.tenantId, cart, [{ variantId: v, quantity: 2 }], { holdMinutes: 15 });
    const mine = await sf("GET", `/public/v1/commerce/carts/${cart}`);
    expect([mine.body.lines[0].problem, mine.body.totals.subtotal]).toEqual([null, 1800]);
    expect((await sf("PATCH", `/public/v1/commerce/carts/${cart}/lines/${mine.body.lines[0].id}`, { quantity: 3 })).status).toBe(409);
    const other = (await sf("POST", "/public/v1/commerce/carts", {})).body.id;
    expect((await sf("POST", `/public/v1/commerce/carts/${other}/lines`, { variant_id: v })).status).toBe(409);
  });
});
