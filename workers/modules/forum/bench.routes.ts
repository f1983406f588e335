/**
 * Local-only helpers for `npm run bench -- forum` (mounted at /dev/forum-bench; 404 unless
 * ENVIRONMENT is local): `POST /setup` turns a workspace's forum on with one public category and
 * the owner as a member; `POST /seed` bulk-loads topics of N posts each in one statement per table
 * (rows generated inside SQLite by a recursive CTE, so 10,000 posts are one request, and the FTS
 * triggers index them as real posts would be). The text is drawn from a fixed vocabulary so search
 * terms hit a known share of posts.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { createCategory } from "./categories.service";
import { ensureMember } from "./members.service";
import { updateSettings } from "./settings.service";

export const forumBenchRoutes = new Hono<AppEnv>();
forumBenchRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

const SYSTEM = { type: "system" as const, id: null, ip: null, userAgent: null };

/** 64 words; post i uses words i%64, (i*7)%64 and (i*13)%64, so each word is in ~3/64 of the posts. */
export const BENCH_WORDS =
  "refund invoice shipping billing password account export import webhook widget login signup coupon order tracking delivery subscription cancel upgrade downgrade plan seats domain email template campaign segment report chart dashboard analytics funnel cohort retention survey feedback ticket portal checkout payment stripe paypal currency tax receipt address profile avatar theme mobile android iphone browser chrome firefox safari api token limit quota storage upload download search filter".split(
    " ",
  );

forumBenchRoutes.post("/setup", async (c) => {
  const body = z.object({ tenant_id: z.string(), owner_id: z.string() }).safeParse(await c.req.json().catch(() => null));
  if (!body.success) throw badRequest("tenant_id and owner_id are required.");
  const db = getDb(c.env.DB);
  const { tenant_id: tenantId, owner_id: ownerId } = body.data;
  await updateSettings(db, tenantId, { enabled: true, title: "Bench community" }, SYSTEM);
  const category = await createCategory(
    db,
    tenantId,
    { name: `Bench ${Date.now().toString(36)}`, read_access: "public", questions: true },
    SYSTEM,
  );
  const member = await ensureMember(db, tenantId, { kind: "staff", id: ownerId });
  return c.json(
    { category_id: category.id, category_slug: category.slug, member_id: member.id, username: member.username, words: BENCH_WORDS },
    201,
  );
});

const seedSchema = z.object({
  tenant_id: z.string(),
  category_id: z.string(),
  author_id: z.string(),
  batch: z.string().regex(/^[a-z0-9]{1,16}$/),
  topics: z.number().int().min(1).max(1000),
  posts_per_topic: z.number().int().min(1).max(200),
});

forumBenchRoutes.post("/seed", async (c) => {
  const parsed = seedSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) throw badRequest("Bad seed request.");
  const s = parsed.data;
  const total = s.topics * s.posts_per_topic;
  const now = Date.now() - total * 1000;
  const words = BENCH_WORDS.map((w, k) => `(${k}, '${w}')`).join(",");
  const word = (expr: string) => `(SELECT w FROM words WHERE k = (${expr}) % 64)`;
  const topics = c.env.DB.prepare(
    `WITH RECURSIVE words(k, w) AS (VALUES ${words}), n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
INSERT INTO forum_topics (tenant_id, id, category_id, author_id, title, slug, kind, status, pin, post_count, last_post_number, view_count, like_count, score, last_posted_at, last_poster_id, created_at, updated_at)
SELECT ?2, 'ftop_b' || ?3 || 'x' || i, ?4, ?5, 'How do I ' || ${word("i")} || ' with ' || ${word("i * 7 + 3")} || ' (' || ?3 || '-' || i || ')',
  'how-do-i-' || ${word("i")} || '-' || i, 'question', 'visible', 'none', ?6, ?6, 0, 0, 0, ?7 + i * ?6 * 1000, ?5, ?7 + i * ?6 * 1000, ?7 FROM n`,
  ).bind(s.topics, s.tenant_id, s.batch, s.category_id, s.author_id, s.posts_per_topic, now);
  const posts = c.env.DB.prepare(
    `WITH RECURSIVE words(k, w) AS (VALUES ${words}), n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1),
t(i, txt) AS (SELECT i, 'Post ' || i || ' about ' || ${word("i")} || ' and ' || ${word("i * 7")} || '. When I try to ' || ${word("i * 13")} || ' the page shows an error; what should I check first? Steps: open settings, pick the option, save and reload.' FROM n)
INSERT INTO forum_posts (tenant_id, id, topic_id, number, author_id, body_markdown, body_html, search_text, status, reactions, upvotes, downvotes, created_at, updated_at)
SELECT ?2, 'fpost_b' || ?3 || 'x' || i, 'ftop_b' || ?3 || 'x' || (i / CAST(?4 AS INTEGER)), (i % CAST(?4 AS INTEGER)) + 1, ?5, txt, '<p>' || txt || '</p>', txt, 'visible', '{"like":' || (i % 3) || '}', i % 4, 0, ?6 + i * 1000, ?6 + i * 1000 FROM t`,
  ).bind(total, s.tenant_id, s.batch, s.posts_per_topic, s.author_id, now);
  const counters = c.env.DB.prepare(
    "UPDATE forum_categories SET topic_count = topic_count + ?1, post_count = post_count + ?2, last_posted_at = ?3 WHERE tenant_id = ?4 AND id = ?5",
  ).bind(s.topics, total, Date.now(), s.tenant_id, s.category_id);
  // Topics first: the FTS trigger on forum_posts reads the first post's topic title.
  await c.env.DB.batch([topics, posts, counters]);
  return c.json({ topics: s.topics, posts: total }, 201);
});
