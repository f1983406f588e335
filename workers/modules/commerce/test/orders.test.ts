import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { waitForMail } from "../../../../test/helpers";
import { eraseEndUserEverywhere, isKnownCustomer } from "../../../platform/end-user-hooks";
import { ordersOfEndUser } from "../orders.read";
import { as } from "./commerce-helpers";
import { ADDRESS, buyerEmail, payWithSimulator, readyCheckout, sellingShop, stockOf } from "./checkout-helpers";

/** A paid simulator order of `quantity` shirts; returns its ids and detail. */
async function paidOrder(s: Awaited<ReturnType<typeof sellingShop>>, quantity: number, extra: Record<string, unknown> = {}) {
  const co = await readyCheckout(s.sf, s.variantId, quantity, extra);
  const { pay } = await payWithSimulator(s.sf, co.id);
  const detail = await as(s.u)("GET", `/api/v1/commerce/orders/${pay.order_id}`);
  expect(detail.body.status).toBe("paid");
  return { pay, detail: detail.body, checkout: co };
}

describe("commerce orders (staff)", () => {
  it("refunds part by line, then the rest, through the simulator's signed webhook: partially_refunded → refunded, on the timeline", async () => {
    const s = await sellingShop("Refund shop");
    const email = buyerEmail();
    const { pay, detail } = await paidOrder(s, 2, { email });
    // 2 × 25.00, 8.00 shipping, NY tax 4.44 → 62.44; the line is 50.00 + 4.44 tax.
    expect(detail).toMatchObject({ total: 6244, subtotal: 5000, shipping: 800, tax: 444, refunded: 0 });
    const line = detail.lines[0];
    const one = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/refunds`, {
      lines: [{ line_id: line.id, quantity: 1 }],
      restock: true,
      reason: "one arrived torn",
    });
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body.amount).toBe(2722); // half of the line's 54.44
    const after1 = (await as(s.u)("GET", `/api/v1/commerce/orders/${pay.order_id}`)).body;
    expect(after1).toMatchObject({ status: "partially_refunded", refunded: 2722 });
    expect(after1.lines[0].refunded_quantity).toBe(1);
    expect(after1.refunds[0]).toMatchObject({ status: "succeeded", amount: 2722 });
    expect(await stockOf(s.u, s.product.id)).toMatchObject({ on_hand: 9 }); // 10 − 2 sold + 1 restocked
    await waitForMail(email, "refund");
    // Too much: 422 with the remainder.
    const tooMuch = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/refunds`, { amount: 6244 });
    expect([tooMuch.status, tooMuch.body.refundable]).toEqual([422, 6244 - 2722]);
    const rest = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/refunds`, {});
    expect(rest.body.amount).toBe(6244 - 2722);
    const after2 = (await as(s.u)("GET", `/api/v1/commerce/orders/${pay.order_id}`)).body;
    expect(after2).toMatchObject({ status: "refunded", refunded: 6244 });
    expect(after2.events.map((e: { type: string }) => e.type)).toEqual([
      "created",
      "payment_started",
      "paid",
      "receipt_sent",
      "refund_requested",
      "refunded",
      "refund_requested",
      "refunded",
    ]);
    // Nothing left: a refunded order refuses more.
    expect((await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/refunds`, {})).status).toBe(409);
  });

  it("ships in two parts with tracking (partial → fulfilled), emails the buyer, shows tracking on the buyer's order", async () => {
    const s = await sellingShop("Ship shop");
    const email = buyerEmail();
    const { pay, detail } = await paidOrder(s, 3, { email });
    const line = detail.lines[0];
    const first = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/fulfilments`, {
      lines: [{ line_id: line.id, quantity: 2 }],
      carrier: "UPS",
      tracking_number: "1Z999",
      tracking_url: "https://ups.example/1Z999",
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ status: "paid", fulfilment_status: "partial" });
    expect(first.body.lines[0].fulfilled_quantity).toBe(2);
    const mail = await waitForMail(email, "on its way");
    expect(mail.text).toContain("1Z999");
    const tooMany = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/fulfilments`, {
      lines: [{ line_id: line.id, quantity: 2 }],
    });
    expect(tooMany.status).toBe(400);
    const second = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/fulfilments`, { carrier: "DHL", notify: false });
    expect(second.body).toMatchObject({ status: "fulfilled", fulfilment_status: "fulfilled" });
    expect(second.body.fulfilments).toHaveLength(2);
    expect((await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/fulfilments`, {})).status).toBe(409);
    const buyer = await s.sf("GET", `/public/v1/commerce/orders/${pay.order_id}?token=${pay.access_token}`);
    expect(buyer.body.tracking).toEqual([
      { carrier: "UPS", tracking_number: "1Z999", tracking_url: "https://ups.example/1Z999" },
      { carrier: "DHL", tracking_number: null, tracking_url: null },
    ]);
    // Shipped orders cannot be cancelled.
    expect((await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/cancel`, {})).status).toBe(409);
  });

  it("cancels: an unpaid order gives its stock back; a paid one is refunded with restock; notes, receipts, filters", async () => {
    const s = await sellingShop("Cancel shop");
    const co = await readyCheckout(s.sf, s.variantId, 2);
    const unpaid = (await s.sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "simulator" })).body;
    expect(await stockOf(s.u, s.product.id)).toMatchObject({ reserved: 2 });
    const c1 = await as(s.u)("POST", `/api/v1/commerce/orders/${unpaid.order_id}/cancel`, { reason: "duplicate" });
    expect(c1.body).toMatchObject({ status: "cancelled" });
    expect(await stockOf(s.u, s.product.id)).toMatchObject({ on_hand: 10, reserved: 0 });
    expect((await as(s.u)("POST", `/api/v1/commerce/orders/${unpaid.order_id}/resend-receipt`)).status).toBe(409);

    const { pay } = await paidOrder(s, 3, { email: "bob@example.test" });
    expect(await stockOf(s.u, s.product.id)).toMatchObject({ on_hand: 7 });
    const c2 = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/cancel`, { reason: "customer asked" });
    expect(c2.body).toMatchObject({ status: "cancelled", refunded: c2.body.total });
    expect(await stockOf(s.u, s.product.id)).toMatchObject({ on_hand: 10 });

    const note = await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/notes`, { body: "Called the customer." });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ type: "note", detail: { body: "Called the customer." } });
    expect(note.body.actor).toBe(s.u.userId);
    expect((await as(s.u)("POST", `/api/v1/commerce/orders/${pay.order_id}/resend-receipt`)).status).toBe(202);

    const list = (q: string) => as(s.u)("GET", `/api/v1/commerce/orders?${q}`);
    expect((await list("status=cancelled")).body.data.map((o: { id: string }) => o.id).sort()).toEqual(
      [unpaid.order_id, pay.order_id].sort(),
    );
    expect((await list("customer=bob@example.test")).body.data.map((o: { id: string }) => o.id)).toEqual([pay.order_id]);
    const byNumber = await list(`q=%23${c2.body.number}`);
    expect(byNumber.body.data.map((o: { id: string }) => o.id)).toEqual([pay.order_id]);
    expect(byNumber.body.data[0]).toMatchObject({ line_count: 1, item_count: 3 });
    expect((await list("status=paid")).body.data).toEqual([]);
  });

  it("first-order coupons see paid orders; the GDPR erase anonymises orders (amounts kept); a paid email is a known customer", async () => {
    const s = await sellingShop("Loyal shop");
    const code = `FIRST${Date.now().toString(36)}`.toUpperCase();
    await as(s.u)("POST", "/api/v1/commerce/coupons", { code, kind: "percent", percent_off_bps: 2000, first_order_only: true });
    const { pay } = await paidOrder(s, 1, { email: "carol@example.test" });
    expect(await isKnownCustomer(env, s.u.tenantId, "Carol@example.test")).toBe(true);
    expect(await isKnownCustomer(env, s.u.tenantId, "nobody@example.test")).toBe(false);
    const second = await readyCheckout(s.sf, s.variantId, 1, { email: "carol@example.test", coupon_code: code });
    expect(second).toMatchObject({ coupon_problem: "first_order_only", totals: { discount: 0 } });
    const fresh = await readyCheckout(s.sf, s.variantId, 1, { email: "dave@example.test", coupon_code: code, shipping_address: ADDRESS });
    expect(fresh.totals.discount).toBe(500);

    const out = await eraseEndUserEverywhere(env, { tenantId: s.u.tenantId, endUserId: "eu_carol", email: "carol@example.test" });
    expect(out.commerce).toBeGreaterThanOrEqual(2); // the order and the two checkouts
    const d = (await as(s.u)("GET", `/api/v1/commerce/orders/${pay.order_id}`)).body;
    expect(d.email).toMatch(/^erased:.*@erased\.invalid$/);
    expect(d).toMatchObject({ shipping_address: null, total: 3522, status: "paid" });
    expect(await isKnownCustomer(env, s.u.tenantId, "carol@example.test")).toBe(false);
    // The portal's list: an end user's orders only.
    expect((await ordersOfEndUser(env, s.u.tenantId, "eu_nobody")).data).toEqual([]);
  });
});
