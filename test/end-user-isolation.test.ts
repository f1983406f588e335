import { beforeAll, describe, expect, it } from "vitest";
import { callJson, freshIp, uniqueEmail, type TestUser } from "./helpers";
import { fillPath, routeTable, type RouteInfo } from "./route-table";
import {
  as,
  eu,
  euSignUp,
  handoverJwt,
  handoverSecret,
  PASSWORD,
  portal,
  type EndUserSession,
  type Portal,
} from "../workers/modules/endusers/test/endusers-helpers";
import { openTicket, staffReply, upload, waitForNotification } from "../workers/modules/endusers/test/portal-helpers";
import { insertOrder } from "../workers/modules/commerce/test/order-rows";
import { FORUM_ENDUSER_CASES } from "../workers/modules/forum/test/forum-isolation-cases";
import { insertSubscription } from "../workers/modules/commerce/test/subscriptions-isolation-cases";
import { FORUM_MODERATION_ENDUSER_CASES } from "../workers/modules/forum/test/forum-moderation-isolation-cases";

/**
 * End-user isolation, driven by the route table (like tenant-isolation.test.ts): every route marked
 * `x-weft-access: enduser` is tried without a token, with another workspace's end-user token, with a
 * staff token and as a blocked end user; end user B tries each against A's data; and an end-user
 * token is tried on every staff route. A route added later without a case fails "has a case".
 */
interface World {
  p: Portal; // A's and B's workspace
  other: Portal; // another workspace with its own end user
  a: EndUserSession;
  outsider: EndUserSession;
  blocked: EndUserSession;
  aTicket: string; // A's ticket (with A's upload attached and a staff reply)
  aFile: string; // A's upload
  aNotification: string; // A's in-app notification of that reply
  aOrder: string; // A's paid order
  aSub: string; // A's running subscription
  aAction: string; // the assistant's proposal to resend A's receipt (unconfirmed)
  aSession: string; // A's sign-in session
}
type Case = (w: World, b: EndUserSession) => Promise<void>;

const CASES: Record<string, Case> = {
  "GET /public/v1/portal/{portal}/me": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/me");
    expect(r.body.id).toBe(b.id);
  },
  "PATCH /public/v1/portal/{portal}/me": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("PATCH", "/me", { name: "B renamed" })).body.id).toBe(b.id);
  },
  "DELETE /public/v1/portal/{portal}/me": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("DELETE", "/me")).status).toBe(204);
  },
  "POST /public/v1/portal/{portal}/me/password": async (w, b) => {
    expect(
      (await eu(w.p, b.accessToken)("POST", "/me/password", { current_password: PASSWORD, new_password: "b's new password" })).status,
    ).toBe(204);
  },
  "POST /public/v1/portal/{portal}/me/email": async (w, b) => {
    // A's address is taken: B cannot move onto it.
    expect((await eu(w.p, b.accessToken)("POST", "/me/email", { email: w.a.email })).status).toBe(409);
  },
  "POST /public/v1/portal/{portal}/auth/signout": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", "/auth/signout")).status).toBe(204);
  },
};

/** Nothing of A's in B's answer: A's ticket, file, notification ids and A's email. */
const noneOfA = (w: World, payload: unknown) => {
  const text = JSON.stringify(payload);
  for (const s of [w.aTicket, w.aFile, w.aNotification, w.aOrder, w.aSub, w.aAction, w.a.email, A_SUBJECT])
    expect(text, `leaked ${s}`).not.toContain(s);
};
const A_SUBJECT = "Aardvark parcel";
const PORTAL_CASES: Record<string, Case> = {
  "GET /public/v1/portal/{portal}/home": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/home");
    expect(r.status).toBe(200);
    noneOfA(w, r.body);
  },
  "GET /public/v1/portal/{portal}/tickets": async (w, b) => {
    await openTicket(w.p, b, "B's own");
    const r = await eu(w.p, b.accessToken)("GET", "/tickets");
    expect(r.body.data).toHaveLength(1);
    noneOfA(w, r.body);
  },
  "POST /public/v1/portal/{portal}/tickets": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("POST", "/tickets", { subject: "x", message: "A's file", attachments: [w.aFile] });
    expect(r.status).toBe(404);
  },
  "GET /public/v1/portal/{portal}/tickets/{id}": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("GET", `/tickets/${w.aTicket}`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/tickets/{id}/replies": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/tickets/${w.aTicket}/replies`, { message: "hijack" })).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/tickets/{id}/close": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/tickets/${w.aTicket}/close`)).status).toBe(404);
  },
  "GET /public/v1/portal/{portal}/notifications": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/notifications");
    expect(r.body.data).toEqual([]);
    noneOfA(w, r.body);
  },
  "POST /public/v1/portal/{portal}/notifications/{id}/read": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/notifications/${w.aNotification}/read`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/notifications/read-all": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", "/notifications/read-all")).body.marked).toBe(0);
  },
  "GET /public/v1/portal/{portal}/notification-preferences": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("GET", "/notification-preferences")).status).toBe(200);
  },
  "PUT /public/v1/portal/{portal}/notification-preferences": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("PUT", "/notification-preferences", { on: [] })).status).toBe(200); // B's own, A's stay
  },
  "GET /public/v1/portal/{portal}/files": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/files");
    expect(r.body.data).toEqual([]);
    noneOfA(w, r.body);
  },
  "GET /public/v1/portal/{portal}/orders": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/orders");
    expect(r.body.data).toEqual([]);
    noneOfA(w, r.body);
  },
  "GET /public/v1/portal/{portal}/subscriptions": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/subscriptions");
    expect(r.body.data).toEqual([]);
    noneOfA(w, r.body);
    expect((await eu(w.p, w.a.accessToken)("GET", "/subscriptions")).body.data.map((s: { id: string }) => s.id)).toEqual([w.aSub]);
  },
  "GET /public/v1/portal/{portal}/subscriptions/{id}": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("GET", `/subscriptions/${w.aSub}`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/subscriptions/{id}/cancel": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/subscriptions/${w.aSub}/cancel`)).status).toBe(404);
    expect((await eu(w.p, w.a.accessToken)("GET", `/subscriptions/${w.aSub}`)).body).toMatchObject({
      status: "active",
      cancel_at_period_end: false,
    });
  },
  "POST /public/v1/portal/{portal}/subscriptions/{id}/resume": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/subscriptions/${w.aSub}/resume`)).status).toBe(404);
  },
  "GET /public/v1/portal/{portal}/orders/{id}": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("GET", `/orders/${w.aOrder}`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/orders/{id}/reorder": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/orders/${w.aOrder}/reorder`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/orders/{id}/receipt": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/orders/${w.aOrder}/receipt`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/orders/{id}/refund-request": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/orders/${w.aOrder}/refund-request`, { message: "mine now" })).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/assistant": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("POST", "/assistant", { message: "Please resend my receipt" });
    expect(r.status).toBe(200);
    expect(r.body.action).toBeNull(); // B has no orders: nothing of A's is offered
    noneOfA(w, r.body);
  },
  "GET /public/v1/portal/{portal}/assistant/actions": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/assistant/actions");
    expect(r.body.data).toEqual([]);
  },
  "POST /public/v1/portal/{portal}/assistant/actions/{id}/confirm": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/assistant/actions/${w.aAction}/confirm`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/assistant/actions/{id}/cancel": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("POST", `/assistant/actions/${w.aAction}/cancel`)).status).toBe(404);
  },
  "GET /public/v1/portal/{portal}/me/sessions": async (w, b) => {
    const r = await eu(w.p, b.accessToken)("GET", "/me/sessions");
    expect(r.body.data.map((x: { current: boolean }) => x.current)).toEqual([true]);
    expect(JSON.stringify(r.body)).not.toContain(w.aSession);
  },
  "DELETE /public/v1/portal/{portal}/me/sessions/{id}": async (w, b) => {
    expect((await eu(w.p, b.accessToken)("DELETE", `/me/sessions/${w.aSession}`)).status).toBe(404);
  },
  "POST /public/v1/portal/{portal}/files": async (w, b) => {
    const r = await upload(w.p, b.accessToken, "b.txt", "B's bytes");
    expect(r.status).toBe(201);
    expect(r.body.file_id).not.toBe(w.aFile);
  },
};
Object.assign(CASES, PORTAL_CASES);
Object.assign(CASES, FORUM_ENDUSER_CASES);
Object.assign(CASES, FORUM_MODERATION_ENDUSER_CASES);

/** A's account and everything the portal shows A: B's attempts must leave it exactly as it was. */
const snapshotA = async (w: World) => {
  const get = async (path: string) => (await eu(w.p, w.a.accessToken)("GET", path)).body;
  const ticket = await get(`/tickets/${w.aTicket}`);
  const notes = await get("/notifications");
  return {
    me: await get("/me"),
    ticket: { ...ticket, messages: ticket.messages.map((m: { attachments: unknown[] }) => ({ ...m, attachments: m.attachments.length })) },
    notifications: notes.data.map((n: { id: string; read_at: string | null }) => [n.id, n.read_at]),
    prefs: await get("/notification-preferences"),
    files: (await get("/files")).data.map((f: { file_id: string }) => f.file_id),
    orders: (await get("/orders")).data,
    assistant: (await get("/assistant/actions")).data,
    sessions: (await get("/me/sessions")).data.map((x: { id: string }) => x.id),
    tickets: (await get("/tickets")).data.map((t: { id: string; status: string }) => [t.id, t.status]),
  };
};

describe("end-user isolation", () => {
  let w: World;
  let endUserRoutes: RouteInfo[];
  let staffRoutes: RouteInfo[];

  beforeAll(async () => {
    const p = await portal();
    const other = await portal();
    const [a, outsider, blocked] = await Promise.all([euSignUp(p), euSignUp(other), euSignUp(p)]);
    expect((await as(p.owner)("POST", `/api/v1/end-users/${blocked.id}/block`, { reason: "test" })).status).toBe(200);
    const file = await upload(p, a.accessToken, "a.txt", "A's private bytes");
    const ticket = await openTicket(p, a, A_SUBJECT, [file.body.file_id]);
    await staffReply(p, ticket.id);
    const note = await waitForNotification(p, a, "#1");
    expect((await eu(p, a.accessToken)("PUT", "/notification-preferences", { on: ["product.email"] })).status).toBe(200);
    const order = await insertOrder(p.owner.tenantId, { email: a.email, total: 2500, endUserId: a.id });
    const proposal = await eu(p, a.accessToken)("POST", "/assistant", { message: `Resend the receipt of order #${order.number}` });
    expect(proposal.body.action?.status).toBe("proposed");
    w = {
      p,
      other,
      a,
      outsider,
      blocked,
      aTicket: ticket.id,
      aFile: file.body.file_id,
      aNotification: note.id,
      aOrder: order.id,
      aSub: (await insertSubscription(p.owner.tenantId, { email: a.email, endUserId: a.id })).id,
      aAction: proposal.body.action.id,
      aSession: (await eu(p, a.accessToken)("GET", "/me/sessions")).body.data[0].id,
    };
    const routes = await routeTable();
    endUserRoutes = routes.filter((r) => r.access === "enduser");
    staffRoutes = routes.filter((r) => r.access === "tenant" || r.access === "user");
  });

  it("has a case for every end-user route", () => {
    expect(endUserRoutes.length).toBeGreaterThan(0);
    const missing = endUserRoutes.map((r) => r.key).filter((k) => !CASES[k]);
    expect(missing, "add a case to CASES in test/end-user-isolation.test.ts").toEqual([]);
  });

  it("refuses every end-user route without a token, with another workspace's or a staff token (401), and a blocked end user (403)", async () => {
    const wrong: string[] = [];
    const path = (r: RouteInfo) => fillPath(r.path, { portal: w.p.slug });
    const staff: TestUser = w.p.owner;
    for (const r of endUserRoutes) {
      const tries: [string, string | undefined, number][] = [
        ["no token", undefined, 401],
        ["another workspace's end user", w.outsider.accessToken, 401],
        ["the workspace owner's staff token", staff.accessToken, 401],
        ["a blocked end user", w.blocked.accessToken, 403],
      ];
      for (const [who, token, expected] of tries) {
        const res = await callJson(path(r), { method: r.method, token, ip: freshIp(), body: r.method === "GET" ? undefined : {} });
        if (res.status !== expected) wrong.push(`${r.key} with ${who}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("never lets end user B read or change end user A's data", async () => {
    const before = await snapshotA(w);
    for (const r of endUserRoutes) {
      const run = CASES[r.key];
      if (run) await run(w, await euSignUp(w.p)); // a fresh B per route (sign-out and delete end B)
    }
    expect(await snapshotA(w)).toEqual(before);
  });

  it("refuses an end-user token on every staff route (401), even naming its own workspace", async () => {
    const leaks: string[] = [];
    for (const r of staffRoutes) {
      const res = await callJson(fillPath(r.path), { method: r.method, token: w.a.accessToken, tenant: w.p.owner.tenantId, ip: freshIp() });
      if (res.status !== 401) leaks.push(`${r.key}: ${res.status}`);
    }
    expect(leaks).toEqual([]);
    const r = await callJson("/api/v1/members", { token: w.a.accessToken, tenant: w.p.owner.tenantId });
    expect(r.body.detail).toMatch(/End-user/);
  });

  it("refuses a blocked end user everywhere: sign-in, codes, refresh, hand-over", async () => {
    const { p, blocked } = w;
    expect((await eu(p)("POST", "/auth/signin", { email: blocked.email, password: PASSWORD })).status).toBe(403);
    expect((await eu(p)("POST", "/auth/refresh", { refresh_token: blocked.refreshToken })).status).toBe(401); // sessions ended at block
    expect((await eu(p)("POST", "/auth/code", { email: blocked.email })).status).toBe(202); // no email is sent
    const secret = await handoverSecret(p);
    const r = await eu(p)("POST", "/auth/handover", { jwt: await handoverJwt(secret, { sub: "ext-blocked", email: blocked.email }) });
    expect(r.status).toBe(403);
    // Unblocked, they sign in again.
    expect((await as(p.owner)("POST", `/api/v1/end-users/${blocked.id}/unblock`)).status).toBe(200);
    expect((await eu(p)("POST", "/auth/signin", { email: blocked.email, password: PASSWORD })).status).toBe(200);
    expect((await eu(p)("POST", "/auth/signin", { email: uniqueEmail("x"), password: PASSWORD })).status).toBe(401);
  });
});
