import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { Problem } from "../../platform/errors";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp } from "../../platform/request";
import { emailSchema, nameSchema, passwordSchema } from "./schemas";
import { limitAttempts } from "./portal.context";
import * as html from "./portal.markup";
import { portalAccountPages, renderHome } from "./portal.account.page";
import { portalOrderPages } from "./portal.orders.page";
import { portalAssistantPages } from "./portal.assistant.page";
import { portalSubscriptionPages } from "./portal.subscriptions.page";
import { clearSession, ctxOf, form, problemText, safeNext, setSession, signedIn } from "./portal.session";
import { revokeEndUserSession, type EndUserTokens } from "./sessions.service";
import {
  confirmEmailToken,
  requestPasswordReset,
  requestSignInCode,
  resetPassword,
  signInWithCode,
  signInWithMagicLink,
  signInWithPassword,
  signUpWithPassword,
} from "./signin.service";

/**
 * The hosted sign-in pages of a workspace's portal (mounted at /portal; wrangler.toml routes
 * /portal/* to the Worker): server-rendered forms, no script. The session lives in two HttpOnly
 * SameSite=Lax cookies scoped to /portal/<slug> — the 15-minute access token and the refresh token,
 * rotated when the access token has expired — and every POST must come from this origin.
 * The portal's later pages (orders, files, tickets…) render behind `signedIn()`. `?next=` (a path
 * under /portal/<slug>/ or /community/<slug>/, see safeNext) rides through every sign-in form, the
 * emailed magic link included, and is where a successful sign-in lands (else the portal's home).
 */
export const portalPages = new Hono<AppEnv>();
const CSP =
  "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

portalPages.use("*", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  if (c.req.method === "POST" && crossSite(c)) return c.text("Cross-site form posts are refused.", 403);
  await next();
  c.header("Content-Security-Policy", CSP);
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer"); // tokens ride in email links' query strings
});
/**
 * A form post from another site (CSRF, on top of SameSite=Lax cookies): browsers say so in
 * Sec-Fetch-Site; without it, the Origin must name this host (behind a dev proxy the request URL's
 * origin can differ from the browser's, the Host header does not).
 */
function crossSite(c: Context<AppEnv>): boolean {
  const site = c.req.header("Sec-Fetch-Site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = c.req.header("Origin");
  if (!origin) return false;
  try {
    const host = new URL(origin).host;
    return host !== c.req.header("Host") && host !== new URL(c.req.url).host && host !== new URL(appOrigin(c)).host;
  } catch {
    return true;
  }
}

portalPages.onError((err, c) => {
  if (err instanceof Problem && err.status === 404) return c.html(html.notFoundPage(), 404);
  throw err;
});

const home = (slug: string) => `/portal/${slug}`;

portalPages.get("/:slug", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const user = await signedIn(c, ctx);
  const next = safeNext(brand.slug, c.req.query("next"));
  if (!user) return c.html(html.signInPage(brand, { next }));
  if (next && next !== home(brand.slug)) return c.redirect(next, 303);
  return (await renderHome(c)) ?? c.html(html.signInPage(brand));
});

portalPages.post("/:slug/code", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const f = await form(c);
  const next = safeNext(brand.slug, f.next);
  const email = emailSchema.safeParse(f.email ?? "");
  if (!email.success) return c.html(html.signInPage(brand, { error: brand.t.invalidEmail, email: f.email, next }), 400);
  try {
    await limitAttempts(c, ctx, email.data);
    await requestSignInCode(ctx, email.data, next);
  } catch (e) {
    return c.html(html.signInPage(brand, { error: problemText(e, brand.t.tooMany), email: email.data, next }), 429);
  }
  const andNext = next ? `&next=${encodeURIComponent(next)}` : "";
  return c.redirect(`${home(brand.slug)}/code?email=${encodeURIComponent(email.data)}${andNext}`, 303);
});

portalPages.get("/:slug/code", async (c) => {
  const { brand } = await ctxOf(c);
  return c.html(html.codePage(brand, c.req.query("email") ?? "", undefined, safeNext(brand.slug, c.req.query("next"))));
});

async function finish(
  c: Context<AppEnv>,
  brand: html.Brand,
  run: () => Promise<{ tokens: EndUserTokens }>,
  onError: (msg: string) => string,
  next?: string | null,
) {
  try {
    const { tokens } = await run();
    setSession(c, brand.slug, tokens);
    return c.redirect(next ?? home(brand.slug), 303);
  } catch (e) {
    return c.html(onError(problemText(e, brand.t.tooMany)), 400);
  }
}

portalPages.post("/:slug/code/verify", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const f = await form(c);
  const email = (f.email ?? "").trim().toLowerCase();
  const next = safeNext(brand.slug, f.next);
  return finish(
    c,
    brand,
    async () => {
      await limitAttempts(c, ctx, email);
      if (!/^\d{6}$/.test(f.code ?? "")) throw new Problem(400, "bad-request", "Bad request", brand.t.enterSixDigits);
      return signInWithCode(ctx, email, f.code ?? "");
    },
    (msg) => html.codePage(brand, email, msg, next),
    next,
  );
});

portalPages.post("/:slug/signin", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const f = await form(c);
  const email = (f.email ?? "").trim().toLowerCase();
  const next = safeNext(brand.slug, f.next);
  return finish(
    c,
    brand,
    async () => {
      await limitAttempts(c, ctx, email);
      return signInWithPassword(ctx, email, f.password ?? "");
    },
    (msg) => html.signInPage(brand, { error: msg, email, next }),
    next,
  );
});

portalPages.get("/:slug/signup", async (c) => {
  const { brand } = await ctxOf(c);
  return c.html(html.signUpPage(brand, { next: safeNext(brand.slug, c.req.query("next")) }));
});
portalPages.post("/:slug/signup", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const f = await form(c);
  const email = emailSchema.safeParse(f.email ?? "");
  const name = nameSchema.safeParse(f.name ?? "");
  const password = passwordSchema.safeParse(f.password ?? "");
  const next = safeNext(brand.slug, f.next);
  const again = (error: string) => html.signUpPage(brand, { error, email: f.email, name: f.name, next });
  if (!email.success) return c.html(again(brand.t.invalidEmail), 400);
  if (!name.success) return c.html(again(brand.t.invalidName), 400);
  if (!password.success) return c.html(again(brand.t.shortPassword), 400);
  return finish(
    c,
    brand,
    async () => {
      await limitAttempts(c, ctx, email.data);
      return signUpWithPassword(ctx, { email: email.data, name: name.data, password: password.data });
    },
    again,
    next,
  );
});

portalPages.get("/:slug/magic", async (c) => {
  const { brand } = await ctxOf(c);
  const next = safeNext(brand.slug, c.req.query("next"));
  return c.html(
    html.confirmTokenPage(brand, {
      title: brand.t.signIn,
      action: "magic",
      token: c.req.query("token") ?? "",
      button: brand.t.signIn,
      next,
    }),
  );
});
portalPages.post("/:slug/magic", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const f = await form(c);
  return finish(
    c,
    brand,
    async () => {
      await limitAttempts(c, ctx);
      return signInWithMagicLink(ctx, f.token ?? "");
    },
    (msg) => html.messagePage(brand, brand.t.signInLink, msg, "error"),
    safeNext(brand.slug, f.next),
  );
});

portalPages.get("/:slug/verify", async (c) => {
  const { brand } = await ctxOf(c);
  return c.html(
    html.confirmTokenPage(brand, {
      title: brand.t.confirmEmail,
      action: "verify",
      token: c.req.query("token") ?? "",
      button: brand.t.confirm,
    }),
  );
});
portalPages.post("/:slug/verify", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const f = await form(c);
  try {
    await limitAttempts(c, ctx);
    const user = await confirmEmailToken(ctx, f.token ?? "");
    return c.html(html.messagePage(brand, brand.t.emailConfirmed, brand.t.isConfirmed(user.email)));
  } catch (e) {
    return c.html(html.messagePage(brand, brand.t.confirmEmail, problemText(e, brand.t.tooMany), "error"), 400);
  }
});

portalPages.get("/:slug/forgot", async (c) => c.html(html.forgotPage((await ctxOf(c)).brand)));
portalPages.post("/:slug/forgot", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const email = emailSchema.safeParse((await form(c)).email ?? "");
  if (!email.success) return c.html(html.forgotPage(brand, { error: brand.t.invalidEmail }), 400);
  try {
    await limitAttempts(c, ctx, email.data);
    await requestPasswordReset(ctx, email.data);
  } catch (e) {
    return c.html(html.forgotPage(brand, { error: problemText(e, brand.t.tooMany) }), 429);
  }
  return c.html(html.forgotPage(brand, { sent: true }));
});

portalPages.get("/:slug/reset", async (c) => {
  const { brand } = await ctxOf(c);
  const token = c.req.query("token") ?? "";
  return c.html(
    html.confirmTokenPage(brand, { title: brand.t.choosePassword, action: "reset", token, button: brand.t.savePassword, password: true }),
  );
});
portalPages.post("/:slug/reset", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const f = await form(c);
  const token = f.token ?? "";
  const again = (error: string) =>
    html.confirmTokenPage(brand, {
      title: brand.t.choosePassword,
      action: "reset",
      token,
      button: brand.t.savePassword,
      password: true,
      error,
    });
  const password = passwordSchema.safeParse(f.password ?? "");
  if (!password.success) return c.html(again(brand.t.shortPassword), 400);
  try {
    await limitAttempts(c, ctx);
    await resetPassword(ctx, token, password.data);
  } catch (e) {
    return c.html(again(problemText(e, brand.t.tooMany)), 400);
  }
  return c.html(html.signInPage(brand, { notice: brand.t.passwordChanged }));
});

portalPages.post("/:slug/signout", async (c) => {
  const { ctx, brand } = await ctxOf(c);
  const user = await signedIn(c, ctx);
  if (user) await revokeEndUserSession(ctx.db, ctx.site.tenantId, user.sessionId, user.id, "signout", ctx.actor);
  clearSession(c, brand.slug);
  return c.redirect(home(brand.slug), 303);
});

portalPages.route("/", portalAccountPages);
portalPages.route("/", portalOrderPages);
portalPages.route("/", portalAssistantPages);
portalPages.route("/", portalSubscriptionPages);
