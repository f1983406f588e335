import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { Problem } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { listNotifications, markAllRead, markRead, unreadCount } from "../messaging";
import { addReply, createTicket, getTicket, listTickets, setTicketStatus } from "../tickets";
import type { Brand } from "./portal.markup";
import { portalStrings } from "./portal.i18n";
import { preferenceGrid, savePreferenceGrid } from "./portal.inbox.routes";
import { attachmentsOf, listShares, portalHome, serializeShares, serializeTicket, uploadForEndUser } from "./portal.service";
import { messageBodySchema, subjectSchema } from "./portal.schemas";
import { ticketDetail } from "./portal.tickets.routes";
import { ctxOf, signedIn } from "./portal.session";
import { homeOrders } from "./portal.orders.views";
import * as view from "./portal.views";
import { listEndUserSessions, revokeOwnEndUserSession } from "./sessions.service";
import type { PortalCtx } from "./signin.service";

/**
 * The hosted portal's signed-in pages (/portal/<slug>/…): home, support requests, notifications
 * (with preferences), files, account. They call the same services as the JSON API
 * (`/public/v1/portal/{portal}/…`), so the end user sees exactly their own rows. Signed out → the
 * sign-in page. Mounted on portalPages (its CSP, rate limit and cross-site refusal apply).
 */
export const portalAccountPages = new Hono<AppEnv>();

export interface Session {
  ctx: PortalCtx;
  user: EndUserPrincipal;
  v: view.View;
  origin: string;
}

export async function session(c: Context<AppEnv>): Promise<Session | null> {
  const { ctx, brand } = await ctxOf(c);
  const user = await signedIn(c, ctx);
  if (!user) return null;
  return { ctx, user, v: await viewOf(ctx, brand, user), origin: appOrigin(c) };
}

/** Language (?lang= is remembered), brand and the unread count every page's navigation shows. */
async function viewOf(ctx: PortalCtx, b: Brand, user: EndUserPrincipal): Promise<view.View> {
  const lang = b.lang; // chosen by ctxOf (portal.session.ts)
  return { b, lang, t: portalStrings(lang), unread: await unreadCount(ctx.db, ctx.site.tenantId, user.id) };
}

export const signIn = (c: Context<AppEnv>) => c.redirect(`/portal/${c.req.param("slug")}`, 303);
const here = (s: Session, path = "") => `/portal/${s.ctx.site.slug}${path}`;
const problemText = (e: unknown) => {
  if (e instanceof Problem) return e.status === 402 ? "The shop's storage is full; try a smaller file later." : (e.detail ?? e.title);
  throw e;
};

/** The home page (GET /portal/<slug> when signed in; portal.page.ts renders sign-in otherwise). */
export async function renderHome(c: Context<AppEnv>) {
  const s = await session(c);
  if (!s) return null;
  const home = await portalHome(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, s.origin);
  return c.html(
    view.homeView(s.v, s.user.name, {
      active: home.tickets.active,
      tickets: home.tickets.recent,
      notes: home.notifications.recent,
      files: home.files.recent,
      orders: homeOrders(s.v, home.orders.recent),
    }),
  );
}

portalAccountPages.get("/:slug/account", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const sessions = (await listEndUserSessions(s.ctx.db, s.ctx.site.tenantId, s.user.id)).map((r) => ({
    id: r.id,
    method: r.method,
    userAgent: r.userAgent,
    lastUsedAt: r.lastUsedAt,
    current: r.id === s.user.sessionId,
  }));
  return c.html(view.accountView(s.v, { name: s.user.name, email: s.user.email, verified: s.user.emailVerified }, sessions));
});

portalAccountPages.post("/:slug/account/sessions/:id/revoke", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  await revokeOwnEndUserSession(s.ctx.db, s.ctx.site.tenantId, s.user.id, c.req.param("id"), s.ctx.actor);
  return c.redirect(here(s, "/account"), 303);
});

// ---- Support requests ---------------------------------------------------------------------------

portalAccountPages.get("/:slug/tickets", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const page = await listTickets(s.ctx.db, s.ctx.site.tenantId, { endUserId: s.user.id, limit: 25, cursor: c.req.query("cursor") });
  return c.html(view.ticketsView(s.v, page.data.map(serializeTicket), page.next_cursor));
});

portalAccountPages.get("/:slug/tickets/new", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  return c.html(view.newTicketView(s.v));
});

/** A multipart form's text fields and its optional file, stored through Files (checks + quota) as the end user's upload. */
async function formWithFile(c: Context<AppEnv>, s: Session) {
  const body = await c.req.parseBody();
  const text = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
  const file = body.file;
  const ids: string[] = [];
  if (file instanceof File && file.size > 0) {
    const meta = await uploadForEndUser(c.env, s.ctx.db, s.ctx.site.tenantId, s.user.id, {
      name: file.name || "file",
      bytes: new Uint8Array(await file.arrayBuffer()),
      origin: s.origin,
    });
    ids.push(meta.id);
  }
  return { text, ids };
}

portalAccountPages.post("/:slug/tickets", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  let subject = "";
  let message = "";
  try {
    const f = await formWithFile(c, s);
    subject = f.text("subject");
    message = f.text("message");
    const sub = subjectSchema.safeParse(subject);
    const msg = messageBodySchema.safeParse(message);
    if (!sub.success || !msg.success)
      throw new Problem(400, "bad-request", "Bad request", !sub.success ? "Enter a subject (one line)." : "Write a message.");
    const tenantId = s.ctx.site.tenantId;
    const attachments = await attachmentsOf(c.env, s.ctx.db, tenantId, s.user.id, f.ids);
    const t = await createTicket(s.ctx.db, tenantId, {
      endUserId: s.user.id,
      authorName: s.user.name || s.user.email,
      subject: sub.data,
      body: msg.data,
      attachments,
    });
    return c.redirect(here(s, `/tickets/${t.id}`), 303);
  } catch (e) {
    return c.html(view.newTicketView(s.v, { error: problemText(e), subject, message }), 400);
  }
});

portalAccountPages.get("/:slug/tickets/:id", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const detail = await ticketDetail(c, s.ctx.site.tenantId, c.req.param("id"), s.user.id); // another's → 404 page
  return c.html(view.ticketView(s.v, detail));
});

portalAccountPages.post("/:slug/tickets/:id/reply", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const tenantId = s.ctx.site.tenantId;
  const t = await getTicket(s.ctx.db, tenantId, c.req.param("id"), s.user.id);
  try {
    const f = await formWithFile(c, s);
    const msg = messageBodySchema.safeParse(f.text("message"));
    if (!msg.success) throw new Problem(400, "bad-request", "Bad request", "Write a message.");
    const attachments = await attachmentsOf(c.env, s.ctx.db, tenantId, s.user.id, f.ids);
    await addReply(s.ctx.db, tenantId, t, {
      author: "enduser",
      authorId: s.user.id,
      authorName: s.user.name || s.user.email,
      body: msg.data,
      attachments,
    });
    return c.redirect(here(s, `/tickets/${t.id}`), 303);
  } catch (e) {
    return c.html(view.ticketView(s.v, await ticketDetail(c, tenantId, t.id, s.user.id), { error: problemText(e) }), 400);
  }
});

portalAccountPages.post("/:slug/tickets/:id/close", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const t = await getTicket(s.ctx.db, s.ctx.site.tenantId, c.req.param("id"), s.user.id);
  await setTicketStatus(s.ctx.db, s.ctx.site.tenantId, t, "closed");
  return c.redirect(here(s, `/tickets/${t.id}`), 303);
});

// ---- Notifications ------------------------------------------------------------------------------

portalAccountPages.get("/:slug/notifications", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const page = await listNotifications(s.ctx.db, s.ctx.site.tenantId, s.user.id, { limit: 25, cursor: c.req.query("cursor") });
  return c.html(view.notificationsView(s.v, page.data, page.next_cursor));
});

portalAccountPages.post("/:slug/notifications/read-all", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  await markAllRead(s.ctx.db, s.ctx.site.tenantId, s.user.id);
  return c.redirect(here(s, "/notifications"), 303);
});

portalAccountPages.post("/:slug/notifications/:id/read", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  await markRead(s.ctx.db, s.ctx.site.tenantId, s.user.id, c.req.param("id"));
  return c.redirect(here(s, "/notifications"), 303);
});

portalAccountPages.get("/:slug/notifications/preferences", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  return c.html(
    view.preferencesView(s.v, await preferenceGrid(s.ctx.db, { tenantId: s.ctx.site.tenantId, id: s.user.id, email: s.user.email })),
  );
});

portalAccountPages.post("/:slug/notifications/preferences", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const body = await c.req.parseBody({ all: true });
  const on = ([] as unknown[]).concat(body.on ?? []).filter((x): x is string => typeof x === "string");
  const grid = await savePreferenceGrid(s.ctx.db, { tenantId: s.ctx.site.tenantId, id: s.user.id, email: s.user.email }, new Set(on));
  return c.html(view.preferencesView(s.v, grid, s.v.t.saved));
});

// ---- Files ----------------------------------------------------------------------------------------

async function filesPage(c: Context<AppEnv>, s: Session, o: { error?: string; msg?: string } = {}, status: 200 | 400 = 200) {
  const page = await listShares(s.ctx.db, s.ctx.site.tenantId, s.user.id, { limit: 25, cursor: c.req.query("cursor") });
  const items = await serializeShares(c.env, page.data, s.origin);
  return c.html(view.filesView(s.v, items, page.next_cursor, o), status);
}

portalAccountPages.get("/:slug/files", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  return filesPage(c, s);
});

portalAccountPages.post("/:slug/files", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  try {
    const f = await formWithFile(c, s);
    if (!f.ids.length) throw new Problem(400, "bad-request", "Bad request", "Choose a file.");
    return c.redirect(here(s, "/files"), 303);
  } catch (e) {
    return filesPage(c, s, { error: problemText(e) }, 400);
  }
});
