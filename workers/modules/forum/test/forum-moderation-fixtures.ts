import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { forumCategories, forumMembers, forumPosts, forumSettings, forumTopics, type ForumRules } from "../../../../schema/forum";
import { getDb } from "../../../../workers/platform/db";
import { Problem } from "../../../../workers/platform/errors";
import { newId } from "../../../../workers/platform/ids";
import { callJson, freshIp } from "../../../../test/helpers";
import { euSignUp, portal, type EndUserSession, type Portal } from "../../endusers/test/endusers-helpers";
import { DEFAULT_RULES, DEFAULT_TRUST } from "../settings.service";

/**
 * Rows for the moderation tests, written straight into D1 with the counters a real post would
 * leave (topic/category/member counts), so moderation's counter changes can be asserted exactly.
 */
export const db = () => getDb(env.DB);

export interface ModWorld {
  p: Portal;
  tenantId: string;
  categoryId: string;
  users: Record<string, EndUserSession>;
}

export async function forumWorld(names: string[], rules: Partial<ForumRules> = {}): Promise<ModWorld> {
  const p = await portal();
  const tenantId = p.owner.tenantId;
  const now = Date.now();
  await db()
    .insert(forumSettings)
    .values({ tenantId, enabled: true, trust: DEFAULT_TRUST, rules: { ...DEFAULT_RULES, ...rules }, updatedAt: now })
    .onConflictDoUpdate({ target: forumSettings.tenantId, set: { enabled: true, rules: { ...DEFAULT_RULES, ...rules } } });
  const categoryId = await category(tenantId, "general");
  const users: Record<string, EndUserSession> = {};
  for (const n of names) {
    users[n] = await euSignUp(p, undefined, n);
    await member(tenantId, users[n].id, n);
  }
  return { p, tenantId, categoryId, users };
}

export async function category(tenantId: string, slug: string): Promise<string> {
  const id = newId("fcat");
  await db().insert(forumCategories).values({ tenantId, id, slug, name: slug, createdAt: Date.now(), updatedAt: Date.now() });
  return id;
}

export async function member(tenantId: string, id: string, username: string, extra: Partial<typeof forumMembers.$inferInsert> = {}) {
  const now = Date.now();
  await db()
    .insert(forumMembers)
    .values({
      tenantId,
      id,
      kind: id.startsWith("usr_") ? "staff" : "enduser",
      username,
      displayName: username,
      createdAt: now,
      updatedAt: now,
      ...extra,
    })
    .onConflictDoNothing();
}

export async function setMember(tenantId: string, id: string, set: Partial<typeof forumMembers.$inferInsert>) {
  await db()
    .update(forumMembers)
    .set(set)
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, id)));
}

/** A visible topic by `authorId` with `replies` visible replies (by the same author unless given), counted like posts.service would. */
export async function topic(tenantId: string, categoryId: string, authorId: string, title: string, replies: string[] = []) {
  const d = db();
  const now = Date.now();
  const topicId = newId("ftop");
  await d.insert(forumTopics).values({
    tenantId,
    id: topicId,
    categoryId,
    authorId,
    title,
    slug: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    postCount: 1 + replies.length,
    lastPostNumber: 1 + replies.length,
    lastPostedAt: now,
    lastPosterId: authorId,
    createdAt: now,
    updatedAt: now,
  });
  const postIds: string[] = [];
  const authors = [authorId, ...replies];
  for (const [i, a] of authors.entries()) {
    const id = newId("fpost");
    postIds.push(id);
    const text = i === 0 ? `${title} body` : `reply ${i} to ${title}`;
    await d.insert(forumPosts).values({
      tenantId,
      id,
      topicId,
      number: i + 1,
      authorId: a,
      bodyMarkdown: text,
      bodyHtml: `<p>${text}</p>`,
      searchText: text,
      reactions: {},
      createdAt: now + i,
      updatedAt: now + i,
    });
  }
  const cat = await d.select().from(forumCategories).where(eq(forumCategories.id, categoryId)).get();
  await d
    .update(forumCategories)
    .set({ topicCount: (cat?.topicCount ?? 0) + 1, postCount: (cat?.postCount ?? 0) + authors.length })
    .where(eq(forumCategories.id, categoryId));
  return { topicId, postIds };
}

export const postRow = (id: string) => db().select().from(forumPosts).where(eq(forumPosts.id, id)).get();
export const topicRow = (id: string) => db().select().from(forumTopics).where(eq(forumTopics.id, id)).get();
export const categoryRow = (id: string) => db().select().from(forumCategories).where(eq(forumCategories.id, id)).get();
export const memberRow = (tenantId: string, id: string) =>
  db()
    .select()
    .from(forumMembers)
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, id)))
    .get();

/** Staff call on /api/v1 as the workspace owner. */
export const staff = (w: ModWorld) => (method: string, path: string, body?: unknown) =>
  callJson(`/api/v1${path}`, { method, token: w.p.owner.accessToken, tenant: w.tenantId, ip: w.p.owner.ip, body });

/** End-user call on /public/v1/forum/{slug}. */
export const pub = (w: ModWorld, u?: EndUserSession) => (method: string, path: string, body?: unknown) =>
  callJson(`/public/v1/forum/${w.p.slug}${path}`, { method, token: u?.accessToken, ip: u?.ip ?? freshIp(), body });

/** The world's end user by name, and a topic's i-th post id (both throw when there is none). */
export const u = (w: ModWorld, name: string) => {
  const x = w.users[name];
  if (!x) throw new Error(`no end user ${name}`);
  return x;
};
export const pid = (t: { postIds: string[] }, i: number) => {
  const x = t.postIds[i];
  if (!x) throw new Error(`no post ${i}`);
  return x;
};

/** The Problem a call rejects with (throws when it resolves or rejects with something else). */
export async function problemOf(p: Promise<unknown>): Promise<Problem> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error("expected a Problem");
}

/** A post row by the member (as posts.service would write it), for rate-limit and duplicate counts. */
export async function writePost(
  w: ModWorld,
  topicId: string,
  authorId: string,
  text: string,
  status: "visible" | "pending" = "visible",
  ip = "203.0.113.9",
) {
  const id = newId("fpost");
  const t = await topicRow(topicId);
  const number = (t?.lastPostNumber ?? 1) + 1;
  await db()
    .insert(forumPosts)
    .values({
      tenantId: w.tenantId,
      id,
      topicId,
      number,
      authorId,
      bodyMarkdown: text,
      bodyHtml: `<p>${text}</p>`,
      searchText: text,
      status,
      reactions: {},
      ip,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
  await db().update(forumTopics).set({ lastPostNumber: number }).where(eq(forumTopics.id, topicId));
  return id;
}
