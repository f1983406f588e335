import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { Problem } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { cancelSubscription, resumeSubscription, serializeSubscription, subscriptionDetail, subscriptionsOfEndUser } from "../commerce";
import { session, signIn } from "./portal.account.page";
import { subscriptionStrings } from "./portal.subscriptions.i18n";
import { mySubscription } from "./portal.subscriptions.routes";
import { subscriptionsView, subscriptionView } from "./portal.subscriptions.views";

/** The hosted portal's subscription pages (/portal/<slug>/subscriptions…), over the JSON API's functions. */
export const portalSubscriptionPages = new Hono<AppEnv>();

portalSubscriptionPages.get("/:slug/subscriptions", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const rows = await subscriptionsOfEndUser(s.ctx.db, s.ctx.site.tenantId, s.user.id);
  // Checkouts that were never paid are not subscriptions the customer has.
  const mine = rows.filter((r) => r.status !== "incomplete" && r.status !== "incomplete_expired").map(serializeSubscription);
  return c.html(subscriptionsView(s.v, mine));
});

portalSubscriptionPages.get("/:slug/subscriptions/:id", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const sub = await mySubscription(s.ctx.db, s.user, c.req.param("id"));
  return c.html(subscriptionView(s.v, await subscriptionDetail(s.ctx.db, sub), { confirm: c.req.query("confirm") === "cancel" }));
});

for (const action of ["cancel", "resume"] as const) {
  portalSubscriptionPages.post(`/:slug/subscriptions/:id/${action}`, async (c) => {
    const s = await session(c);
    if (!s) return signIn(c);
    const t = subscriptionStrings(s.v.lang);
    const sub = await mySubscription(s.ctx.db, s.user, c.req.param("id"));
    try {
      const after =
        action === "cancel"
          ? await cancelSubscription(c.env, s.ctx.db, sub, { mode: "period_end", by: "customer", origin: appOrigin(c) })
          : await resumeSubscription(c.env, s.ctx.db, sub, { by: "customer", origin: appOrigin(c) });
      const notice = action === "cancel" ? t.canceled : t.resumed;
      return c.html(subscriptionView(s.v, await subscriptionDetail(s.ctx.db, after), { notice }));
    } catch (err) {
      if (!(err instanceof Problem) || err.status >= 500) throw err;
      const now = await subscriptionDetail(s.ctx.db, await mySubscription(s.ctx.db, s.user, sub.id));
      return c.html(subscriptionView(s.v, now, { error: err.detail ?? err.title }), err.status === 404 ? 404 : 409);
    }
  });
}
