import { expect } from "vitest";
import { callJson, freshIp, type TestUser } from "../../../../test/helpers";
import { as, type EndUserSession, type Portal } from "../../endusers/test/endusers-helpers";
import { RELAXED_RULES } from "./forum-fixtures";

/**
 * Isolation cases of the forum's content routes (forum-content), spread into CASES of
 * test/tenant-isolation.test.ts (staff routes: B's workspace names A's ids → 404, lists show none of
 * A's) and test/end-user-isolation.test.ts (end-user routes: end user B cannot edit, react as,
 * accept on, read the drafts of or change the reading state of end user A). Other forum helpers
 * keep their own cases files.
 */

// ── tenant isolation (staff API) ────────────────────────────────────────────────────────────────

interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Quokkaforum";

let aFixture: Promise<{ category: string; topic: string; post: string; answer: string }> | null = null;
/** A's community: on, titled MARK, one question category with a solved topic (created once). */
export function aForum(w: AB) {
  aFixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const s = await asA("PUT", "/api/v1/forum/settings", { enabled: true, title: `${MARK} community`, rules: RELAXED_RULES });
    const c = await asA("POST", "/api/v1/forum/categories", { name: `${MARK} help`, slug: "help", questions: true });
    const t = await asA("POST", "/api/v1/forum/topics", { category_id: c.body.id, title: `${MARK} question`, body: `${MARK} body` });
    const r = await asA("POST", `/api/v1/forum/topics/${t.body.topic?.id}/posts`, { body: `${MARK} answer` });
    expect([s.status, c.status, t.status, r.status], JSON.stringify([c.body, t.body, r.body])).toEqual([200, 201, 201, 201]);
    return {
      category: c.body.id as string,
      topic: t.body.topic.id as string,
      post: t.body.post.id as string,
      answer: r.body.post.id as string,
    };
  })();
  return aFixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aForum(w);
  const text = JSON.stringify(payload);
  for (const s of [ids.category, ids.topic, ids.post, ids.answer, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
const is404 =
  (
    method: string,
    path: (ids: Awaited<ReturnType<typeof aForum>>) => string,
    body?: (ids: Awaited<ReturnType<typeof aForum>>) => unknown,
  ): Case =>
  async (w) => {
    const ids = await aForum(w);
    const r = await asB(w, method, path(ids), body?.(ids));
    expect(r.status, `${method} ${path(ids)}: ${JSON.stringify(r.body)}`).toBe(404);
  };
/** A's settings are untouched (B's changes land in B's own workspace). */
const aSettingsIntact = async (w: AB) => {
  const r = await callJson("/api/v1/forum/settings", { token: w.a.accessToken, tenant: w.a.tenantId });
  expect(r.body).toMatchObject({ enabled: true, title: `${MARK} community` });
};

export const FORUM_CASES: Record<string, Case> = {
  "GET /api/v1/forum/settings": async (w) => {
    await aForum(w);
    const r = await asB(w, "GET", "/api/v1/forum/settings");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "PUT /api/v1/forum/settings": async (w) => {
    await aForum(w);
    expect((await asB(w, "PUT", "/api/v1/forum/settings", { title: "B's own" })).body.title).toBe("B's own");
    await aSettingsIntact(w);
  },
  "GET /api/v1/forum/categories": async (w) => {
    const r = await asB(w, "GET", "/api/v1/forum/categories");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "POST /api/v1/forum/categories": async (w) => {
    await aForum(w);
    // Slugs are per workspace: A's "help" does not block B's.
    const r = await asB(w, "POST", "/api/v1/forum/categories", { name: "B help", slug: "help" });
    expect(r.status).toBe(201);
  },
  "POST /api/v1/forum/categories/reorder": is404(
    "POST",
    () => "/api/v1/forum/categories/reorder",
    (ids) => ({ ids: [ids.category] }),
  ),
  "PATCH /api/v1/forum/categories/{id}": is404(
    "PATCH",
    (ids) => `/api/v1/forum/categories/${ids.category}`,
    () => ({ name: "hijacked" }),
  ),
  "DELETE /api/v1/forum/categories/{id}": is404("DELETE", (ids) => `/api/v1/forum/categories/${ids.category}`),
  "GET /api/v1/forum/topics": async (w) => {
    const r = await asB(w, "GET", "/api/v1/forum/topics?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
    expect((await asB(w, "GET", `/api/v1/forum/topics?category=${(await aForum(w)).category}`)).status).toBe(404);
  },
  "GET /api/v1/forum/topics/{id}": is404("GET", (ids) => `/api/v1/forum/topics/${ids.topic}`),
  "POST /api/v1/forum/topics": is404(
    "POST",
    () => "/api/v1/forum/topics",
    (ids) => ({ category_id: ids.category, title: "Into A's category", body: "x" }),
  ),
  "POST /api/v1/forum/topics/{id}/posts": is404(
    "POST",
    (ids) => `/api/v1/forum/topics/${ids.topic}/posts`,
    () => ({ body: "into A's topic" }),
  ),
  "PATCH /api/v1/forum/posts/{id}": is404(
    "PATCH",
    (ids) => `/api/v1/forum/posts/${ids.post}`,
    () => ({ body: "rewritten" }),
  ),
  "POST /api/v1/forum/topics/{id}/accepted": is404(
    "POST",
    (ids) => `/api/v1/forum/topics/${ids.topic}/accepted`,
    (ids) => ({ post_id: ids.answer }),
  ),
  "DELETE /api/v1/forum/topics/{id}/accepted": is404("DELETE", (ids) => `/api/v1/forum/topics/${ids.topic}/accepted`),
  "POST /api/v1/forum/topics/{id}/knowledge": is404(
    "POST",
    (ids) => `/api/v1/forum/topics/${ids.topic}/knowledge`,
    () => ({}),
  ),
};

// ── end-user isolation (the public API's write routes) ──────────────────────────────────────────

interface EndUserWorld {
  p: Portal;
  a: EndUserSession;
}
type EndUserCase = (w: EndUserWorld, b: EndUserSession) => Promise<void>;

let euFixture: Promise<{ category: string; topic: string; post: string; draftKey: string }> | null = null;
/** In the end-user world's workspace: the community on, A's question topic with A's heart on it, A's draft, A watching. */
function aForumOf(w: EndUserWorld) {
  euFixture ??= (async () => {
    const api = as(w.p.owner);
    await api("PUT", "/api/v1/forum/settings", { enabled: true, rules: RELAXED_RULES });
    const c = await api("POST", "/api/v1/forum/categories", { name: "Questions", questions: true });
    const asA = aCall(w);
    const t = await asA("POST", "/topics", { category_id: c.body.id, title: "A's own question", body: "A asks" });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    const topic = t.body.topic.id as string;
    const post = t.body.post.id as string;
    const draftKey = `reply:${topic}`;
    expect((await asA("PUT", `/posts/${post}/reactions/heart`)).status).toBe(200);
    expect((await asA("PUT", `/drafts/${draftKey}`, { body: "A's private draft" })).status).toBe(200);
    expect((await asA("PUT", `/topics/${topic}/notification-level`, { level: "watching" })).status).toBe(200);
    return { category: c.body.id as string, topic, post, draftKey };
  })();
  return euFixture;
}
const forumPath = (w: EndUserWorld) => `/public/v1/forum/${w.p.slug}`;
const aCall = (w: EndUserWorld) => (method: string, path: string, body?: unknown) =>
  callJson(`${forumPath(w)}${path}`, { method, token: w.a.accessToken, ip: w.a.ip, body });
const bCall = (w: EndUserWorld, b: EndUserSession) => (method: string, path: string, body?: unknown) =>
  callJson(`${forumPath(w)}${path}`, { method, token: b.accessToken, ip: freshIp(), body });

/** What A has in the community; B's attempts must leave it as it was. */
async function aState(w: EndUserWorld) {
  const ids = await aForumOf(w);
  const view = await aCall(w)("GET", `/topics/${ids.topic}`);
  const draft = await aCall(w)("GET", `/drafts/${ids.draftKey}`);
  return {
    first: { body: view.body.posts[0].body_markdown, mine: view.body.posts[0].my_reactions, heart: view.body.posts[0].reactions.heart },
    solved: view.body.topic.solved,
    level: view.body.notification_level,
    read: view.body.read_position,
    draft: draft.body.body,
  };
}
let baseline: ReturnType<typeof aState> | null = null;
/** Runs B's attempt, then checks A's community state against the one taken once before any attempt. */
const unchanged =
  (run: (ids: Awaited<ReturnType<typeof aForumOf>>, b: ReturnType<typeof bCall>) => Promise<void>): EndUserCase =>
  async (w, b) => {
    const ids = await aForumOf(w);
    baseline ??= aState(w);
    const before = await baseline;
    await run(ids, bCall(w, b));
    expect(await aState(w)).toEqual(before);
  };

export const FORUM_ENDUSER_CASES: Record<string, EndUserCase> = {
  "POST /public/v1/forum/{portal}/topics": unchanged(async (ids, b) => {
    const r = await b("POST", "/topics", { category_id: ids.category, title: "B's own question", body: "B asks" });
    expect(r.status).toBe(201);
    expect(r.body.topic.author.username).not.toBe("erin");
  }),
  "POST /public/v1/forum/{portal}/topics/{id}/posts": unchanged(async (ids, b) => {
    const r = await b("POST", `/topics/${ids.topic}/posts`, { body: "B answers" });
    expect(r.status).toBe(201);
    expect(r.body.post.number).toBeGreaterThan(1);
  }),
  "PATCH /public/v1/forum/{portal}/posts/{id}": unchanged(async (ids, b) => {
    expect((await b("PATCH", `/posts/${ids.post}`, { body: "B rewrote A" })).status).toBe(403);
  }),
  "PUT /public/v1/forum/{portal}/posts/{id}/reactions/{reaction}": unchanged(async (ids, b) => {
    // B's heart is B's own: A's stays as A's (the count is checked after B takes it back).
    expect((await b("PUT", `/posts/${ids.post}/reactions/heart`)).body.reactions.heart).toBe(2);
    expect((await b("DELETE", `/posts/${ids.post}/reactions/heart`)).body.reactions.heart).toBe(1);
  }),
  "DELETE /public/v1/forum/{portal}/posts/{id}/reactions/{reaction}": unchanged(async (ids, b) => {
    // B cannot take A's heart away.
    expect((await b("DELETE", `/posts/${ids.post}/reactions/heart`)).body.reactions.heart).toBe(1);
  }),
  "PUT /public/v1/forum/{portal}/posts/{id}/vote": unchanged(async (ids, b) => {
    expect((await b("PUT", `/posts/${ids.post}/vote`, { value: 1 })).body.my_vote).toBe(1);
    expect((await b("PUT", `/posts/${ids.post}/vote`, { value: 0 })).body.upvotes).toBe(0);
  }),
  "POST /public/v1/forum/{portal}/topics/{id}/accepted": unchanged(async (ids, b) => {
    const r = await b("POST", `/topics/${ids.topic}/posts`, { body: "Accept me" });
    expect((await b("POST", `/topics/${ids.topic}/accepted`, { post_id: r.body.post.id })).status).toBe(403);
  }),
  "DELETE /public/v1/forum/{portal}/topics/{id}/accepted": unchanged(async (ids, b) => {
    expect((await b("DELETE", `/topics/${ids.topic}/accepted`)).status).toBe(403);
  }),
  "PUT /public/v1/forum/{portal}/topics/{id}/notification-level": unchanged(async (ids, b) => {
    expect((await b("PUT", `/topics/${ids.topic}/notification-level`, { level: "muted" })).body.level).toBe("muted");
  }),
  "PUT /public/v1/forum/{portal}/categories/{id}/notification-level": unchanged(async (ids, b) => {
    expect((await b("PUT", `/categories/${ids.category}/notification-level`, { level: "watching" })).status).toBe(200);
  }),
  "POST /public/v1/forum/{portal}/topics/{id}/timings": unchanged(async (ids, b) => {
    expect((await b("POST", `/topics/${ids.topic}/timings`, { read_to: 0, seconds: 1 })).body.read_position).toBe(0);
  }),
  "GET /public/v1/forum/{portal}/drafts/{key}": unchanged(async (ids, b) => {
    expect((await b("GET", `/drafts/${ids.draftKey}`)).status).toBe(404);
  }),
  "PUT /public/v1/forum/{portal}/drafts/{key}": unchanged(async (ids, b) => {
    expect((await b("PUT", `/drafts/${ids.draftKey}`, { body: "B's draft" })).body.body).toBe("B's draft");
  }),
  "DELETE /public/v1/forum/{portal}/drafts/{key}": unchanged(async (ids, b) => {
    expect((await b("DELETE", `/drafts/${ids.draftKey}`)).status).toBe(204);
  }),
  "GET /public/v1/forum/{portal}/mentions": unchanged(async (_ids, b) => {
    const r = await b("GET", "/mentions?q=e");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain("@"); // usernames and names only, never e-mail addresses
  }),
};
