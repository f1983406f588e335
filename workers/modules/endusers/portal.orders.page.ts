import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { session, signIn } from "./portal.account.page";
import { Problem } from "../../platform/errors";
import { myOrder, myOrders, reorderMine, requestRefund, resendMyReceipt } from "./portal.orders";
import { orderView, ordersView } from "./portal.orders.views";
import { messageBodySchema } from "./portal.schemas";

/** The hosted portal's order pages (/portal/<slug>/orders…), over the same functions as the JSON API. */
export const portalOrderPages = new Hono<AppEnv>();

portalOrderPages.get("/:slug/orders", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const page = await myOrders(c.env, s.ctx.site.tenantId, s.user.id, { limit: 25, cursor: c.req.query("cursor") });
  return c.html(ordersView(s.v, page.data, page.next_cursor));
});

portalOrderPages.get("/:slug/orders/:id", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  return c.html(orderView(s.v, await myOrder(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, c.req.param("id"))));
});

portalOrderPages.post("/:slug/orders/:id/receipt", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const id = c.req.param("id");
  await resendMyReceipt(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, id);
  return c.html(orderView(s.v, await myOrder(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, id), { notice: s.v.t.receiptSent }));
});

portalOrderPages.post("/:slug/orders/:id/reorder", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const id = c.req.param("id");
  try {
    const co = await reorderMine(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, id);
    return c.redirect(`/checkout/${s.ctx.site.slug}/${co.id}`, 303);
  } catch (err) {
    if (!(err instanceof Problem) || err.status >= 500) throw err;
    // Sold out or no longer for sale: say so on the order page.
    const o = await myOrder(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, id);
    return c.html(orderView(s.v, o, { error: err.detail ?? err.title }), err.status === 404 ? 404 : 409);
  }
});

portalOrderPages.post("/:slug/orders/:id/refund", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const id = c.req.param("id");
  const body = await c.req.parseBody();
  const msg = messageBodySchema.safeParse(typeof body.message === "string" ? body.message : "");
  if (!msg.success) {
    const o = await myOrder(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, id);
    return c.html(orderView(s.v, o, { error: "Write a message." }), 400);
  }
  const t = await requestRefund(s.ctx.db, s.ctx.site.tenantId, s.user, id, msg.data);
  return c.redirect(`/portal/${s.ctx.site.slug}/tickets/${t.id}`, 303);
});
