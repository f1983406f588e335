// The dashboard's Sell pages in the browser (issue 14): the product editor creates a product with
// an option and two variants, adds a third variant and adjusts stock; a coupon is created and shows
// its usage against its limit; the orders list shows orders placed through the checkout (one paid
// through the local simulator, one left pending) and filters them by status; a product made recurring
// in its editor is bought as a subscription, whose page simulates a renewal, cancels it at the
// period's end (confirmed, with a reason) and resumes it. axe on each page; screenshots in light,
// dark and at 390 px in e2e/artifacts/commerce-dashboard-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { apiCall, axe, BASE, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

const IP = "127.14.9.1";
const SHOP = "http://shop.dashboard.test";
let browser;
let owner;
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });
const sku = (tag) => `${tag}-${Date.now().toString(36)}`.toUpperCase();

async function until(read, done, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what} never happened: ${JSON.stringify(v).slice(0, 600)}`);
    await sleep(250);
  }
}

before(async () => {
  browser = await launch();
  owner = { email: uniqueEmail("sell-owner") };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Sam Seller", workspace_name: "Kiln & Co" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  owner.token = r.body.access_token;
  owner.tenant = r.body.tenant.id;
});
after(async () => browser?.close());

async function signedIn(opts = {}) {
  const ctx = await newContext(browser, opts);
  const page = await ctx.newPage();
  await loginUI(page, { email: owner.email });
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { ctx, page };
}

test("the product editor creates a product with variants, adds one and adjusts its stock", async () => {
  const { ctx, page } = await signedIn();
  await onFail(page, "commerce-dashboard-products", async () => {
    await page.goto("/commerce/products");
    await page.getByRole("heading", { name: "No products yet" }).waitFor();
    await page.getByRole("link", { name: "New product" }).first().click();
    await page.getByRole("heading", { name: "New product", level: 1 }).waitFor();
    await page.getByLabel("Title").fill("Stoneware mug");
    await page.getByLabel("Description").fill("Wheel-thrown, dishwasher safe.");
    await page.getByRole("button", { name: "Add option" }).click();
    await page.getByLabel("Option 1 name").fill("Colour");
    const [blue, green, red] = [sku("MUG-BLUE"), sku("MUG-GREEN"), sku("MUG-RED")];
    await page.getByLabel("Colour, variant 1").fill("Blue");
    await page.getByLabel("SKU, variant 1").fill(blue);
    await page.getByLabel("Price USD, variant 1").fill("24.00");
    await page.getByLabel("On hand, variant 1").fill("5");
    await page.getByRole("button", { name: "Add variant", exact: true }).click();
    await page.getByLabel("Colour, variant 2").fill("Green");
    await page.getByLabel("SKU, variant 2").fill(green);
    await page.getByLabel("Price USD, variant 2").fill("26.5");
    await page.getByLabel("On hand, variant 2").fill("3");
    for (const v of await axe(page)) assert.fail(`new product: ${v}`);
    await page.getByRole("button", { name: "Create product" }).click();
    // The editor of the new product.
    await page.getByRole("heading", { name: "Stoneware mug", level: 1 }).waitFor();
    await page.getByText("2 variants").waitFor();

    // A third variant, saved on its own row.
    await page.getByRole("button", { name: "Add variant", exact: true }).click();
    await page.getByLabel("Colour, variant 3").fill("Red");
    await page.getByLabel("SKU, variant 3").fill(red);
    await page.getByLabel("Price USD, variant 3").fill("24");
    await page.getByLabel("On hand, variant 3").fill("2");
    await page.getByRole("button", { name: "Add variant 3" }).click();
    await page.getByText("3 variants").waitFor();

    // Receive 7 blue mugs.
    await page.getByRole("button", { name: `Stock of ${blue}` }).click();
    const dialog = page.getByRole("dialog", { name: `Stock of ${blue}` });
    await dialog.getByLabel("Units (+/−)").fill("7");
    await dialog.getByText("On hand becomes 12").waitFor();
    await dialog.getByRole("button", { name: "Adjust" }).click();
    await page.getByText(`${blue}: 12 on hand`).waitFor();
    for (const v of await axe(page)) assert.fail(`product editor: ${v}`);
    await screenshot(page, "commerce-dashboard-editor-light");

    const list = await staff("GET", "/api/v1/commerce/products?q=stoneware");
    assert.equal(list.status, 200);
    const p = list.body.data[0];
    assert.equal(p.title, "Stoneware mug");
    assert.deepEqual(p.options, ["Colour"]);
    const bySku = Object.fromEntries(p.variants.map((v) => [v.sku, v]));
    assert.deepEqual(
      [blue, green, red].map((s) => [bySku[s]?.options.Colour, bySku[s]?.prices.USD, bySku[s]?.inventory.on_hand]),
      [
        ["Blue", 2400, 12],
        ["Green", 2650, 3],
        ["Red", 2400, 2],
      ],
    );

    await page.goto("/commerce/products");
    await page.getByRole("link", { name: /Stoneware mug/ }).waitFor();
    await page.getByText("17 in stock").waitFor();
    for (const v of await axe(page)) assert.fail(`products: ${v}`);
    await screenshot(page, "commerce-dashboard-products-light");
  });
  await ctx.close();
});

test("a coupon is created and shows its usage against its limit", async () => {
  const { ctx, page } = await signedIn();
  await onFail(page, "commerce-dashboard-coupons", async () => {
    await page.goto("/commerce/coupons");
    await page.getByRole("heading", { name: "No coupons yet" }).waitFor();
    await page.getByRole("button", { name: "New coupon" }).click();
    const dialog = page.getByRole("dialog", { name: "New coupon" });
    await dialog.getByLabel("Code").fill("kiln15");
    await dialog.getByLabel("Percent off").fill("15");
    await dialog.getByLabel("Total uses (blank = unlimited)").fill("10");
    await dialog.getByRole("button", { name: "Create coupon" }).click();
    const row = page.getByRole("row", { name: /KILN15/ });
    await row.waitFor();
    await row.getByText("15% off the order").waitFor();
    assert.match(await row.textContent(), /0\s*\/ 10/);
    await row.getByText("Active").waitFor();
    for (const v of await axe(page)) assert.fail(`coupons: ${v}`);
  });
  await ctx.close();
});

/** A buyer's order through the storefront API: a checkout for a digital product, paid (or not) with the simulator. */
async function placeOrder(key, variantId, email, approve, quantity = 2) {
  const headers = { "Content-Type": "application/json", "X-Publishable-Key": key, Origin: SHOP, "CF-Connecting-IP": IP };
  const post = async (path, body) => {
    const res = await fetch(`${BASE}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const chk = await post("/public/v1/commerce/checkouts", { lines: [{ variant_id: variantId, quantity }], currency: "USD", email });
  assert.equal(chk.status, 201, JSON.stringify(chk.body));
  const pay = await post(`/public/v1/commerce/checkouts/${chk.body.id}/pay`, { provider: "simulator" });
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  if (approve) {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(pay.body.redirect_url);
    await page.getByRole("button", { name: "Approve payment" }).click();
    await page.waitForLoadState();
    await ctx.close();
  }
  return pay.body;
}

test("the orders list shows checkout orders with their status and filters them", async () => {
  const product = await staff("POST", "/api/v1/commerce/products", {
    title: "Glaze recipes (PDF)",
    type: "digital",
    variants: [{ sku: sku("GLAZE-PDF"), prices: { USD: 1500 } }],
  });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  const pk = await staff("POST", "/api/v1/publishable-keys", { name: "shop", allowed_origins: [SHOP] });
  assert.equal(pk.status, 201, JSON.stringify(pk.body));
  const variant = product.body.variants[0].id;
  const paid = await placeOrder(pk.body.key, variant, uniqueEmail("paid-buyer"), true);
  const pending = await placeOrder(pk.body.key, variant, uniqueEmail("pending-buyer"), false);
  await until(
    () => staff("GET", "/api/v1/commerce/orders?status=paid"),
    (r) => r.status === 200 && r.body.data.some((o) => o.id === paid.order_id),
    "the simulator's webhook marking the order paid",
  );

  for (const mode of ["light", "dark", "phone"]) {
    const { ctx, page } = await signedIn(
      mode === "phone" ? { viewport: { width: 390, height: 844 } } : { colorScheme: mode === "dark" ? "dark" : "light" },
    );
    await onFail(page, `commerce-dashboard-orders-${mode}`, async () => {
      await page.goto("/commerce/orders");
      await page.getByRole("heading", { name: "Orders", level: 1 }).waitFor();
      const paidRow = page.getByRole("row", { name: new RegExp(`#${paid.order_number}\\b`) });
      await paidRow.getByText("Paid", { exact: true }).waitFor();
      await paidRow.getByText("$30.00").waitFor();
      await page
        .getByRole("row", { name: new RegExp(`#${pending.order_number}\\b`) })
        .getByText("Pending", { exact: true })
        .waitFor();
      if (mode === "light") {
        for (const v of await axe(page)) assert.fail(`orders: ${v}`);
        await page.getByLabel("Payment").selectOption("pending");
        await until(
          () => page.getByRole("row", { name: new RegExp(`#${paid.order_number}\\b`) }).count(),
          (n) => n === 0,
          "the status filter hiding the paid order",
        );
        await page.getByRole("row", { name: new RegExp(`#${pending.order_number}\\b`) }).waitFor();
        await page.getByLabel("Payment").selectOption("");
      }
      await screenshot(page, `commerce-dashboard-orders-${mode === "phone" ? "390" : mode}`);
      // The paid order's page: lines, totals and its timeline.
      await page.getByRole("link", { name: `#${paid.order_number}` }).click();
      await page.getByRole("heading", { name: `Order #${paid.order_number}`, level: 1 }).waitFor();
      await page.getByText("Payment received").waitFor();
      if (mode === "light") for (const v of await axe(page)) assert.fail(`order: ${v}`);
      await screenshot(page, `commerce-dashboard-order-${mode === "phone" ? "390" : mode}`);
    });
    await ctx.close();
  }
});

test("a recurring product sells a subscription that staff renew (simulator), cancel at period end and resume", async () => {
  const product = await staff("POST", "/api/v1/commerce/products", {
    title: "Glaze club",
    type: "digital",
    variants: [{ sku: sku("GLAZE-CLUB"), prices: { USD: 900 } }],
  });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  const pk = await staff("POST", "/api/v1/publishable-keys", { name: "club", allowed_origins: [SHOP] });
  assert.equal(pk.status, 201, JSON.stringify(pk.body));
  const { ctx, page } = await signedIn();
  await onFail(page, "commerce-dashboard-subscriptions", async () => {
    // The editor's Recurring section: every month, no trial.
    await page.goto(`/commerce/products/${product.body.id}`);
    await page.getByRole("button", { name: "Make recurring" }).click();
    const form = page.getByRole("form", { name: "Recurring plan" });
    await form.getByLabel("Charge every").fill("1");
    await form.getByRole("button", { name: "Make recurring" }).click();
    await page.getByText("charged every month").waitFor();
    assert.deepEqual((await staff("GET", `/api/v1/commerce/products/${product.body.id}`)).body.recurring, {
      interval: "month",
      interval_count: 1,
      trial_days: 0,
    });

    const buyer = uniqueEmail("club-buyer");
    await placeOrder(pk.body.key, product.body.variants[0].id, buyer, true, 1);
    const sub = await until(
      () => staff("GET", "/api/v1/commerce/subscriptions?status=active"),
      (r) => r.body.data?.some((s) => s.email === buyer),
      "the simulator starting the subscription",
    ).then((r) => r.body.data.find((s) => s.email === buyer));

    await page.goto("/commerce/subscriptions");
    const row = page.getByRole("row", { name: new RegExp(buyer) });
    await row.getByText("Active", { exact: true }).waitFor();
    await row.getByText("$9.00 / month", { exact: true }).waitFor();
    for (const v of await axe(page)) assert.fail(`subscriptions: ${v}`);
    await screenshot(page, "commerce-dashboard-subscriptions-light");
    await page.getByLabel("Status").selectOption("past_due");
    await page.getByRole("heading", { name: "No past due subscriptions" }).waitFor();
    await page.getByLabel("Status").selectOption("");

    await row.getByRole("link", { name: buyer }).click();
    await page.getByRole("heading", { name: "Glaze club", level: 1 }).waitFor();
    await page.getByText("First period paid · $9.00").waitFor();
    await page.getByRole("button", { name: "Simulate renewal (paid)" }).click();
    await page.getByText("Renewal paid · $9.00").waitFor();

    await page.getByRole("button", { name: "Cancel subscription…" }).click();
    const dialog = page.getByRole("dialog", { name: /Cancel .* subscription\?/ });
    await dialog.getByLabel("Reason (optional)").fill("Too many glazes");
    await dialog.getByRole("button", { name: "Cancel at period end" }).click();
    await page.getByText("Ending", { exact: true }).waitFor();
    await page.getByText("“Too many glazes”").waitFor();
    const ending = (await staff("GET", `/api/v1/commerce/subscriptions/${sub.id}`)).body;
    assert.equal(ending.cancel_at_period_end, true);
    assert.equal(ending.status, "active");
    assert.equal(ending.cancel_reason, "Too many glazes");
    assert.deepEqual(
      ending.invoices.map((i) => `${i.kind}:${i.status}`),
      ["first:paid", "renewal:paid"],
    );
    for (const v of await axe(page)) assert.fail(`subscription: ${v}`);
    await screenshot(page, "commerce-dashboard-subscription-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "commerce-dashboard-subscription-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "commerce-dashboard-subscription-390");

    await page.getByRole("button", { name: "Resume" }).click();
    await until(
      () => page.getByText("Ending", { exact: true }).count(),
      (n) => n === 0,
      "the Ending badge going away after Resume",
    );
    assert.equal((await staff("GET", `/api/v1/commerce/subscriptions/${sub.id}`)).body.cancel_at_period_end, false);
  });
  await ctx.close();
});
