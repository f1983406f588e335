import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, freshIp, waitForMail } from "../../../../test/helpers";
import { runCommerceCron } from "../cron";
import { as, newProduct, shop, storefront } from "./commerce-helpers";
import { ADDRESS, buyerEmail, payWithSimulator, readyCheckout, sellingShop, simulatorSigned, stockOf } from "./checkout-helpers";
import { simulatorPaidEvent } from "../payments/simulator";

describe("commerce checkout (storefront)", () => {
  it("creates from a cart, re-prices on PATCH, pays through the simulator's signed webhook: one order, stock once, a receipt", async () => {
    const { u, sf, product, variantId, rateId } = await sellingShop();
    const email = buyerEmail();
    const cart = (await sf("POST", "/public/v1/commerce/carts", { email: email.toUpperCase() })).body;
    await sf("POST", `/public/v1/commerce/carts/${cart.id}/lines`, { variant_id: variantId, quantity: 3 });
    const created = await sf("POST", "/public/v1/commerce/checkouts", { cart_id: cart.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const co = created.body;
    expect(co).toMatchObject({ status: "open", currency: "USD", email, order: null });
    expect(co.lines).toMatchObject([{ variant_id: variantId, quantity: 3, unit_amount: 2500, sku: product.variants[0]?.sku }]);
    // No address yet: no tax; the flat rate ships everywhere.
    expect(co.totals).toMatchObject({ subtotal: 7500, shipping: 800, tax: 0, total: 8300 });
    expect(co.providers).toContain("simulator");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 10, reserved: 3 });
    // The cart is checked out: creating again answers the same checkout.
    const again = await sf("POST", "/public/v1/commerce/checkouts", { cart_id: cart.id });
    expect([again.status, again.body.id]).toEqual([200, co.id]);
    expect((await sf("POST", `/public/v1/commerce/carts/${cart.id}/lines`, { variant_id: variantId })).status).toBe(409);

    // Paying needs an address (something ships).
    const early = await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "simulator" });
    expect(early.status).toBe(400);
    expect(early.body.errors.map((e: { path: string }) => e.path)).toContain("shipping_address");

    // NY: 8.875 % of (7500 + no shipping tax) = 665.625 → 666; shipping 800.
    const patched = await sf("PATCH", `/public/v1/commerce/checkouts/${co.id}`, { shipping_address: ADDRESS });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.shipping_rate_id).toBe(rateId);
    expect(patched.body.totals).toMatchObject({ subtotal: 7500, shipping: 800, tax: 666, total: 7500 + 800 + 666 });
    expect(patched.body.lines[0]).toMatchObject({ tax: 666, total: 7500 + 666 });

    const { pay, location } = await payWithSimulator(sf, co.id);
    expect(pay).toMatchObject({ provider: "simulator", order_number: 1001 });
    expect(location).toContain(`/checkout/`);
    const order = await sf("GET", `/public/v1/commerce/orders/${pay.order_id}?token=${pay.access_token}`);
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      number: 1001,
      status: "paid",
      fulfilment_status: "unfulfilled",
      totals: { subtotal: 7500, shipping: 800, tax: 666, total: 8966 },
    });
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 7, reserved: 0 });
    const mail = await waitForMail(email, "receipt");
    expect(mail.text).toContain("89.66 USD");
    // The checkout is completed and shows its order; it cannot be changed or paid again.
    const done = await sf("GET", `/public/v1/commerce/checkouts/${co.id}`);
    expect(done.body).toMatchObject({ status: "completed", order: { id: pay.order_id, status: "paid" } });
    expect((await sf("PATCH", `/public/v1/commerce/checkouts/${co.id}`, { email: "x@example.test" })).status).toBe(409);
    expect((await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "simulator" })).status).toBe(409);
    // A wrong token is 404, like another shop's key.
    expect((await sf("GET", `/public/v1/commerce/orders/${pay.order_id}?token=nope`)).status).toBe(404);
    const other = await shop("Other shop");
    expect((await storefront(other.key)("GET", `/public/v1/commerce/orders/${pay.order_id}?token=${pay.access_token}`)).status).toBe(404);
    expect((await storefront(other.key)("GET", `/public/v1/commerce/checkouts/${co.id}`)).status).toBe(404);
  });

  it("refuses more than the stock, and a Buy link's unsellable lines; a declined simulator payment leaves the order payment_failed", async () => {
    const { u, sf, product, variantId } = await sellingShop("Decline shop");
    const tooMany = await sf("POST", "/public/v1/commerce/checkouts", { lines: [{ variant_id: variantId, quantity: 11 }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.type).toContain("insufficient-stock");
    const eur = await sf("POST", "/public/v1/commerce/checkouts", { lines: [{ variant_id: variantId, quantity: 1 }], currency: "EUR" });
    expect(eur.status).toBe(400);
    const co = await readyCheckout(sf, variantId, 2);
    const { pay } = await payWithSimulator(sf, co.id, "decline");
    const order = await sf("GET", `/public/v1/commerce/orders/${pay.order_id}?token=${pay.access_token}`);
    expect(order.body).toMatchObject({ status: "payment_failed" });
    expect(order.body.failure_reason).toContain("declined");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 10, reserved: 2 });
    // Paying again: the same order, approved this time.
    const retry = await payWithSimulator(sf, co.id);
    expect(retry.pay.order_id).toBe(pay.order_id);
    const paid = await sf("GET", `/public/v1/commerce/orders/${pay.order_id}?token=${pay.access_token}`);
    expect(paid.body.status).toBe("paid");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 8, reserved: 0 });
  });

  it("expires with its hold: checkout and pending order expired, stock back", async () => {
    const { u, sf, product, variantId } = await sellingShop("Expiry shop");
    const co = await readyCheckout(sf, variantId, 4);
    const pay = await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "simulator" });
    expect(await stockOf(u, product.id)).toMatchObject({ reserved: 4 });
    const out = await runCommerceCron(env, Date.parse(co.expires_at) + 1000);
    expect(out.checkouts).toBeGreaterThanOrEqual(1);
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 10, reserved: 0 });
    expect((await sf("GET", `/public/v1/commerce/checkouts/${co.id}`)).body.status).toBe("expired");
    const order = await sf("GET", `/public/v1/commerce/orders/${pay.body.order_id}?token=${pay.body.access_token}`);
    expect(order.body.status).toBe("expired");
    // The payment still arrives (signed): the order is paid and takes its units if they are still there.
    const late = await simulatorSigned(
      u.tenantId,
      simulatorPaidEvent(u.tenantId, pay.body.order_id, "cs_sim_late", order.body.totals.total, "USD"),
    );
    expect(late.body.outcome).toBe("paid");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 6, reserved: 0 });
    const staff = await as(u)("GET", `/api/v1/commerce/orders/${pay.body.order_id}`);
    expect(staff.body.status).toBe("paid");
    const types = staff.body.events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === "stock_retaken")).toHaveLength(1);
    expect(types).not.toContain("stock_short");
    // A second signed delivery (another event id) takes nothing more: the retake happens once.
    const twice = await simulatorSigned(
      u.tenantId,
      simulatorPaidEvent(u.tenantId, pay.body.order_id, "cs_sim_late_again", order.body.totals.total, "USD"),
    );
    expect(twice.body.outcome).toBe("unchanged");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 6, reserved: 0 });
  });

  it("the hosted checkout page wears the portal's brand (name, colour) when the workspace set one", async () => {
    const { u, sf, variantId } = await sellingShop("Plain Co shop");
    const co = await readyCheckout(sf, variantId, 1);
    const slug = (await as(u)("GET", "/api/v1/tenant")).body.slug as string;
    const ip = freshIp();
    const page = async () => (await call(`/checkout/${slug}/${co.id}`, { ip })).text();
    const before = await page();
    expect(before).toContain("#4f46e5");
    const set = await as(u)("PUT", "/api/v1/end-users/portal-settings", { brand_name: "Kiln & Co", primary_color: "#0f766e" });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const after = await page();
    expect(after).toContain("--brand:#0f766e");
    expect(after).toContain("Kiln &amp; Co");
    expect(after).not.toContain("#4f46e5");
  });

  it("a paid order whose effects never finished (the Worker died after the transition) finishes them on the next signed event, once", async () => {
    const { u, sf, product, variantId } = await sellingShop("Crash shop");
    const co = await readyCheckout(sf, variantId, 2);
    const pay = await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "simulator" });
    const total = (await sf("GET", `/public/v1/commerce/orders/${pay.body.order_id}?token=${pay.body.access_token}`)).body.totals.total;
    // What a crash right after the conditional UPDATE leaves behind: paid, but the stock still only
    // held, no receipt, no order.paid.
    await env.DB.prepare("UPDATE commerce_orders SET status = 'paid', paid_at = ?1 WHERE tenant_id = ?2 AND id = ?3")
      .bind(Date.now(), u.tenantId, pay.body.order_id)
      .run();
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 10, reserved: 2 });
    // The provider retries (or sends its next event): the transition is lost, the effects are not.
    const retried = await simulatorSigned(u.tenantId, simulatorPaidEvent(u.tenantId, pay.body.order_id, "cs_sim_retry", total, "USD"));
    expect(retried.body.outcome).toBe("unchanged");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 8, reserved: 0 });
    await waitForMail(co.email, "receipt");
    const again = await simulatorSigned(u.tenantId, simulatorPaidEvent(u.tenantId, pay.body.order_id, "cs_sim_retry_2", total, "USD"));
    expect(again.body.outcome).toBe("unchanged");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 8, reserved: 0 });
    const outbox = await env.DB.prepare("SELECT count(*) AS n FROM outbox_messages WHERE tenant_id = ?1 AND template = 'commerce.receipt'")
      .bind(u.tenantId)
      .first<{ n: number }>();
    expect(outbox?.n).toBe(1);
    const staff = await as(u)("GET", `/api/v1/commerce/orders/${pay.body.order_id}`);
    expect(staff.body.events.filter((e: { type: string }) => e.type === "receipt_sent")).toHaveLength(1);
  });

  it("a digital product: no address needed, not_required fulfilment, a signed download link once paid", async () => {
    const s = await shop("Digital shop");
    const { storeFile } = await import("../../files");
    const file = await storeFile(env, {
      tenantId: s.u.tenantId,
      name: "ebook.txt",
      bytes: new TextEncoder().encode("hello"),
      module: "commerce",
    });
    const ebook = await newProduct(s.u, {
      title: "E-book",
      type: "digital",
      digital_file_id: file.id,
      options: [],
      variants: [{ sku: `EBOOK-${Date.now()}`, options: {}, prices: { USD: 999 } }],
    });
    const sf = storefront(s.key);
    const reader = buyerEmail("reader");
    const co = (
      await sf("POST", "/public/v1/commerce/checkouts", {
        lines: [{ variant_id: ebook.variants[0]?.id, quantity: 1 }],
        email: reader,
      })
    ).body;
    expect(co.totals).toMatchObject({ subtotal: 999, shipping: 0, total: 999 });
    const before = await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "simulator" });
    const pending = await sf("GET", `/public/v1/commerce/orders/${before.body.order_id}?token=${before.body.access_token}`);
    expect(pending.body.lines[0].download_url).toBeNull();
    await payWithSimulator(sf, co.id);
    const paid = await sf("GET", `/public/v1/commerce/orders/${before.body.order_id}?token=${before.body.access_token}`);
    expect(paid.body).toMatchObject({ status: "paid", fulfilment_status: "not_required" });
    expect(paid.body.lines[0].download_url).toMatch(/^http/);
    const mail = await waitForMail(reader, "receipt");
    expect(mail.text).toContain("Download:");
  });
});
