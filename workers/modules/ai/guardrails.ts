import type { ClaimRule, Disclaimer } from "../../../schema/ai-safety";

/**
 * The AI safety console's rules, pure (no I/O): text in, the rules that fired (each with the words
 * that matched and a snippet around them) and what should happen to the text out. The service
 * (guardrails.service.ts) loads a workspace's rules and logs the decision; docs/ai-safety.md
 * explains them to users.
 *
 * Matching is case-insensitive on word boundaries (letters and digits on either side do not
 * count as a match, so "contract" does not fire inside "contractor"… unless a stem allows it).
 * Blocked phrases match as written (any run of spaces between words); blocked topics match as
 * phrases whose words may carry a simple English suffix (gambling ~ gamble, gamblers).
 */
export type Surface = "chat" | "writer" | "assistant" | "forum" | "voice" | "fusion" | "eval" | "other";
export const SURFACES: readonly Surface[] = ["chat", "writer", "assistant", "forum", "voice", "fusion", "eval", "other"];
/** Answers shown to a visitor as they are produced: nobody can approve them first, so "hold" means "do not show". */
export const LIVE_SURFACES: readonly Surface[] = ["chat", "assistant"];

export type SafetyAction = "allowed" | "modified" | "held" | "blocked";
export interface FiredRule {
  rule: string; // "blocked_topic:<topic>" | "blocked_phrase:<phrase>" | "claim_<kind>:<label>" | "disclaimer:<surface>"
  match: string;
  snippet?: string;
}
export interface GuardrailRules {
  blockedTopics: string[];
  blockedPhrases: string[];
  disclaimers: Disclaimer[];
  claimRules: ClaimRule[];
  onBlocked: "hold" | "block";
}
export interface SafetyDecision {
  action: SafetyAction;
  text: string;
  rules: FiredRule[];
}

export const NO_RULES: GuardrailRules = { blockedTopics: [], blockedPhrases: [], disclaimers: [], claimRules: [], onBlocked: "hold" };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const B = "(?<![\\p{L}\\p{N}])"; // start of a word
const E = "(?![\\p{L}\\p{N}])"; // end of a word

/** Words of a phrase joined by any whitespace (and hyphens between words), as a regex source. */
const phraseSource = (phrase: string, word: (w: string) => string) =>
  phrase
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean)
    .map(word)
    .join("[\\s-]+");

const SUFFIXES = ["ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "s", "e", "y"];
/** A simple stem: the word without one common suffix, when at least four letters remain. */
export function stem(word: string): string {
  const w = word.toLowerCase();
  for (const s of SUFFIXES) if (w.endsWith(s) && w.length - s.length >= 4) return w.slice(0, -s.length);
  return w;
}

export const phraseRegex = (phrase: string) => new RegExp(`${B}${phraseSource(phrase, escapeRe)}${E}`, "giu");
/** A topic: each word by its stem followed by up to four more letters. */
export const topicRegex = (topic: string) =>
  new RegExp(`${B}${phraseSource(topic, (w) => (/^[\p{L}]+$/u.test(w) ? `${escapeRe(stem(w))}\\p{L}{0,4}` : escapeRe(w)))}${E}`, "giu");

/** Built-in claim patterns (the tenant switches each kind on with a claim rule). */
const CURRENCY = "(?:usd|eur|gbp|chf|cad|aud|dollars?|euros?|pounds?|bucks)";
export const CLAIM_PATTERNS: Record<Exclude<ClaimRule["kind"], "custom">, RegExp> = {
  // Currency amounts ($49, €1.200,50, 30 USD), percentages off, discounts.
  price: new RegExp(
    [
      `[$€£¥]\\s?\\d[\\d.,]*(?:\\s?(?:k|m|per\\s+\\w+|/\\w+))?`,
      `${B}\\d[\\d.,]*\\s?${CURRENCY}${E}`,
      `${B}\\d{1,3}(?:[.,]\\d+)?\\s?(?:%|percent)\\s+(?:off|discount)${E}`,
      `${B}discount(?:s|ed)?${E}`,
      `${B}(?:price|pricing)\\s+(?:cut|drop|match)${E}`,
    ].join("|"),
    "giu",
  ),
  legal: new RegExp(
    `${B}(?:guarantee[sd]?|warrant(?:y|ies|ed)|liabilit(?:y|ies)|liable|contracts?|contractual(?:ly)?|indemnif\\p{L}*|legally\\s+binding|compliant\\s+with|certified)${E}`,
    "giu",
  ),
  guarantee: new RegExp(`${B}(?:guaranteed?|risk[\\s-]free|no\\s+risk|100\\s?%|promise[sd]?|never\\s+fails?|always\\s+works)${E}`, "giu"),
};

/** A custom claim rule: phrases separated by "|", matched like blocked phrases. */
export function customClaimRegex(pattern: string): RegExp | null {
  const parts = pattern
    .split("|")
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  return new RegExp(`${B}(?:${parts.map((p) => phraseSource(p, escapeRe)).join("|")})${E}`, "giu");
}

const snippetOf = (text: string, index: number, length: number) => {
  const from = Math.max(0, index - 40);
  const to = Math.min(text.length, index + length + 40);
  return `${from > 0 ? "…" : ""}${text.slice(from, to).replace(/\s+/g, " ").trim()}${to < text.length ? "…" : ""}`;
};

/** Every match of `re` in `text` (first three per rule are plenty to show a reviewer). */
function matches(re: RegExp, text: string, rule: string): FiredRule[] {
  const out: FiredRule[] = [];
  for (const m of text.matchAll(re)) {
    out.push({ rule, match: m[0], snippet: snippetOf(text, m.index ?? 0, m[0].length) });
    if (out.length >= 3) break;
  }
  return out;
}

const disclaimersFor = (rules: GuardrailRules, surface: Surface) =>
  rules.disclaimers.filter((d) => d.surface === "all" || d.surface === surface);

/**
 * What the rules say about an AI output on a surface. Precedence: blocked > held > modified >
 * allowed. Blocked topics and phrases do what `onBlocked` says (hold or block); claims need
 * approval (held); on live surfaces (chat, the assistant) anything held is blocked instead, as
 * nobody can approve an answer a visitor is waiting for. Required disclaimers for the surface
 * are appended (once: a text that already carries one is left alone) → "modified". `text` is the
 * text to use: with the disclaimers (also when held, so the approved text is complete).
 */
export function evaluate(rules: GuardrailRules, surface: Surface, input: string): SafetyDecision {
  const fired: FiredRule[] = [];
  let blocking = false;
  let holding = false;
  for (const topic of rules.blockedTopics) {
    if (!topic.trim()) continue;
    const m = matches(topicRegex(topic), input, `blocked_topic:${topic.trim()}`);
    if (m.length) {
      fired.push(...m);
      blocking = true;
    }
  }
  for (const phrase of rules.blockedPhrases) {
    if (!phrase.trim()) continue;
    const m = matches(phraseRegex(phrase), input, `blocked_phrase:${phrase.trim()}`);
    if (m.length) {
      fired.push(...m);
      blocking = true;
    }
  }
  for (const c of rules.claimRules) {
    const re = c.kind === "custom" ? (c.pattern ? customClaimRegex(c.pattern) : null) : CLAIM_PATTERNS[c.kind];
    if (!re) continue;
    const m = matches(re, input, `claim_${c.kind}:${c.label}`);
    if (m.length) {
      fired.push(...m);
      holding = true;
    }
  }
  let text = input;
  const missing = disclaimersFor(rules, surface).filter((d) => d.text.trim() && !input.toLowerCase().includes(d.text.trim().toLowerCase()));
  for (const d of missing) {
    text = `${text.trimEnd()}\n\n${d.text.trim()}`;
    fired.push({ rule: `disclaimer:${d.surface}`, match: d.text.trim().slice(0, 80) });
  }
  const live = LIVE_SURFACES.includes(surface);
  let action: SafetyAction = missing.length ? "modified" : "allowed";
  if (holding) action = live ? "blocked" : "held";
  if (blocking) action = rules.onBlocked === "block" || live ? "blocked" : "held";
  return { action, text, rules: fired };
}

/** What a visitor sees instead of an answer a rule blocked: a refusal that hands over to a person. */
export const SAFE_REFUSAL = "I can't answer that here. Choose **Talk to a person** and someone from the team will get back to you.";

/** Rules that can stop a text (not just append a disclaimer): answers are held back until complete when any exist. */
export const hasBlockingRules = (r: GuardrailRules) =>
  r.blockedTopics.some((t) => t.trim()) || r.blockedPhrases.some((p) => p.trim()) || r.claimRules.length > 0;

/** Rule names for the call log (`ai_calls.rules_fired`): each fired rule once. */
export const ruleNames = (rules: FiredRule[]) => [...new Set(rules.map((r) => r.rule))];
