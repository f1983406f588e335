// Commerce end to end (issue 14): a visitor on the demo tenant site's shop (its own origin) adds two
// products to a cart through /buy.js, applies a discount code, checks out on Weft's hosted checkout,
// pays through the local payment simulator (its signed webhook makes the order paid), sees the
// confirmation and gets the receipt in the dev mailbox; the order shows in the dashboard; a partial
// refund (staff API, confirmed by the simulator's signed webhook) shows on the order's timeline. A
// second buyer uses a Buy link with JavaScript off at phone width in dark mode (the checkout works
// as plain forms). Funnel events reach the workspace's analytics. axe on the hosted pages;
// screenshots in light, dark and at 390 px in e2e/artifacts/commerce-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { freePort } from "../../scripts/local.mjs";
import { startDemoSite } from "../../web/widget/demo-site.mjs";
import {
  apiCall,
  axe,
  BASE,
  launch,
  loginUI,
  newContext,
  onFail,
  PASSWORD,
  screenshot,
  uniqueEmail,
  waitForMail,
} from "../lib/browser.mjs";

const IP = "127.14.2.1";
// Headless Chromium says "HeadlessChrome", which the tracker's bot filter (rightly) drops: browse as a person.
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
let browser;
let site;
let owner;
const shop = {};
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });

/** Polls `read` until `done(value)` holds (the Queue consumer and the simulator's webhook are asynchronous). */
async function until(read, done, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what} never happened: ${JSON.stringify(v).slice(0, 800)}`);
    await sleep(250);
  }
}

before(async () => {
  browser = await launch();
  owner = { email: uniqueEmail("shop-owner") };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Kiln Keeper", workspace_name: "Kiln & Co" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  owner.token = r.body.access_token;
  owner.tenant = r.body.tenant.id;
  owner.slug = r.body.tenant.slug;
  const port = await freePort();
  const pk = await staff("POST", "/api/v1/publishable-keys", { name: "Demo site", allowed_origins: [`http://127.0.0.1:${port}`] });
  assert.equal(pk.status, 201, JSON.stringify(pk.body));
  const product = async (title, sku, usd, onHand) => {
    const p = await staff("POST", "/api/v1/commerce/products", {
      title,
      type: "physical",
      weight_grams: 400,
      variants: [{ sku, prices: { USD: usd }, on_hand: onHand }],
    });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    return p.body.variants[0].id;
  };
  shop.mug = await product("Speckled mug", "E2E-MUG", 2800, 10);
  shop.bowl = await product("Ramen bowl", "E2E-BOWL", 4200, 5);
  shop.vase = await product("Tall vase", "E2E-VASE", 6500, 0);
  for (const [path, body] of [
    ["/api/v1/commerce/shipping-rates", { name: "Standard", currency: "USD", countries: ["US"], kind: "flat", amount: 600 }],
    ["/api/v1/commerce/tax-rates", { country: "US", region: "NY", name: "NY sales tax", rate_ppm: 88_750 }],
    ["/api/v1/commerce/coupons", { code: "KILN10", kind: "percent", percent_off_bps: 1000 }],
  ]) {
    const res = await staff("POST", path, body);
    assert.equal(res.status, 201, `${path}: ${JSON.stringify(res.body)}`);
  }
  site = await startDemoSite({ port, host: "127.0.0.1", weftUrl: BASE, key: pk.body.key, shop: owner.slug });
});
after(async () => {
  await site?.close();
  await browser?.close();
});

test("demo shop → cart with a coupon → hosted checkout → simulator → confirmation, receipt, dashboard, partial refund", async () => {
  const ctx = await newContext(browser, { userAgent: UA });
  const page = await ctx.newPage();
  const buyer = uniqueEmail("buyer");
  let orderUrl;
  await onFail(page, "commerce-shop", async () => {
    await page.goto(`${site.url}/shop`);
    await page.getByRole("heading", { name: "Speckled mug" }).waitFor();
    // A product page (product_viewed), then back to the list.
    await page.getByRole("link", { name: "Ramen bowl" }).click();
    await page.getByRole("heading", { name: "Ramen bowl", level: 1 }).waitFor();
    await page.getByRole("link", { name: "← All products" }).click();
    await page.getByRole("button", { name: "Add Speckled mug to cart" }).click();
    await page.locator("[data-weft-cart-count]").getByText("1").waitFor();
    await page.getByRole("button", { name: "Add Ramen bowl to cart" }).click();
    await page.locator("[data-weft-cart-count]").getByText("2").waitFor();
    assert.equal(
      await page.getByRole("button", { name: "Add Tall vase to cart" }).isDisabled(),
      true,
      "a sold-out product cannot be added",
    );
    await page.getByLabel("Discount code").fill("kiln10");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Code KILN10 applied.").waitFor();
    // $28 + $42 = $70.00, 10 % off = $7.00.
    await page.getByRole("cell", { name: "−$7.00" }).waitFor();
    await screenshot(page, "commerce-demo-shop");
    await page.getByRole("button", { name: "Checkout" }).click();

    await page.waitForURL(new RegExp(`/checkout/${owner.slug}/chk_`));
    await page.getByRole("heading", { name: "Order summary" }).waitFor();
    await page.getByText("KILN10").first().waitFor();
    for (const v of await axe(page)) assert.fail(`checkout: ${v}`);
    await screenshot(page, "commerce-checkout");
    await page.getByLabel("Email").fill(buyer);
    await page.getByLabel("Full name").fill("Nia Buyer");
    await page.getByLabel("Address", { exact: true }).fill("214 Bedford Ave");
    await page.getByLabel("City").fill("Brooklyn");
    await page.getByLabel("Postal code").fill("11249");
    await page.getByLabel("Country").selectOption("US");
    await page.getByLabel("State / region").fill("NY");
    await page.getByRole("button", { name: "Update delivery and totals" }).click();
    await page.getByRole("radio", { name: /Standard/ }).waitFor();
    // 7000 − 700 = 6300; shipping 600; NY tax 8.875 % of 6300 = 559.125 → 559; total 7459.
    await page.getByRole("cell", { name: "$74.59" }).waitFor();
    await page.getByRole("cell", { name: "$5.59" }).waitFor();
    await screenshot(page, "commerce-checkout-filled");
    await page.getByRole("button", { name: /Pay with the payment simulator/ }).click();

    await page.getByRole("button", { name: "Approve payment" }).click();
    await page.getByRole("heading", { name: "Thank you! Your order is confirmed." }).waitFor({ timeout: 30_000 });
    await page.getByText(`A receipt was sent to ${buyer}`).waitFor();
    for (const v of await axe(page)) assert.fail(`confirmation: ${v}`);
    await screenshot(page, "commerce-confirmation");
    orderUrl = page.url();
  });
  const mail = await waitForMail(buyer, /Your receipt from/);
  assert.match(mail.text, /74\.59/, "the receipt shows the total");

  const orders = await staff("GET", `/api/v1/commerce/orders?q=${encodeURIComponent(buyer)}`);
  assert.equal(orders.status, 200, JSON.stringify(orders.body));
  assert.equal(orders.body.data.length, 1, "one order");
  const order = orders.body.data[0];
  assert.equal(order.status, "paid");
  assert.deepEqual([order.subtotal, order.discount, order.shipping, order.tax, order.total], [7000, 700, 600, 559, 7459]);
  assert.equal(order.coupon_code, "KILN10");
  assert.match(orderUrl, new RegExp(`/orders/${order.id}\\?token=`));

  // The order in the dashboard's list, then a partial refund reflected on its timeline.
  const staffCtx = await newContext(browser);
  const dash = await staffCtx.newPage();
  await onFail(dash, "commerce-dashboard", async () => {
    await loginUI(dash, { email: owner.email });
    await dash.waitForURL((u) => !u.pathname.startsWith("/login"));
    await dash.goto("/commerce/orders");
    await dash.getByText(buyer).first().waitFor();
    await dash.getByText(`#${order.number}`).first().waitFor();
  });
  const refund = await staff("POST", `/api/v1/commerce/orders/${order.id}/refunds`, { amount: 1500, reason: "One bowl chipped" });
  assert.equal(refund.status, 201, JSON.stringify(refund.body));
  const detail = await until(
    () => staff("GET", `/api/v1/commerce/orders/${order.id}`),
    (r) => r.body?.status === "partially_refunded",
    "the simulator's refund webhook",
  );
  assert.equal(detail.body.refunded, 1500);
  assert.ok(
    detail.body.events.some((e) => e.type === "refunded"),
    JSON.stringify(detail.body.events.map((e) => e.type)),
  );
  await onFail(dash, "commerce-dashboard-refund", async () => {
    await dash.goto(`/commerce/orders/${order.id}`);
    await dash.getByText("Refunded", { exact: true }).first().waitFor();
    await dash.getByText("$15.00").first().waitFor();
    await screenshot(dash, "commerce-dashboard-order");
  });
  await staffCtx.close();

  // The buyer's confirmation page shows the refund too.
  await page.goto(orderUrl);
  await page.getByRole("cell", { name: "−$15.00" }).waitFor();
  await ctx.close();

  // Capabilities: a wrong order token, and this shop's checkout under another workspace's slug, are 404.
  const wrong = new URL(orderUrl);
  wrong.searchParams.set("token", "not-the-token");
  assert.equal((await fetch(wrong)).status, 404);
  const other = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: uniqueEmail("other-shop"), password: PASSWORD, name: "Other Owner", workspace_name: "Other Shop" },
  });
  assert.equal(other.status, 201);
  const stolen = await fetch(
    `${BASE}${new URL(orderUrl).pathname.replace(`/checkout/${owner.slug}/`, `/checkout/${other.body.tenant.slug}/`)}${wrong.search}`,
  );
  assert.equal(stolen.status, 404, "another workspace's slug does not open this order");

  // The purchase funnel in the workspace's own analytics: from the site (tracker) and the server.
  const names = ["product_viewed", "cart_item_added", "checkout_started", "order_completed"];
  await until(
    async () => (await staff("GET", "/api/v1/analytics/events?limit=100")).body?.data?.map((e) => e.name) ?? [],
    (seen) => names.every((n) => seen.includes(n)),
    "the purchase funnel events",
  );
});

test("a Buy link at phone width, dark, without JavaScript: checkout → simulator → confirmation; sold out", async () => {
  const phone = await browser.newContext({
    baseURL: BASE,
    viewport: { width: 390, height: 844 },
    colorScheme: "dark",
    javaScriptEnabled: false,
    extraHTTPHeaders: { "CF-Connecting-IP": "127.14.2.9" },
  });
  phone.setDefaultTimeout(20_000);
  const page = await phone.newPage();
  const buyer = uniqueEmail("phone-buyer");
  let checkoutPath;
  await onFail(page, "commerce-buy-link", async () => {
    await page.goto(`/checkout/${owner.slug}/buy?variant=${shop.mug}&quantity=2`);
    await page.waitForURL(new RegExp(`/checkout/${owner.slug}/chk_`));
    checkoutPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { name: "Order summary" }).waitFor();
    await screenshot(page, "commerce-checkout-dark-390");
    // Paying straight away with an empty form: the page comes back with the fields to fix.
    await page.getByRole("button", { name: /Pay with the payment simulator/ }).click();
    await page.getByText("Check the highlighted fields.").waitFor();
    await page.getByLabel("Email").fill(buyer);
    await page.getByLabel("Full name").fill("Pia Phone");
    await page.getByLabel("Address", { exact: true }).fill("1880 Mission St");
    await page.getByLabel("City").fill("San Francisco");
    await page.getByLabel("Postal code").fill("94103");
    await page.getByLabel("Country").selectOption("US");
    await page.getByLabel("Discount code").fill("NOPE");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText(/NOPE: /).waitFor();
    // The address typed before "Apply" was kept.
    assert.equal(await page.getByLabel("City").inputValue(), "San Francisco");
    await page.getByRole("button", { name: /Pay with the payment simulator/ }).click();
    await page.getByRole("button", { name: "Approve payment" }).click();
    await page.getByRole("heading", { name: "Thank you! Your order is confirmed." }).waitFor({ timeout: 30_000 });
    await screenshot(page, "commerce-confirmation-dark-390");
  });
  await waitForMail(buyer, /Your receipt from/);

  // A form post from another site is refused (CSRF), and the Buy button script stays under 1 KB gzipped.
  const forged = await fetch(`${BASE}${checkoutPath}/details`, {
    method: "POST",
    headers: { "Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-www-form-urlencoded" },
    body: "email=attacker%40example.com",
  });
  assert.equal(forged.status, 403);
  const buyJs = await fetch(`${BASE}/buy.js`);
  assert.equal(buyJs.status, 200);
  assert.match(buyJs.headers.get("content-type") ?? "", /javascript/);
  const size = gzipSync(Buffer.from(await buyJs.arrayBuffer()), { level: 9 }).length;
  assert.ok(size <= 1024, `buy.js is ${size} B gzipped`);

  await onFail(page, "commerce-sold-out", async () => {
    await page.goto(`/checkout/${owner.slug}/buy?variant=${shop.vase}`);
    await page.getByRole("heading", { name: "Sold out" }).waitFor();
  });
  await phone.close();

  // The demo shop at phone width, dark.
  const shopCtx = await newContext(browser, { viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const shopPage = await shopCtx.newPage();
  await shopPage.goto(`${site.url}/shop?theme=dark`);
  await shopPage.getByRole("heading", { name: "Speckled mug" }).waitFor();
  await screenshot(shopPage, "commerce-demo-shop-dark-390");
  // The light checkout at phone width, for the screenshot set.
  const light = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const lp = await light.newPage();
  await lp.goto(`/checkout/${owner.slug}/buy?variant=${shop.bowl}`);
  await lp.getByRole("heading", { name: "Order summary" }).waitFor();
  for (const v of await axe(lp)) assert.fail(`checkout (phone): ${v}`);
  await screenshot(lp, "commerce-checkout-390");
  await light.close();
  await shopCtx.close();
});

test("a digital product with an image: thumbnail on the checkout, a declined payment then a paid one, the download link", async () => {
  const upload = async (name, type, bytes) => {
    const res = await fetch(`${BASE}/api/v1/files?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${owner.token}`, "X-Tenant-ID": owner.tenant, "CF-Connecting-IP": IP, "Content-Type": type },
      body: bytes,
    });
    const body = await res.json();
    assert.equal(res.status, 201, JSON.stringify(body));
    return body.id;
  };
  // A 1×1 PNG (the product image) and the guide itself.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  const guide = Buffer.from("Glaze recipes: celadon, tenmoku, shino.\n");
  const image = await upload("guide-cover.png", "image/png", png);
  const file = await upload("glaze-guide.txt", "text/plain", guide);
  const p = await staff("POST", "/api/v1/commerce/products", {
    title: "Glazing guide",
    type: "digital",
    digital_file_id: file,
    images: [image],
    variants: [{ sku: "E2E-GUIDE", prices: { USD: 1500 }, track_inventory: false }],
  });
  assert.equal(p.status, 201, JSON.stringify(p.body));

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const buyer = uniqueEmail("reader");
  await onFail(page, "commerce-digital", async () => {
    await page.goto(`/checkout/${owner.slug}/buy?variant=${p.body.variants[0].id}`);
    await page.getByRole("heading", { name: "Order summary" }).waitFor();
    const thumb = page.locator("img.thumb");
    await thumb.waitFor();
    assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth > 0), "the product image loads");
    assert.equal(await page.getByLabel("Full name").count(), 0, "nothing to ship: no address asked");
    await page.getByLabel("Email").fill(buyer);
    await page.getByRole("button", { name: /Pay with the payment simulator/ }).click();
    // Declined first: back on the checkout, told so, details locked; paying again starts a new attempt.
    await page.getByRole("button", { name: "Decline payment" }).click();
    await page.getByText("Your payment was declined and nothing was charged.").waitFor();
    assert.equal(await page.getByLabel("Email").isDisabled(), true);
    await page.getByRole("button", { name: /Pay with the payment simulator/ }).click();
    await page.getByRole("button", { name: "Approve payment" }).click();
    await page.getByRole("heading", { name: "Thank you! Your order is confirmed." }).waitFor({ timeout: 30_000 });
    const link = page.getByRole("link", { name: "Download Glazing guide" });
    const res = await page.request.get(await link.getAttribute("href"));
    assert.equal(res.status(), 200);
    assert.ok(Buffer.from(await res.body()).equals(guide), "the download link serves the bought file");
    await screenshot(page, "commerce-confirmation-digital");
  });
  await ctx.close();
});
