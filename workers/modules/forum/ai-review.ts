import { eq } from "drizzle-orm";
import { forumAiReviews, forumModActions } from "../../../schema/forum-moderation";
import { forumPosts } from "../../../schema/forum";
import type { Db } from "../../platform/db";
import { tenantScope } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { complete } from "../ai";

const log = createLogger({ component: "forum-ai-review" });

/** The model name logged for decisions made by the built-in rules (no AI model involved). */
export const LOCAL_CLASSIFIER = "local-spam-rules-v1";

export interface AiVerdict {
  verdict: "allow" | "hold";
  labels: string[];
  explanation: string;
  /** `provider/model` of the model that decided, or LOCAL_CLASSIFIER. */
  model: string;
}

export interface ReviewInput {
  title: string | null;
  text: string;
  links: number;
  images: number;
}

/** Phrases that almost only appear in spam (lower-case, matched as substrings). */
const SPAM_PHRASES = [
  "buy now",
  "click here",
  "limited time offer",
  "act now",
  "free money",
  "work from home",
  "earn $",
  "make money fast",
  "100% free",
  "casino",
  "viagra",
  "cialis",
  "crypto giveaway",
  "double your bitcoin",
  "cheap replica",
  "payday loan",
  "weight loss pills",
  "seo services",
  "backlinks",
  "whatsapp me",
  "dm me on telegram",
];
const ABUSE_WORDS = ["idiot", "moron", "stupid", "shut up", "kill yourself", "kys", "retard", "scum"];

/**
 * The local default classifier: labelled spam signals, deterministic, no network. Used when the
 * workspace's AI chain has no model that can classify (the gateway's built-in local answerer only
 * quotes the knowledge base), and when the model's answer cannot be read.
 * Signals: link density, repeated text, known spam phrases, shouting, abusive words.
 */
export function localClassify(input: ReviewInput): AiVerdict {
  const full = `${input.title ?? ""}\n${input.text}`;
  const lower = full.toLowerCase();
  const words = lower.match(/[\p{L}\p{N}$%']+/gu) ?? [];
  const labels: string[] = [];
  const why: string[] = [];
  let score = 0;

  const linkCount = input.links + input.images;
  const density = words.length ? linkCount / words.length : linkCount;
  if (linkCount >= 3 && density > 0.08) {
    score += 2;
    labels.push("link-density");
    why.push(`${linkCount} links in ${words.length} words`);
  }
  const phrases = SPAM_PHRASES.filter((p) => lower.includes(p));
  if (phrases.length) {
    score += phrases.length >= 2 ? 3 : 2;
    labels.push("spam-phrases");
    why.push(`spam phrases: ${phrases.slice(0, 4).join(", ")}`);
  }
  if (words.length >= 12) {
    const counts = new Map<string, number>();
    for (const w of words) if (w.length > 2) counts.set(w, (counts.get(w) ?? 0) + 1);
    const top = Math.max(0, ...counts.values());
    const distinct = new Set(words).size / words.length;
    if (top / words.length > 0.3 || distinct < 0.3) {
      score += 2;
      labels.push("repeated-text");
      why.push(`repeated text (${Math.round(distinct * 100)}% distinct words)`);
    }
  }
  const letters = full.replace(/[^\p{L}]/gu, "");
  const upper = full.replace(/[^\p{Lu}]/gu, "");
  if (letters.length >= 20 && upper.length / letters.length > 0.7) {
    score += 1;
    labels.push("shouting");
    why.push("mostly capital letters");
  }
  const abuse = ABUSE_WORDS.filter((w) => new RegExp(`\\b${w}\\b`).test(lower));
  if (abuse.length) {
    score += 2;
    labels.push("abusive");
    why.push("abusive language");
  }
  const verdict = score >= 3 ? "hold" : "allow";
  return {
    verdict,
    labels,
    explanation: why.length ? `${verdict === "hold" ? "Held" : "Allowed"} by the built-in rules: ${why.join("; ")}.` : "No spam signals.",
    model: LOCAL_CLASSIFIER,
  };
}

const SYSTEM = `You moderate posts in an online community forum. Decide whether the post is spam, abusive or otherwise should be held for a human moderator.
Answer with JSON only, no prose: {"verdict":"allow"|"hold","labels":["spam"|"abusive"|"off-topic"|"self-promotion"|...],"explanation":"one short sentence"}.
Hold only clear spam, scams, advertising, harassment or hate; ordinary questions, complaints and disagreement are allowed.`;

/** Reads the model's JSON answer; null when it is not one (the caller then uses the local rules). */
export function parseVerdict(text: string): Omit<AiVerdict, "model"> | null {
  const m = text.match(/\{[\s\S]*\}/);
  if (!m) return null;
  try {
    const o = JSON.parse(m[0]) as { verdict?: unknown; labels?: unknown; explanation?: unknown };
    if (o.verdict !== "allow" && o.verdict !== "hold") return null;
    const labels = Array.isArray(o.labels) ? o.labels.filter((l): l is string => typeof l === "string").slice(0, 8) : [];
    return { verdict: o.verdict, labels, explanation: typeof o.explanation === "string" ? o.explanation.slice(0, 500) : "" };
  } catch {
    return null;
  }
}

/**
 * Asks the workspace's AI chain (through the gateway: metered, PII-redacted, logged in ai_calls)
 * whether a post should be held. When the answering link is the built-in local answerer (no key
 * configured — it cannot classify), the gateway is unavailable, or the answer is not the JSON
 * asked for, the local rules decide, and the decision says so in `model`.
 */
export async function classifyPost(env: Env, db: Db, tenantId: string, input: ReviewInput): Promise<AiVerdict> {
  const content = `${input.title ? `Title: ${input.title}\n` : ""}Links: ${input.links}, images: ${input.images}\n\n${input.text.slice(0, 6000)}`;
  try {
    const r = await complete({
      db,
      env,
      tenantId,
      operation: "complete",
      surface: "forum",
      system: SYSTEM,
      messages: [{ role: "user", content }],
      settings: { temperature: 0, maxOutputTokens: 200 },
    });
    if (!r.local) {
      const parsed = parseVerdict(r.text);
      if (parsed) return { ...parsed, model: `${r.provider}/${r.model}` };
      log.warn("forum_ai_unreadable", { tenant_id: tenantId, model: r.model });
    }
  } catch (e) {
    log.warn("forum_ai_unavailable", { tenant_id: tenantId, error: String(e) });
  }
  return localClassify(input);
}

/**
 * Decisions made in `screenNewPost` wait here until `afterPostWritten` logs them against the new
 * post's id: both run in the same request (so the same isolate), and keying by tenant, author and
 * text finds the decision without asking the model twice. Entries older than a minute are dropped.
 */
const pending = new Map<string, { at: number; verdict: AiVerdict }>();
const pendingKey = (tenantId: string, authorId: string, text: string) => `${tenantId}\u0000${authorId}\u0000${text}`;

export function rememberVerdict(tenantId: string, authorId: string, text: string, verdict: AiVerdict, now = Date.now()) {
  for (const [k, v] of pending) if (now - v.at > 60_000) pending.delete(k);
  pending.set(pendingKey(tenantId, authorId, text), { at: now, verdict });
}

function takeVerdict(tenantId: string, authorId: string, text: string): AiVerdict | null {
  const k = pendingKey(tenantId, authorId, text);
  const hit = pending.get(k);
  pending.delete(k);
  return hit ? hit.verdict : null;
}

/**
 * Logs the AI decision for a just-written post (forum_ai_reviews) and, when it held the post, the
 * `ai_hold` moderation action (actor "ai") that staff can override or reverse. A post screened
 * without a decision (AI moderation off, staff) is left alone.
 */
export async function logDecision(db: Db, tenantId: string, postId: string): Promise<void> {
  const scope = tenantScope(db, tenantId);
  const [post] = await db
    .select({ id: forumPosts.id, authorId: forumPosts.authorId, searchText: forumPosts.searchText, status: forumPosts.status })
    .from(forumPosts)
    .where(scope.where(forumPosts, eqId(postId)))
    .limit(1);
  if (!post) return;
  const v = takeVerdict(tenantId, post.authorId, post.searchText);
  if (!v) return;
  const now = Date.now();
  const review = db
    .insert(forumAiReviews)
    .values({ tenantId, postId, verdict: v.verdict, labels: v.labels, explanation: v.explanation, model: v.model, createdAt: now })
    .onConflictDoNothing();
  if (v.verdict === "hold" && post.status === "pending") {
    await db.batch([
      review,
      db.insert(forumModActions).values({
        tenantId,
        id: newId("fmod"),
        actorId: "ai",
        action: "ai_hold",
        targetKind: "post",
        targetId: postId,
        reason: v.explanation,
        before: { status: "visible" },
        after: { status: "pending", labels: v.labels, model: v.model },
        createdAt: now,
      }),
    ]);
  } else await review;
}

const eqId = (id: string) => eq(forumPosts.id, id);
