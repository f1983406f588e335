import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { call, signUp } from "../../../../test/helpers";
import { as, imageFile, newProduct, shop, sku, storefront } from "./commerce-helpers";

describe("catalogue (staff API)", () => {
  it("creates a product with variants, prices in minor units and stock; SKUs unique per workspace", async () => {
    const u = await signUp();
    const img = await imageFile(u);
    const p = await newProduct(u, { images: [img] });
    expect(p.slug).toBe("linen-shirt");
    expect(p.variants).toHaveLength(2);
    expect(p.variants[0]?.prices).toEqual({ USD: 2500, EUR: 2300 });
    expect(p.variants[0]?.inventory).toEqual({ tracked: true, on_hand: 10, reserved: 0, available: 10 });
    expect((await as(u)("GET", `/api/v1/commerce/products/${p.id}`)).body.images).toEqual([img]);

    // Same title → next free slug; the same SKU (any case) → 409 naming it.
    const again = await newProduct(u);
    expect(again.slug).toBe("linen-shirt-2");
    const dup = await as(u)("POST", "/api/v1/commerce/products", {
      title: "Dup",
      variants: [{ sku: p.variants[0]?.sku.toLowerCase(), prices: { USD: 1 } }],
    });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toContain(p.variants[0]?.sku);
    // Another workspace may use the same SKU.
    const other = await signUp();
    expect(
      (await as(other)("POST", "/api/v1/commerce/products", { title: "Mine", variants: [{ sku: p.variants[0]?.sku, prices: { USD: 1 } }] }))
        .status,
    ).toBe(201);
  });

  it("refuses bad input with the failing fields: option values, floats, unknown currencies, another workspace's file", async () => {
    const u = await signUp();
    const stranger = await signUp();
    const theirs = await imageFile(stranger);
    const bad = async (body: unknown) => {
      const r = await as(u)("POST", "/api/v1/commerce/products", body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.res.headers.get("Content-Type")).toContain("application/problem+json");
      return (r.body.errors as { path: string }[]).map((e) => e.path);
    };
    expect(await bad({ title: "x", options: ["Size"], variants: [{ sku: sku(), options: {}, prices: { USD: 1 } }] })).toEqual([
      "variants.0.options",
    ]);
    expect(await bad({ title: "x", variants: [{ sku: sku(), prices: { USD: 19.99 } }] })).toEqual(["variants.0.prices.USD"]);
    expect(await bad({ title: "x", variants: [{ sku: sku(), prices: { usd: 100 } }] })).toContain("variants.0.prices.usd");
    expect(await bad({ title: "x", variants: [] })).toEqual(["variants"]);
    expect(await bad({ title: "x", images: [theirs], variants: [{ sku: sku(), prices: { USD: 1 } }] })).toEqual(["images"]);
    expect(
      await bad({
        title: "x",
        options: ["Size"],
        variants: [
          { sku: sku(), options: { Size: "S" }, prices: { USD: 1 } },
          { sku: sku(), options: { Size: "S" }, prices: { USD: 1 } },
        ],
      }),
    ).toEqual(["variants.1.options"]);
  });

  it("edits products and variants, keeps at least one variant, and never lets on hand drop below zero", async () => {
    const u = await signUp();
    const p = await newProduct(u);
    const [s, m] = p.variants;
    const patched = await as(u)("PATCH", `/api/v1/commerce/products/${p.id}`, { title: "Linen shirt II", status: "archived" });
    expect([patched.status, patched.body.title, patched.body.status]).toEqual([200, "Linen shirt II", "archived"]);
    const v = await as(u)("PATCH", `/api/v1/commerce/variants/${s?.id}`, { prices: { USD: 2700 }, options: { Size: "XS" } });
    expect(v.status).toBe(200);
    expect(v.body.variants[0]).toMatchObject({ title: "XS", prices: { USD: 2700 } });
    const added = await as(u)("POST", `/api/v1/commerce/products/${p.id}/variants`, {
      sku: sku("L"),
      options: { Size: "L" },
      prices: { USD: 2600 },
    });
    expect([added.status, added.body.variants.length]).toEqual([201, 3]);

    expect((await as(u)("POST", `/api/v1/commerce/variants/${m?.id}/inventory`, { adjust: -4 })).body.inventory.on_hand).toBe(6);
    expect((await as(u)("POST", `/api/v1/commerce/variants/${m?.id}/inventory`, { on_hand: 3 })).body.inventory.on_hand).toBe(3);
    const under = await as(u)("POST", `/api/v1/commerce/variants/${m?.id}/inventory`, { adjust: -4 });
    expect([under.status, under.body.type]).toEqual([409, "https://weft.dev/problems/insufficient-stock"]);
    expect((await as(u)("POST", `/api/v1/commerce/variants/${m?.id}/inventory`, { on_hand: 1, adjust: 1 })).status).toBe(400);

    const one = await newProduct(u, { options: [], variants: [{ sku: sku(), prices: { USD: 100 } }] });
    expect((await as(u)("DELETE", `/api/v1/commerce/variants/${one.variants[0]?.id}`)).status).toBe(409);
    expect((await as(u)("DELETE", `/api/v1/commerce/variants/${s?.id}`)).status).toBe(200);
    expect((await as(u)("DELETE", `/api/v1/commerce/products/${p.id}`)).status).toBe(204);
    expect((await as(u)("GET", `/api/v1/commerce/products/${p.id}`)).status).toBe(404);
  });

  it("searches with FTS5 (title, description, SKU, option values; prefixes), filters by collection, status and price, and pages", async () => {
    const u = await signUp();
    const col = await as(u)("POST", "/api/v1/commerce/collections", { title: "Summer" });
    expect(col.status).toBe(201);
    const shirt = await newProduct(u, { title: "Linen shirt", collection_ids: [col.body.id] });
    const mug = await newProduct(u, {
      title: "Ceramic mug",
      description: "Holds coffee",
      options: ["Colour"],
      variants: [{ sku: "MUG-TEAL-01", options: { Colour: "Teal" }, prices: { USD: 1200 } }],
    });
    const cheap = await newProduct(u, {
      title: "Sticker",
      description: "",
      options: [],
      variants: [{ sku: sku(), prices: { USD: 300 } }],
      status: "archived",
    });
    const q = async (query: string) => {
      const r = await as(u)("GET", `/api/v1/commerce/products?${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body.data as { id: string }[]).map((p) => p.id);
    };
    expect(await q("q=shir")).toEqual([shirt.id]);
    expect(await q("q=coffee")).toEqual([mug.id]);
    expect(await q("q=mug-teal")).toEqual([mug.id]);
    expect(await q("q=teal")).toEqual([mug.id]);
    expect(await q(`q=${encodeURIComponent('" OR * NEAR(')}`)).toEqual([]);
    expect(await q("collection=summer")).toEqual([shirt.id]);
    expect(await q(`collection=${col.body.id}`)).toEqual([shirt.id]);
    expect(await q("status=archived")).toEqual([cheap.id]);
    expect(await q("price_min=1000&price_max=2000")).toEqual([mug.id]);
    expect(await q("price_min=2000&currency=EUR")).toEqual([shirt.id]);
    expect(await q("")).toEqual([cheap.id, mug.id, shirt.id]);
    const p1 = await as(u)("GET", "/api/v1/commerce/products?limit=2");
    const p2 = await as(u)("GET", `/api/v1/commerce/products?limit=2&cursor=${p1.body.next_cursor}`);
    expect([...p1.body.data, ...p2.body.data].map((p: { id: string }) => p.id)).toEqual([cheap.id, mug.id, shirt.id]);
    expect(p2.body.next_cursor).toBeNull();
    // Edits re-index: the old title is gone, the new one found.
    await as(u)("PATCH", `/api/v1/commerce/products/${mug.id}`, { title: "Stoneware cup" });
    expect(await q("q=ceramic")).toEqual([]);
    expect(await q("q=stoneware")).toEqual([mug.id]);
    // Relevance pages by offset.
    const box = await newProduct(u, { title: "Shirt box", description: "", options: [], variants: [{ sku: sku(), prices: { USD: 100 } }] });
    const r1 = await as(u)("GET", "/api/v1/commerce/products?q=shirt&limit=1");
    const r2 = await as(u)("GET", `/api/v1/commerce/products?q=shirt&limit=1&cursor=${r1.body.next_cursor}`);
    // The shirt has the word in its title and description: ranked first.
    expect([...r1.body.data, ...r2.body.data].map((p: { id: string }) => p.id)).toEqual([shirt.id, box.id]);
    expect(r2.body.next_cursor).toBeNull();
    expect((await as(u)("GET", "/api/v1/commerce/products?q=shirt&cursor=bogus")).status).toBe(400);
    // Another workspace's search never sees these.
    const other = await signUp();
    expect((await as(other)("GET", "/api/v1/commerce/products?q=shirt")).body.data).toEqual([]);
  });

  it("exports CSV and imports it back, upserting by handle and SKU, with per-row errors", async () => {
    const u = await signUp();
    const col = await as(u)("POST", "/api/v1/commerce/collections", { title: "Mugs" });
    const p = await newProduct(u, { title: 'Mug "=1+1"', collection_ids: [col.body.id] });
    const res = await call("/api/v1/commerce/products/export", { token: u.accessToken, tenant: u.tenantId });
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const csv = await res.text();
    const [header, row] = csv.split("\r\n");
    expect(header).toContain("handle,title,description");
    expect(header).toContain("price_EUR,price_USD");
    expect(row).toContain(`${p.slug},"Mug ""=1+1""",A breezy shirt.,active,physical,250,mugs,`);
    expect(row).toContain(",23.00,25.00");

    const s0 = p.variants[0]?.sku;
    const newSku = sku("NEW");
    const importCsv = [
      header,
      `${p.slug},Mug renamed,,active,physical,250,mugs,,,Size,S,,,,,${s0},,true,7,23.00,26.50`,
      `${p.slug},Mug renamed,,active,physical,250,mugs,,,Size,XL,,,,,${newSku},,true,2,,30`,
      `poster,Poster,,active,physical,,,,,,,,,,,${sku("P")},,,5,,12.345`,
      `tote,Tote,,active,physical,,nosuch,,,,,,,,,${sku("T")},,,5,,10`,
      `cap,Cap,,active,physical,,,,,,,,,,,${sku("C")},,,5,,9.99`,
    ].join("\n");
    const run = (dry: boolean) => fetchImport(u, importCsv, dry);
    const dry = await run(true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dry_run: true,
      rows: 5,
      products_created: 1,
      products_updated: 1,
      variants_created: 2,
      variants_updated: 1,
    });
    expect(dry.body.errors).toEqual([
      { row: 4, field: "price_USD", message: "not a price in USD (e.g. 19.99)" },
      { row: 4, field: "price_*", message: "give a price in at least one currency" },
      { row: 5, field: "collections", message: "no collection with the handle nosuch" },
    ]);
    expect((await as(u)("GET", `/api/v1/commerce/products/${p.id}`)).body.title).toBe('Mug "=1+1"');
    const done = await run(false);
    expect(done.body).toMatchObject({ dry_run: false, products_created: 1, products_updated: 1, variants_created: 2, variants_updated: 1 });
    const after = (await as(u)("GET", `/api/v1/commerce/products/${p.id}`)).body;
    expect(after.title).toBe("Mug renamed");
    const byS = after.variants.find((v: { sku: string }) => v.sku === s0);
    expect(byS).toMatchObject({ prices: { USD: 2650, EUR: 2300 }, inventory: { on_hand: 7 } });
    expect(after.variants.find((v: { sku: string }) => v.sku === newSku)).toMatchObject({ prices: { USD: 3000 }, options: { Size: "XL" } });
    const cap = (await as(u)("GET", "/api/v1/commerce/products?q=cap")).body.data[0];
    expect(cap.variants[0].prices).toEqual({ USD: 999 });
  });
});

async function fetchImport(u: { accessToken: string; tenantId: string }, csv: string, dry: boolean) {
  const res = await exports.default.fetch(`http://weft.test/api/v1/commerce/products/import${dry ? "?dry_run=true" : ""}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${u.accessToken}`,
      "X-Tenant-ID": u.tenantId,
      "Content-Type": "text/csv",
      "CF-Connecting-IP": "10.200.0.1",
    },
    body: csv,
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

describe("catalogue (storefront API)", () => {
  it("shows only active products, without stock counts or digital files, to a key from an allowed origin", async () => {
    const { u, key } = await shop();
    const active = await newProduct(u);
    const archived = await newProduct(u, { title: "Old", status: "archived" });
    const sf = storefront(key);
    const list = await sf("GET", "/public/v1/commerce/products");
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([active.id]);
    expect(list.body.data[0]).toMatchObject({ currency: "USD", price_min: 2500, price_max: 2500 });
    expect(list.body.data[0].variants[0]).toEqual({
      id: active.variants[0]?.id,
      sku: active.variants[0]?.sku,
      title: "S",
      options: { Size: "S" },
      price: 2500,
      in_stock: true,
    });
    expect(JSON.stringify(list.body)).not.toContain("on_hand");
    expect((await sf("GET", `/public/v1/commerce/products/${active.slug}?currency=EUR`)).body.price_min).toBe(2300);
    expect((await sf("GET", `/public/v1/commerce/products/${archived.slug}`)).status).toBe(404);
    expect((await sf("GET", "/public/v1/commerce/products?q=linen")).body.data).toHaveLength(1);
    expect((await storefront(key, "https://evil.example")("GET", "/public/v1/commerce/products")).status).toBe(401);
    expect((await storefront("pk_live_nope")("GET", "/public/v1/commerce/products")).status).toBe(401);
    // Another shop's key never lists these.
    const other = await shop();
    expect((await storefront(other.key)("GET", "/public/v1/commerce/products")).body.data).toEqual([]);
    expect((await storefront(other.key)("GET", `/public/v1/commerce/products/${active.id}`)).status).toBe(404);
  });
});
