import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ONBOARDING_FOCUS } from "../schema/onboarding";
import { memberships } from "../schema/tenancy";
import { getDb } from "../workers/platform/db";
import { ALL_PERMISSIONS } from "../workers/platform/rbac";
import { callJson, freshIp, signUp, uniqueEmail, type TestUser } from "./helpers";
import { fillPath, routeTable, type RouteInfo } from "./route-table";
import { aChat, CHAT_CASES } from "../workers/modules/chat/test/chat-isolation-cases";
import { aBilling, BILLING_CASES } from "../workers/modules/billing/test/billing-isolation-cases";
import { aMessagingData, MESSAGING_CASES } from "../workers/modules/messaging/test/messaging-isolation-cases";
import { aKnowledge, KNOWLEDGE_CASES } from "../workers/modules/knowledge/test/knowledge-isolation-cases";
import { aReleases, RELEASES_CASES } from "../workers/modules/releases/test/releases-isolation-cases";
import { aSurveys, SURVEYS_CASES } from "../workers/modules/surveys/test/surveys-isolation-cases";
import { aAnalytics, ANALYTICS_CASES } from "../workers/modules/analytics/test/analytics-isolation-cases";
import { aFiles, FILES_CASES } from "../workers/modules/files/test/files-isolation-cases";
import { aCommerce, COMMERCE_CASES } from "../workers/modules/commerce/test/commerce-isolation-cases";
import { aEndUsers, ENDUSERS_CASES, snapshotAEndUsers } from "../workers/modules/endusers/test/endusers-isolation-cases";
import { aForum, FORUM_CASES } from "../workers/modules/forum/test/forum-isolation-cases";
import { FORUM_ACTIVITY_CASES } from "../workers/modules/forum/test/forum-activity-isolation-cases";
import { FORUM_MODERATION_CASES } from "../workers/modules/forum/test/forum-moderation-isolation-cases";
import { SAFETY_CASES } from "../workers/modules/ai/test/safety-isolation-cases";
import { SCORING_CASES } from "../workers/modules/sales/test/scoring-isolation-cases";
import { CRM_CASES } from "../workers/modules/sales/test/crm-isolation-cases";
import { OUTREACH_CASES } from "../workers/modules/outreach/test/outreach-isolation-cases";
import { WRITER_CASES } from "../workers/modules/outreach/test/writer-isolation-cases";
import { CRMSYNC_CASES } from "../workers/modules/crmsync/test/crmsync-isolation-cases";
import { SALESBOARD_CASES } from "../workers/modules/salesboard/test/salesboard-isolation-cases";
import { VOICE_CASES } from "../workers/modules/voice/test/voice-isolation-cases";
import { FUSION_CASES } from "../workers/modules/fusion/test/fusion-isolation-cases";
import { WORKFLOWS_CASES } from "../workers/modules/workflows/test/workflows-isolation-cases";
import { INSIGHTS_CASES } from "../workers/modules/insights/test/insights-isolation-cases";
import { ASSISTANT_CASES } from "../workers/modules/assistant/test/assistant-isolation-cases";
import { DASHBOARDS_CASES } from "../workers/modules/analytics/test/dashboards-isolation-cases";
import { WIZARDS_CASES } from "../workers/modules/wizards/test/wizards-isolation-cases";

/**
 * Tenant isolation, driven by the route table: tenant A owns data; B (another workspace's owner)
 * tries every workspace route against it. Every tenant-scoped route must have a case below —
 * a route added later without one fails "has an isolation case for every workspace route".
 */
interface World {
  a: TestUser;
  b: TestUser;
  aMember: TestUser; // a member of A only
  both: TestUser; // a member of A and of B
  aInvite: { id: string; email: string };
  aKey: { id: string };
  aPk: { id: string };
  bKeySecret: string;
}
type Case = (w: World) => Promise<void>;
const FOCUS = ONBOARDING_FOCUS[0];

const asB = (w: World, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const expectNoneOf = (payload: unknown, ids: string[]) => {
  const text = JSON.stringify(payload);
  for (const id of ids) expect(text, `leaked ${id}`).not.toContain(id);
};
const aIds = (w: World) => [w.a.tenantId, w.a.userId, w.aMember.userId, w.aMember.email, w.aInvite.id, w.aKey.id, w.aPk.id];

const CASES: Record<string, Case> = {
  "GET /api/v1/tenant": async (w) => {
    const r = await asB(w, "GET", "/api/v1/tenant");
    expect(r.body.id).toBe(w.b.tenantId);
  },
  "PATCH /api/v1/tenant": async (w) => {
    expect((await asB(w, "PATCH", "/api/v1/tenant", { name: "B renamed" })).status).toBe(200);
  },
  "GET /api/v1/members": async (w) => {
    const r = await asB(w, "GET", "/api/v1/members?limit=100");
    expect(r.status).toBe(200);
    expectNoneOf(r.body, [w.a.userId, w.aMember.userId, w.aMember.email]);
  },
  "PATCH /api/v1/members/{userId}": async (w) => {
    expect((await asB(w, "PATCH", `/api/v1/members/${w.aMember.userId}`, { role: "viewer" })).status).toBe(404);
  },
  "DELETE /api/v1/members/{userId}": async (w) => {
    expect((await asB(w, "DELETE", `/api/v1/members/${w.aMember.userId}`)).status).toBe(404);
  },
  "POST /api/v1/members/leave": async (w) => {
    // `both` leaves B; the snapshot proves they are still in A.
    const r = await callJson("/api/v1/members/leave", { method: "POST", token: w.both.accessToken, tenant: w.b.tenantId });
    expect(r.status).toBe(204);
  },
  "POST /api/v1/tenant/transfer-ownership": async (w) => {
    expect((await asB(w, "POST", "/api/v1/tenant/transfer-ownership", { user_id: w.aMember.userId })).status).toBe(404);
  },
  "POST /api/v1/invitations": async (w) => {
    expect((await asB(w, "POST", "/api/v1/invitations", { email: w.aInvite.email, role: "member" })).status).toBe(201);
  },
  "GET /api/v1/invitations": async (w) => {
    const r = await asB(w, "GET", "/api/v1/invitations?limit=100");
    expect(r.status).toBe(200);
    expectNoneOf(r.body, [w.aInvite.id]);
  },
  "POST /api/v1/invitations/{id}/resend": async (w) => {
    expect((await asB(w, "POST", `/api/v1/invitations/${w.aInvite.id}/resend`)).status).toBe(404);
  },
  "DELETE /api/v1/invitations/{id}": async (w) => {
    expect((await asB(w, "DELETE", `/api/v1/invitations/${w.aInvite.id}`)).status).toBe(404);
  },
  "GET /api/v1/api-keys": async (w) => {
    const r = await asB(w, "GET", "/api/v1/api-keys?limit=100");
    expect(r.status).toBe(200);
    expectNoneOf(r.body, [w.aKey.id]);
  },
  "POST /api/v1/api-keys": async (w) => {
    const r = await asB(w, "POST", "/api/v1/api-keys", { name: "b key", scopes: ["members:read"] });
    expect(r.status).toBe(201);
    // B's new key only ever sees B.
    const list = await callJson("/api/v1/members", { token: r.body.secret });
    expectNoneOf(list.body, [w.a.userId, w.aMember.userId]);
  },
  "DELETE /api/v1/api-keys/{id}": async (w) => {
    expect((await asB(w, "DELETE", `/api/v1/api-keys/${w.aKey.id}`)).status).toBe(404);
  },
  "GET /api/v1/publishable-keys": async (w) => {
    const r = await asB(w, "GET", "/api/v1/publishable-keys?limit=100");
    expect(r.status).toBe(200);
    expectNoneOf(r.body, [w.aPk.id]);
  },
  "POST /api/v1/publishable-keys": async (w) => {
    expect((await asB(w, "POST", "/api/v1/publishable-keys", { name: "b site", allowed_origins: ["https://b.example"] })).status).toBe(201);
  },
  "PATCH /api/v1/publishable-keys/{id}": async (w) => {
    expect((await asB(w, "PATCH", `/api/v1/publishable-keys/${w.aPk.id}`, { allowed_origins: ["https://evil.example"] })).status).toBe(404);
  },
  "DELETE /api/v1/publishable-keys/{id}": async (w) => {
    expect((await asB(w, "DELETE", `/api/v1/publishable-keys/${w.aPk.id}`)).status).toBe(404);
  },
  "GET /api/v1/onboarding": async (w) => {
    const r = await asB(w, "GET", "/api/v1/onboarding");
    expect(r.status).toBe(200);
    expect(r.body.focus).toBeNull(); // A chose a focus in setup; B must not see it
  },
  "PATCH /api/v1/onboarding": async (w) => {
    expect((await asB(w, "PATCH", "/api/v1/onboarding", { step: "invite", completed: true })).status).toBe(200);
  },
  "GET /api/v1/audit-logs": async (w) => {
    const r = await asB(w, "GET", "/api/v1/audit-logs?limit=100");
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeGreaterThan(0);
    expectNoneOf(r.body, aIds(w));
  },
  ...CHAT_CASES,
  ...BILLING_CASES,
  ...KNOWLEDGE_CASES,
  ...RELEASES_CASES,
  ...MESSAGING_CASES,
  ...SURVEYS_CASES,
  ...ANALYTICS_CASES,
  ...FILES_CASES,
  ...COMMERCE_CASES,
  ...ENDUSERS_CASES,
  ...FORUM_CASES,
  ...FORUM_ACTIVITY_CASES,
  ...FORUM_MODERATION_CASES,
  ...SAFETY_CASES,
  ...SCORING_CASES,
  ...CRM_CASES,
  ...OUTREACH_CASES,
  ...WRITER_CASES,
  ...CRMSYNC_CASES,
  ...SALESBOARD_CASES,
  ...VOICE_CASES,
  ...FUSION_CASES,
  ...WORKFLOWS_CASES,
  ...INSIGHTS_CASES,
  ...ASSISTANT_CASES,
  ...DASHBOARDS_CASES,
  ...WIZARDS_CASES,
};

/** Everything A can see about its workspace; must be identical after B's attempts. */
async function snapshotA(w: World) {
  const get = async (path: string) => (await callJson(path, { token: w.a.accessToken, tenant: w.a.tenantId })).body;
  return {
    tenant: await get("/api/v1/tenant"),
    members: await get("/api/v1/members?limit=100"),
    invitations: await get("/api/v1/invitations?limit=100"),
    apiKeys: await get("/api/v1/api-keys?limit=100"),
    publishableKeys: await get("/api/v1/publishable-keys?limit=100"),
    onboarding: await get("/api/v1/onboarding"),
    endUsers: await snapshotAEndUsers(w),
  };
}

describe("tenant isolation", () => {
  let w: World;
  let tenantRoutes: RouteInfo[];

  beforeAll(async () => {
    const a = await signUp({ workspace: "Tenant A" });
    const b = await signUp({ workspace: "Tenant B" });
    const aMember = await signUp({ workspace: "A member's own" });
    const both = await signUp({ workspace: "Both's own" });
    const db = getDb(env.DB);
    const now = Date.now();
    await db.insert(memberships).values([
      { tenantId: a.tenantId, userId: aMember.userId, role: "member", createdAt: now, updatedAt: now },
      { tenantId: a.tenantId, userId: both.userId, role: "member", createdAt: now, updatedAt: now },
      { tenantId: b.tenantId, userId: both.userId, role: "member", createdAt: now, updatedAt: now },
    ]);
    const asA = (path: string, body: unknown) => callJson(path, { token: a.accessToken, tenant: a.tenantId, body });
    // A has 3 members (Free's seats) and invites a 4th: it subscribes to Starter first (the billing
    // fixture, through the payment simulator), as a real workspace would.
    await aBilling({ a, b });
    const inviteEmail = uniqueEmail("invitee");
    const invite = await asA("/api/v1/invitations", { email: inviteEmail, role: "member" });
    const key = await asA("/api/v1/api-keys", { name: "a key", scopes: ["members:read"] });
    const pk = await asA("/api/v1/publishable-keys", { name: "a site", allowed_origins: ["https://a.example"] });
    const onboarding = await callJson("/api/v1/onboarding", {
      method: "PATCH",
      token: a.accessToken,
      tenant: a.tenantId,
      body: { focus: FOCUS, completed_steps: ["workspace"] },
    });
    expect(onboarding.status).toBe(200);
    const bKey = await callJson("/api/v1/api-keys", {
      token: b.accessToken,
      tenant: b.tenantId,
      body: { name: "b all", scopes: ALL_PERMISSIONS },
    });
    expect([invite.status, key.status, pk.status, bKey.status]).toEqual([201, 201, 201, 201]);
    w = {
      a,
      b,
      aMember,
      both,
      aInvite: { id: invite.body.id, email: inviteEmail },
      aKey: { id: key.body.id },
      aPk: { id: pk.body.id },
      bKeySecret: bKey.body.secret,
    };
    tenantRoutes = (await routeTable()).filter((r) => r.access === "tenant");
    await aChat(w);
    await aBilling(w);
    await aKnowledge(w);
    await aReleases(w);
    await aMessagingData(w);
    await aSurveys(w);
    await aAnalytics(w);
    await aFiles(w);
    await aCommerce(w);
    await aEndUsers(w);
    await aForum(w);
  });

  it("has an isolation case for every workspace route", () => {
    const missing = tenantRoutes.map((r) => r.key).filter((k) => !CASES[k]);
    expect(missing, "add a case to CASES in test/tenant-isolation.test.ts").toEqual([]);
  });

  it("answers 404 when B's user or B's API key names workspace A", async () => {
    const leaks: string[] = [];
    for (const r of tenantRoutes) {
      // A fresh client IP per route: ~1,000 requests from one address would spend its RL_IP budget
      // (600 / 10 s) and answer 429 instead of showing what the route does.
      const ip = freshIp();
      const asUser = await callJson(fillPath(r.path), { method: r.method, token: w.b.accessToken, tenant: w.a.tenantId, ip });
      const asKey = await callJson(fillPath(r.path), { method: r.method, token: w.bKeySecret, tenant: w.a.tenantId, ip });
      if (asUser.status !== 404) leaks.push(`${r.key} as B's user: ${asUser.status}`);
      if (asKey.status !== 404) leaks.push(`${r.key} as B's key: ${asKey.status}`);
    }
    expect(leaks).toEqual([]);
  }, 300_000); // ~1,000 routes × 2 requests: a minute on a loaded 2-CPU runner

  it("never lets B read or change A's data through B's own workspace", async () => {
    const before = await snapshotA(w);
    for (const r of tenantRoutes) {
      const run = CASES[r.key];
      if (run) await run(w);
    }
    const after = await snapshotA(w);
    expect(after).toEqual(before);
    expect(before.members.data.map((m: { user_id: string }) => m.user_id)).toContain(w.both.userId);
  }, 300_000); // every module's cases in sequence (some modules set up their own workspaces)
});
