// The demo workspace's community (modules/forum, docs/forum.md): the forum on, five categories (one
// staff-only), fifteen topics over the last month with replies by the seeded customers and by staff,
// reactions, accepted answers, pinned announcements, two pending flags on a spam reply and one on
// an off-topic answer, a new member's first post held for approval, a post the AI check held, and a
// spammer suspended after a moderator hid their post (both actions in the moderation log).
//
// Bodies are rendered by the module's own renderer (workers/modules/forum/render.ts) in one child
// `node --import tsx` process, so body_html/search_text are exactly what the API would store; the
// settings' trust thresholds and rules are the module's defaults, read the same way. Rows are
// written straight into D1 (times in the past, which the API cannot do), with the counters the
// services keep (topic/category/member counts, likes, first reply times) computed here.
// Idempotent: fixed ids (`…_demo_…`) and ON CONFLICT DO NOTHING; the FTS index is filled by the
// insert trigger, which only fires for rows actually inserted.
import { execFileSync } from "node:child_process";
import { CATEGORIES, EXTRA_END_USERS, FLAGS, HELD, MEMBERS, STAFF, TOPICS } from "./forum-content.mjs";
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const MIN = 60_000;
const DAY = 86_400_000;
const T = raw(TENANT);

/** Renders every Markdown body with the module's renderPost(), and reads the settings' defaults. */
function renderAll(bodies) {
  const code = `
    const { renderPost } = await import(${JSON.stringify(new URL("../../workers/modules/forum/render.ts", import.meta.url).pathname)});
    const { DEFAULT_RULES, DEFAULT_TRUST } = await import(${JSON.stringify(new URL("../../workers/modules/forum/settings.service.ts", import.meta.url).pathname)});
    let input = "";
    for await (const chunk of process.stdin) input += chunk;
    const out = JSON.parse(input).map((md) => { const r = renderPost(md); return { html: r.html, text: r.text }; });
    process.stdout.write(JSON.stringify({ out, rules: DEFAULT_RULES, trust: DEFAULT_TRUST }));`;
  const json = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    input: JSON.stringify(bodies),
    encoding: "utf8",
    stdio: ["pipe", "pipe", "inherit"],
  });
  return JSON.parse(json);
}

/** Same rule as the module's slugify (categories.service.ts). */
const slugify = (s, fallback) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "") || fallback;

/** A member key → its id: `eu_demo_<key>` for customers, `usr_demo_<key>` for teammates, the owner by e-mail. */
const idOf = (key) => (key === "owner" ? raw(OWNER) : STAFF.has(key) ? `usr_demo_${key}` : `eu_demo_${key}`);
const DISPLAY = {
  maya: "Maya Lindqvist",
  tomas: "Tomáš Novák",
  aiko: "Aiko Tanaka",
  lucas: "Lucas Moreau",
  spam: "Deals 4 U",
  owner: "Demo Owner",
  priya: "Priya Shah",
  sam: "Sam Okafor",
  ...Object.fromEntries(EXTRA_END_USERS.map(([k, , name]) => [k, name])),
};

export function forumSql({ now }) {
  // ── posts in order, with their times and statuses ─────────────────────────────────────────────
  const posts = [];
  for (const t of TOPICS) {
    const start = now - t.daysAgo * DAY - 5 * 60 * MIN; // mid-morning-ish, several hours before "now"
    posts.push({ topic: t, number: 1, author: t.author, at: start, body: t.body, reactions: t.reactions ?? {}, status: "visible" });
    for (const [i, [author, minutes, body, reactions, status = "visible", reason = null]] of t.replies.entries())
      posts.push({ topic: t, number: i + 2, author, at: start + minutes * MIN, body, reactions, status, reason, replyIndex: i });
    for (const h of HELD.filter((x) => x.topic === t.key))
      posts.push({
        topic: t,
        number: t.replies.length + 2,
        author: h.author,
        at: start + h.minutes * MIN,
        body: h.body,
        reactions: {},
        status: "pending",
        reason: h.reason,
        ai: h.ai,
      });
  }
  for (const p of posts) p.id = `fpost_demo_${p.topic.key}_${p.number}`;
  const { out: rendered, rules, trust } = renderAll(posts.map((p) => p.body));
  for (const [i, p] of posts.entries()) Object.assign(p, rendered[i]);
  const counted = (p) => p.status === "visible";

  // ── members and their counters ────────────────────────────────────────────────────────────────
  const stats = Object.fromEntries(
    MEMBERS.map(([k]) => [
      k,
      { topics: 0, posts: 0, likesGiven: 0, likesReceived: 0, accepted: 0, first: Number.POSITIVE_INFINITY, last: null },
    ]),
  );
  for (const p of posts) {
    const s = stats[p.author];
    s.first = Math.min(s.first, p.at);
    if (!counted(p)) continue;
    if (p.number === 1) s.topics++;
    s.posts++;
    s.last = Math.max(s.last ?? 0, p.at);
    for (const who of p.reactions.like ?? []) {
      stats[who].likesGiven++;
      s.likesReceived++;
    }
    for (const who of Object.values(p.reactions).flat()) stats[who].first = Math.min(stats[who].first, p.at);
  }
  for (const t of TOPICS) if (t.accepted !== undefined) stats[t.replies[t.accepted][0]].accepted++;
  const suspendedUntil = now + 30 * DAY;
  const members = MEMBERS.map(([k, username, trustLevel, moderator]) => {
    const s = stats[k];
    const joined = Number.isFinite(s.first) ? s.first - 60 * MIN : now - 20 * DAY;
    return {
      tenant_id: T,
      id: idOf(k),
      kind: STAFF.has(k) ? "staff" : "enduser",
      username,
      display_name: DISPLAY[k],
      bio: "",
      trust_level: trustLevel,
      trust_locked: STAFF.has(k) || k === "spam",
      moderator,
      topic_count: s.topics,
      post_count: s.posts,
      approved_post_count: s.posts,
      likes_given: s.likesGiven,
      likes_received: s.likesReceived,
      accepted_answers: s.accepted,
      topics_entered: Math.min(40, 3 + s.posts * 4),
      posts_read: Math.min(400, 10 + s.posts * 25),
      read_seconds: 600 + s.posts * 900,
      days_visited: Math.min(30, 1 + s.posts * 2),
      last_visit_day: new Date(s.last ?? joined).toISOString().slice(0, 10),
      reputation: s.likesReceived * 5 + s.accepted * 15,
      suspended_until: k === "spam" ? suspendedUntil : null,
      silenced_until: null,
      sanction_reason: k === "spam" ? "Link spam in replies" : null,
      last_posted_at: s.last,
      last_seen_at: s.last ?? joined,
      last_digest_at: null,
      created_at: joined,
      updated_at: s.last ?? joined,
    };
  });

  // ── categories, topics, posts ─────────────────────────────────────────────────────────────────
  const catId = (key) => `fcat_demo_${key}`;
  const categories = CATEGORIES.map(([key, name, description, color, read, topic, questions, minTrust], position) => {
    const inCat = posts.filter((p) => p.topic.category === key && counted(p));
    return {
      tenant_id: T,
      id: catId(key),
      slug: key,
      name,
      description,
      color,
      position,
      read_access: read,
      topic_access: topic,
      reply_access: key === "team" ? "staff" : "signed_in",
      min_trust_to_topic: minTrust,
      questions,
      topic_count: TOPICS.filter((t) => t.category === key).length,
      post_count: inCat.length,
      last_posted_at: inCat.length ? Math.max(...inCat.map((p) => p.at)) : null,
      archived_at: null,
      created_at: now - 40 * DAY,
      updated_at: now - 40 * DAY,
    };
  });
  const topics = TOPICS.map((t) => {
    const mine = posts.filter((p) => p.topic === t);
    const visible = mine.filter(counted);
    const replies = visible.filter((p) => p.number > 1);
    const staffReply = replies.find((p) => STAFF.has(p.author) || MEMBERS.find((m) => m[0] === p.author)?.[3]);
    const last = visible[visible.length - 1];
    return {
      tenant_id: T,
      id: `ftop_demo_${t.key}`,
      category_id: catId(t.category),
      author_id: idOf(t.author),
      title: t.title,
      slug: slugify(t.title, "topic"),
      kind: t.kind,
      status: "visible",
      pin: t.pin ?? "none",
      locked_at: null,
      accepted_post_id: t.accepted === undefined ? null : `fpost_demo_${t.key}_${t.accepted + 2}`,
      merged_into_id: null,
      post_count: visible.length,
      last_post_number: Math.max(...mine.map((p) => p.number)),
      view_count: t.views,
      like_count: visible.reduce((n, p) => n + (p.reactions.like?.length ?? 0), 0),
      score: 0,
      last_posted_at: last.at,
      last_poster_id: idOf(last.author),
      first_staff_reply_at: staffReply?.at ?? null,
      first_reply_at: replies[0]?.at ?? null,
      created_at: mine[0].at,
      updated_at: last.at,
    };
  });
  const postRows = posts.map((p) => ({
    tenant_id: T,
    id: p.id,
    topic_id: `ftop_demo_${p.topic.key}`,
    number: p.number,
    author_id: idOf(p.author),
    reply_to_post_id: null,
    body_markdown: p.body,
    body_html: p.html,
    search_text: p.text,
    status: p.status,
    hidden_reason: p.reason ?? null,
    reactions: Object.fromEntries(Object.entries(p.reactions).map(([r, who]) => [r, who.length])),
    upvotes: 0,
    downvotes: 0,
    flag_weight: FLAGS.filter(([tk, i]) => tk === p.topic.key && i === p.replyIndex).length,
    revision_count: 0,
    ip: null,
    edited_at: null,
    created_at: p.at,
    updated_at: p.at,
  }));
  const reactions = posts.flatMap((p) =>
    Object.entries(p.reactions).flatMap(([reaction, who]) =>
      who.map((m, i) => ({ tenant_id: T, post_id: p.id, member_id: idOf(m), reaction, created_at: p.at + (i + 1) * 37 * MIN })),
    ),
  );

  // ── moderation: flags, the AI's hold, the hidden spam and the suspension ──────────────────────
  const postOf = (topicKey, replyIndex) => posts.find((p) => p.topic.key === topicKey && p.replyIndex === replyIndex);
  const flags = FLAGS.map(([topicKey, i, flagger, reason, note], n) => ({
    tenant_id: T,
    id: `fflag_demo_${n + 1}`,
    post_id: postOf(topicKey, i).id,
    flagger_id: idOf(flagger),
    reason,
    note,
    weight: 1,
    status: "pending",
    resolved_by_id: null,
    resolved_at: null,
    created_at: postOf(topicKey, i).at + (n + 1) * 20 * MIN,
  }));
  const aiReviews = posts
    .filter((p) => p.ai)
    .map((p) => ({
      tenant_id: T,
      post_id: p.id,
      verdict: "hold",
      labels: p.ai.labels,
      explanation: p.ai.explanation,
      model: "local-spam-rules-v1",
      overridden_by_id: null,
      overridden_at: null,
      created_at: p.at,
    }));
  const spamPost = posts.find((p) => p.author === "spam");
  const hiddenAt = spamPost.at + 50 * MIN;
  const actions = [
    {
      tenant_id: T,
      id: "fmod_demo_hide",
      actor_id: "usr_demo_sam",
      action: "hide",
      target_kind: "post",
      target_id: spamPost.id,
      reason: "Link spam",
      before: { status: "visible", hidden_reason: null },
      after: { status: "hidden", hidden_reason: "moderator" },
      reversed_by_id: null,
      reversed_at: null,
      created_at: hiddenAt,
    },
    {
      tenant_id: T,
      id: "fmod_demo_suspend",
      actor_id: "usr_demo_sam",
      action: "suspend",
      target_kind: "member",
      target_id: "eu_demo_spam",
      reason: "Link spam in replies",
      before: { suspended_until: null, sanction_reason: null },
      after: { suspended_until: suspendedUntil, sanction_reason: "Link spam in replies" },
      reversed_by_id: null,
      reversed_at: null,
      created_at: hiddenAt + 2 * MIN,
    },
  ];
  // Badges the counters earned (what refreshStanding would have awarded).
  const badges = members.flatMap((m) => {
    const out = [];
    if (m.post_count > 0) out.push("first_post");
    if (m.likes_given > 0) out.push("first_like");
    if (m.accepted_answers > 0) out.push("accepted_1");
    if (m.trust_level >= 3 && m.kind === "enduser") out.push("regular");
    return out.map((badge) => ({ tenant_id: T, member_id: m.id, badge, post_id: null, awarded_at: m.updated_at }));
  });

  const settings = insert("forum_settings", [
    {
      tenant_id: T,
      enabled: true,
      title: "Demo Co community",
      description: "Makers, questions and glaze notes from the Demo Co studio and its customers.",
      trust,
      rules,
      digest_hours: 24,
      updated_at: now - 40 * DAY,
    },
  ]);
  // The community's members who are not among the portal's seeded customers.
  const endUsers = insert(
    "end_users",
    EXTRA_END_USERS.map(([k, email, name, daysAgo]) => ({
      tenant_id: T,
      id: `eu_demo_${k}`,
      email,
      name,
      password_hash: null,
      email_verified_at: now - daysAgo * DAY,
      blocked_at: null,
      blocked_reason: null,
      external_id: null,
      source: "signup",
      invited_at: null,
      last_seen_at: now - DAY,
      created_at: now - daysAgo * DAY,
      updated_at: now - DAY,
    })),
  );
  return [
    settings,
    endUsers,
    insert("forum_members", members),
    insert("forum_categories", categories),
    // Topics before posts: the FTS insert trigger reads the topic's title for post number 1.
    insert("forum_topics", topics),
    insert("forum_posts", postRows),
    insert("forum_reactions", reactions),
    insert("forum_flags", flags),
    insert("forum_ai_reviews", aiReviews),
    insert("forum_mod_actions", actions),
    insert("forum_badges", badges),
  ].join("\n");
}
