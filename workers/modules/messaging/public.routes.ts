import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { notFound, unauthorized } from "../../platform/errors";
import { enforceRateLimit } from "../../platform/ratelimit";
import { clientIp } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { messagingConfig } from "./config";
import { confirmSubscription, subscribe, unsubscribeFromList } from "./list-subscribers.service";
import { setPreference, verifyUnsubscribeToken } from "./preferences";
import { escapeHtml } from "./render";
import { preferenceCentreRoutes } from "./preference-centre.routes";

/** Public messaging endpoints (mounted at /public/v1): newsletter sign-up, confirmation, one-click unsubscribe. */
export const messagingPublicRoutes = createRouter();
messagingPublicRoutes.use(
  "/lists/*",
  cors({ origin: (o) => o, allowHeaders: ["Content-Type", "X-Publishable-Key"], allowMethods: ["POST", "OPTIONS"], maxAge: 600 }),
);
// Only this router's paths: the /public/v1 prefix is shared with other modules.
const limitByIp = async (c: Context<AppEnv>, next: () => Promise<void>) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  await next();
};
messagingPublicRoutes.use("/lists/*", limitByIp);
messagingPublicRoutes.use("/unsubscribe", limitByIp);
messagingPublicRoutes.use("/preferences", limitByIp);
messagingPublicRoutes.route("/", preferenceCentreRoutes);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>:root{color-scheme:light dark}body{font:16px system-ui,sans-serif;max-width:520px;margin:64px auto;padding:0 16px;line-height:1.5}
button{font:inherit;padding:10px 16px;border-radius:8px;border:1px solid #8886;background:#4f46e5;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

messagingPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/lists/{id}/subscribe",
      tags: ["Email lists (public)"],
      summary: "Newsletter sign-up from a tenant's site (publishable key + allowed Origin); double opt-in",
      request: {
        params: z.object({
          id: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: "id", in: "path" } }),
        }),
        headers: z.object({ "x-publishable-key": z.string().max(200).optional() }),
        ...jsonBody(
          z
            .object({
              email: z.email(),
              name: z.string().max(200).optional(),
              key: z.string().max(200).optional().openapi({ description: "Publishable key, if not sent as X-Publishable-Key" }),
            })
            .openapi("PublicSubscribe"),
        ),
      },
      responses: { 202: jsonResponse(z.object({ status: z.literal("check_your_inbox").or(z.literal("subscribed")) }), "Accepted") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    const db = getDb(c.env.DB);
    const key = c.req.header("X-Publishable-Key") ?? b.key ?? "";
    const resolved = await resolvePublishableKey(db, key, c.req.header("Origin") ?? null);
    if (!resolved) throw unauthorized("A valid publishable key, used from one of its allowed origins, is required.");
    const sub = await subscribe(db, c.env, resolved.tenantId, c.req.valid("param").id, {
      email: b.email,
      name: b.name,
      source: "public_form",
      ip: clientIp(c),
    });
    return c.json({ status: sub.status === "subscribed" ? ("subscribed" as const) : ("check_your_inbox" as const) }, 202);
  },
);

messagingPublicRoutes.get("/lists/confirm", async (c) => {
  const done = await confirmSubscription(getDb(c.env.DB), c.env, c.req.query("token") ?? "");
  if (!done) return c.html(page("Link not valid", "<p>This confirmation link was already used or is not valid.</p>"), 404);
  return c.html(page("Subscribed", `<p>Thanks — you are now subscribed to <strong>${escapeHtml(done.list)}</strong>.</p>`));
});

async function claimsOf(c: Context<AppEnv>) {
  const claims = await verifyUnsubscribeToken(messagingConfig(c.env).signingKey, c.req.query("token") ?? "");
  if (!claims) throw notFound("Unsubscribe link");
  return claims;
}

/** The landing page of the unsubscribe link: a confirmation button (GET never changes anything, so link scanners can't unsubscribe people). */
messagingPublicRoutes.get("/unsubscribe", async (c) => {
  const claims = await claimsOf(c);
  const token = escapeHtml(c.req.query("token")!);
  return c.html(
    page(
      "Unsubscribe",
      `<p>Stop ${claims.l ? "receiving this newsletter" : `${escapeHtml(claims.c)} emails`} at <strong>${escapeHtml(claims.r)}</strong>?</p>
<form method="post" action="?token=${token}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
    ),
  );
});

/** RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` here; the landing page's form does the same. */
messagingPublicRoutes.post("/unsubscribe", async (c) => {
  const claims = await claimsOf(c);
  const db = getDb(c.env.DB);
  if (claims.l) await unsubscribeFromList(db, c.env, claims.t, claims.l, claims.r);
  else
    await setPreference(db, claims.t, { recipient: claims.r, category: claims.c, channel: "email", optedOut: true, source: "one_click" });
  if ((c.req.header("Accept") ?? "").includes("text/html") || (c.req.header("Content-Type") ?? "").includes("form")) {
    return c.html(page("Unsubscribed", `<p>Done: <strong>${escapeHtml(claims.r)}</strong> will not receive these emails any more.</p>`));
  }
  return c.json({ unsubscribed: true });
});
