import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { forumAiReviews, forumFlags, forumModActions } from "../../../../schema/forum-moderation";
import { forumSettings } from "../../../../schema/forum";
import { getDb } from "../../../../workers/platform/db";
import { newId } from "../../../../workers/platform/ids";
import { callJson, type TestUser } from "../../../../test/helpers";
import type { EndUserSession, Portal } from "../../endusers/test/endusers-helpers";
import { DEFAULT_RULES, DEFAULT_TRUST } from "../settings.service";
import { category, member, topic } from "./forum-moderation-fixtures";

/**
 * Isolation cases for the forum's moderation and member routes. Tenant cases (spread into
 * test/tenant-isolation.test.ts): workspace A has a member, a topic with a reply, a pending flag, a
 * moderation action and an AI review (rows written once, lazily); B's owner tries each through B's
 * workspace and gets 404 or only B's data. End-user cases (test/end-user-isolation.test.ts): B flags
 * only as B, and an end user who is not a moderator gets 403 on the moderator routes.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Quokkamander";

interface AForum {
  memberId: string;
  topicId: string;
  postId: string;
  flagId: string;
  actionId: string;
}

async function enableForum(tenantId: string) {
  await getDb(env.DB)
    .insert(forumSettings)
    .values({ tenantId, enabled: true, trust: DEFAULT_TRUST, rules: DEFAULT_RULES, updatedAt: Date.now() })
    .onConflictDoUpdate({ target: forumSettings.tenantId, set: { enabled: true } });
}

async function seedA(tenantId: string): Promise<AForum> {
  const db = getDb(env.DB);
  await enableForum(tenantId);
  const memberId = newId("eu");
  const flagger = newId("eu");
  await member(tenantId, memberId, `quokka${memberId.slice(-6)}`, { displayName: MARK });
  await member(tenantId, flagger, `flagger${flagger.slice(-6)}`);
  const cat = await category(tenantId, `iso-${memberId.slice(-6)}`);
  const t = await topic(tenantId, cat, memberId, `${MARK} topic`, [memberId]);
  const postId = t.postIds[1] ?? "";
  const flagId = newId("fflag");
  const actionId = newId("fmod");
  const now = Date.now();
  await db.batch([
    db.insert(forumFlags).values({ tenantId, id: flagId, postId, flaggerId: flagger, reason: "spam", weight: 1, createdAt: now }),
    db.insert(forumModActions).values({
      tenantId,
      id: actionId,
      actorId: "ai",
      action: "lock",
      targetKind: "topic",
      targetId: t.topicId,
      before: { locked_at: null },
      after: { locked_at: null },
      createdAt: now,
    }),
    db.insert(forumAiReviews).values({
      tenantId,
      postId,
      verdict: "hold",
      labels: ["spam-phrases"],
      explanation: MARK,
      model: "local-spam-rules-v1",
      createdAt: now,
    }),
  ]);
  return { memberId, topicId: t.topicId, postId, flagId, actionId };
}

let fixture: Promise<AForum> | null = null;
export function aForumModeration(w: AB) {
  fixture ??= seedA(w.a.tenantId);
  return fixture;
}

const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const a = await aForumModeration(w);
  const text = JSON.stringify(payload);
  for (const s of [a.memberId, a.topicId, a.postId, a.flagId, a.actionId, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
const is404 =
  (method: string, path: (a: AForum) => string, body?: unknown): Case =>
  async (w) => {
    const a = await aForumModeration(w);
    const r = await asB(w, method, path(a), body);
    expect(r.status, `${method} ${path(a)}: ${JSON.stringify(r.body)}`).toBe(404);
  };

export const FORUM_MODERATION_CASES: Record<string, Case> = {
  "GET /api/v1/forum/moderation/queue": async (w) => {
    await aForumModeration(w);
    for (const kind of ["flagged", "pending", "ai"]) {
      const r = await asB(w, "GET", `/api/v1/forum/moderation/queue?kind=${kind}&limit=100`);
      expect(r.status).toBe(200);
      await noneOfA(w, r.body);
    }
  },
  "POST /api/v1/forum/moderation/posts/{id}/ai-override": is404("POST", (a) => `/api/v1/forum/moderation/posts/${a.postId}/ai-override`, {
    verdict: "allow",
  }),
  "POST /api/v1/forum/moderation/posts/{id}/{action}": async (w) => {
    const a = await aForumModeration(w);
    for (const action of ["hide", "delete", "approve"]) {
      expect((await asB(w, "POST", `/api/v1/forum/moderation/posts/${a.postId}/${action}`)).status, action).toBe(404);
    }
  },
  "POST /api/v1/forum/moderation/topics/{id}/{action}": async (w) => {
    const a = await aForumModeration(w);
    for (const action of ["lock", "hide", "pin"]) {
      expect((await asB(w, "POST", `/api/v1/forum/moderation/topics/${a.topicId}/${action}`)).status, action).toBe(404);
    }
  },
  "POST /api/v1/forum/moderation/flags/{id}/{decision}": is404("POST", (a) => `/api/v1/forum/moderation/flags/${a.flagId}/agree`),
  "GET /api/v1/forum/moderation/actions": async (w) => {
    const a = await aForumModeration(w);
    const r = await asB(w, "GET", `/api/v1/forum/moderation/actions?limit=100&target=${a.topicId}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([]);
    await noneOfA(w, (await asB(w, "GET", "/api/v1/forum/moderation/actions?limit=100")).body);
  },
  "POST /api/v1/forum/moderation/actions/{id}/reverse": is404("POST", (a) => `/api/v1/forum/moderation/actions/${a.actionId}/reverse`),
  "GET /api/v1/forum/members": async (w) => {
    await aForumModeration(w);
    const r = await asB(w, "GET", `/api/v1/forum/members?limit=100&q=${MARK}`);
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "GET /api/v1/forum/members/{id}": is404("GET", (a) => `/api/v1/forum/members/${a.memberId}`),
  "POST /api/v1/forum/members/{id}/{action}": is404("POST", (a) => `/api/v1/forum/members/${a.memberId}/suspend`, {
    until: new Date(Date.now() + 86_400_000).toISOString(),
  }),
  "PUT /api/v1/forum/members/{id}/trust": is404("PUT", (a) => `/api/v1/forum/members/${a.memberId}/trust`, { level: 4 }),
  "PUT /api/v1/forum/members/{id}/moderator": is404("PUT", (a) => `/api/v1/forum/members/${a.memberId}/moderator`, { moderator: true }),
};

// ── end users ────────────────────────────────────────────────────────────────────────────────────

interface EndUserWorld {
  p: Portal;
  a: EndUserSession;
}
type EndUserCase = (w: EndUserWorld, b: EndUserSession) => Promise<void>;

/** A visible topic by end user A in the workspace's forum (turned on), once per portal. */
const aTopics = new Map<string, Promise<{ topicId: string; postId: string }>>();
function aTopic(w: EndUserWorld) {
  let t = aTopics.get(w.p.slug);
  if (!t) {
    t = (async () => {
      const tenantId = w.p.owner.tenantId;
      await enableForum(tenantId);
      await member(tenantId, w.a.id, `a${w.a.id.slice(-8)}`);
      const cat = await category(tenantId, `eu-iso-${w.a.id.slice(-6)}`);
      const x = await topic(tenantId, cat, w.a.id, "A's topic", [w.a.id]);
      return { topicId: x.topicId, postId: x.postIds[1] ?? "" };
    })();
    aTopics.set(w.p.slug, t);
  }
  return t;
}
const forum = (w: EndUserWorld, token: string) => (method: string, path: string, body?: unknown) =>
  callJson(`/public/v1/forum/${w.p.slug}${path}`, { method, token, body });

export const FORUM_MODERATION_ENDUSER_CASES: Record<string, EndUserCase> = {
  "POST /public/v1/forum/{portal}/posts/{id}/flags": async (w, b) => {
    const t = await aTopic(w);
    const r = await forum(w, b.accessToken)("POST", `/posts/${t.postId}/flags`, { reason: "spam" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // B's flag is B's: a second one by B is refused.
    expect((await forum(w, b.accessToken)("POST", `/posts/${t.postId}/flags`, { reason: "spam" })).status).toBe(409);
    // A cannot flag A's own post, whatever B did.
    expect((await forum(w, w.a.accessToken)("POST", `/posts/${t.postId}/flags`, { reason: "spam" })).status).toBe(422);
  },
  "POST /public/v1/forum/{portal}/moderation/posts/{id}/{action}": async (w, b) => {
    const t = await aTopic(w);
    const r = await forum(w, b.accessToken)("POST", `/moderation/posts/${t.postId}/hide`);
    expect(r.status).toBe(403);
  },
  "POST /public/v1/forum/{portal}/moderation/topics/{id}/{action}": async (w, b) => {
    const t = await aTopic(w);
    expect((await forum(w, b.accessToken)("POST", `/moderation/topics/${t.topicId}/lock`)).status).toBe(403);
  },
};
