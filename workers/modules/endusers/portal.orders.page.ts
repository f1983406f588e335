import type { Context } from "hono";
import { Hono } from "hono";
import { appOrigin } from "../../platform/request";
import { fileLinkOn } from "../files";
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

/** The end user's order with its download links on the origin this page is served from (fileLinkOn). */
async function orderHere(c: Context<AppEnv>, s: NonNullable<Awaited<ReturnType<typeof session>>>, id: string) {
  const o = await myOrder(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, id);
  const origin = appOrigin(c);
  return { ...o, lines: o.lines.map((l) => (l.download_url ? { ...l, download_url: fileLinkOn(l.download_url, origin) } : l)) };
}

portalOrderPages.get("/:slug/orders/:id", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  return c.html(orderView(s.v, await orderHere(c, s, c.req.param("id"))));
});

portalOrderPages.post("/:slug/orders/:id/receipt", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const id = c.req.param("id");
  await resendMyReceipt(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, id);
  return c.html(orderView(s.v, await orderHere(c, s, id), { notice: s.v.t.receiptSent }));
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
    return c.html(orderView(s.v, await orderHere(c, s, id), { error: err.detail ?? err.title }), err.status === 404 ? 404 : 409);
  }
});

portalOrderPages.post("/:slug/orders/:id/refund", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const id = c.req.param("id");
  const body = await c.req.parseBody();
  const msg = messageBodySchema.safeParse(typeof body.message === "string" ? body.message : "");
  if (!msg.success) {
    return c.html(orderView(s.v, await orderHere(c, s, id), { error: "Write a message." }), 400);
  }
  const t = await requestRefund(s.ctx.db, s.ctx.site.tenantId, s.user, id, msg.data);
  return c.redirect(`/portal/${s.ctx.site.slug}/tickets/${t.id}`, 303);
});
