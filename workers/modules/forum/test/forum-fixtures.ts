import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { forumMembers, type ForumRules } from "../../../../schema/forum";
import { getDb } from "../../../platform/db";
import { callJson, freshIp, type TestUser } from "../../../../test/helpers";
import { as, euSignUp, portal, type EndUserSession, type Portal } from "../../endusers/test/endusers-helpers";
import { ensureMember } from "../members.service";

/**
 * Shared fixtures of the forum tests (content, moderation, pages, dashboard): a workspace with its
 * portal and community on, four categories, end users with tokens. Everything goes through the real
 * APIs except `setMember` (trust levels, sanctions, moderator flags straight into D1, for tests
 * that need a member in a given state without earning it). Keep the names and shapes stable.
 */

export interface Forum {
  owner: TestUser;
  portal: Portal;
  tenantId: string;
  slug: string;
  /** `/public/v1/forum/<slug>` */
  base: string;
  cats: {
    /** public read, signed-in topics/replies */
    general: string;
    /** public, question topics (accepted answers) */
    qa: string;
    /** read by signed-in end users only */
    members: string;
    /** staff (and moderators) only */
    staff: string;
  };
}

/** Rules that keep tests from tripping the spam screen unless they mean to. */
export const RELAXED_RULES: Partial<ForumRules> = {
  holdFirstPosts: 0,
  postsPerMinute: 1000,
  postsPerMinutePerIp: 10_000,
  duplicateWindowMinutes: 0,
  newUserMaxLinks: 20,
  newUserImages: true,
};

export const staffApi = (u: TestUser) => as(u);

export async function forum(opts: { rules?: Partial<ForumRules>; owner?: TestUser; title?: string } = {}): Promise<Forum> {
  const p = await portal({}, opts.owner);
  const api = as(p.owner);
  const s = await api("PUT", "/api/v1/forum/settings", {
    enabled: true,
    title: opts.title ?? "Acme Community",
    rules: { ...RELAXED_RULES, ...opts.rules },
  });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  const mk = async (body: Record<string, unknown>) => {
    const r = await api("POST", "/api/v1/forum/categories", body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const general = await mk({ name: "General" });
  const qa = await mk({ name: "Questions", questions: true });
  const members = await mk({ name: "Members lounge", read_access: "signed_in" });
  const staff = await mk({ name: "Staff room", read_access: "staff", topic_access: "staff", reply_access: "staff" });
  return {
    owner: p.owner,
    portal: p,
    tenantId: p.owner.tenantId,
    slug: p.slug,
    base: `/public/v1/forum/${p.slug}`,
    cats: { general, qa, members, staff },
  };
}

/** An end user of the forum's workspace (signed up through the portal). */
export const forumUser = (f: Forum, name = "Erin End", email?: string): Promise<EndUserSession> => euSignUp(f.portal, email, name);

/** Calls `/public/v1/forum/<slug><path>` as an end user (or anonymously). */
export const fu = (f: Forum, who?: EndUserSession) => (method: string, path: string, body?: unknown) =>
  callJson(`${f.base}${path}`, { method, token: who?.accessToken, ip: who?.ip ?? freshIp(), body });

/** Starts a topic as an end user; returns the created topic and first post (201 asserted). */
export async function startTopic(
  f: Forum,
  who: EndUserSession,
  o: { category?: string; title?: string; body?: string; kind?: string } = {},
) {
  const r = await fu(f, who)("POST", "/topics", {
    category_id: o.category ?? f.cats.general,
    title: o.title ?? "How do I export my data?",
    body: o.body ?? "I looked everywhere in the settings.",
    ...(o.kind ? { kind: o.kind } : {}),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { topic: { id: string; slug: string }; post: { id: string; number: number; status: string }; held_for: string | null };
}

export async function replyAs(f: Forum, who: EndUserSession, topicId: string, body: string, extra: Record<string, unknown> = {}) {
  const r = await fu(f, who)("POST", `/topics/${topicId}/posts`, { body, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.post as { id: string; number: number; status: string };
}

/** Staff (the owner) starts a topic or replies through /api/v1/forum. */
export async function staffTopic(f: Forum, o: { category: string; title: string; body: string; kind?: string }) {
  const r = await as(f.owner)("POST", "/api/v1/forum/topics", {
    category_id: o.category,
    title: o.title,
    body: o.body,
    ...(o.kind ? { kind: o.kind } : {}),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { topic: { id: string }; post: { id: string } };
}
export async function staffReply(f: Forum, topicId: string, body: string) {
  const r = await as(f.owner)("POST", `/api/v1/forum/topics/${topicId}/posts`, { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.post as { id: string; number: number };
}

export const forumDb = () => getDb(env.DB);

/** Puts a member in a state (creating their member row first): trust level, moderator, sanctions… */
export async function setMember(f: Forum, who: EndUserSession | { id: string }, set: Partial<typeof forumMembers.$inferInsert>) {
  const db = forumDb();
  const id = who.id;
  await ensureMember(db, f.tenantId, { kind: id.startsWith("usr_") ? "staff" : "enduser", id });
  await db
    .update(forumMembers)
    .set(set)
    .where(and(eq(forumMembers.tenantId, f.tenantId), eq(forumMembers.id, id)));
}

export async function memberRow(f: Forum, id: string) {
  return forumDb()
    .select()
    .from(forumMembers)
    .where(and(eq(forumMembers.tenantId, f.tenantId), eq(forumMembers.id, id)))
    .get();
}
