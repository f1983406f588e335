import type { FusionConfidenceBasis, FusionKind, FusionSourceRef } from "../../../schema/fusion";
import {
  answerAfter,
  competitorsIn,
  contentTerms,
  isQuestion,
  objectionOf,
  overlap,
  sentencesOf,
  STRENGTH,
  WEAKNESS,
  type Conversation,
  type Utterance,
} from "./signals";

/**
 * The local fusion (`local-fusion-v1`, pure and deterministic): conversations → candidate documents
 * assembled from the actual quotes. Each candidate carries its evidence (source + passage) and a
 * confidence with its basis; the run turns candidates into documents (or updates them).
 */

export const LOCAL_FUSION = "local-fusion-v1";

export interface Candidate {
  kind: FusionKind;
  topicKey: string;
  title: string;
  body: string; // Markdown
  sources: FusionSourceRef[];
  confidence: number;
  basis: FusionConfidenceBasis;
  /** FAQs: question and answer for the knowledge FAQ entry. */
  faq?: { question: string; answer: string };
}

interface Evidence {
  conv: Conversation;
  quote: string;
  answer: { text: string; moved: boolean } | null;
}

const ref = (c: Conversation, quote: string, role: FusionSourceRef["role"]): FusionSourceRef => ({
  type: c.type,
  id: c.id,
  title: c.title,
  leadId: c.leadId,
  occurredAt: c.occurredAt,
  quote: quote.slice(0, 600),
  role,
});

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const cite = (c: Conversation) => `${c.type === "transcript" ? "Call" : "Email thread"} “${c.title}”, ${day(c.occurredAt)}`;
const q = (text: string) => `“${text.replace(/\s+/g, " ").trim()}”`;

/**
 * Independent sources = distinct leads (two calls with one lead are one voice), or the source itself
 * when it names no lead. Confidence = (1 − ½ⁿ) × (0.6 + 0.4 × agreement): one source 0.5 at most,
 * two 0.75, three 0.875; answers that disagree pull it down.
 */
export function confidenceOf(
  evidence: { conv: Conversation }[],
  agreement: number,
  what: string,
): { confidence: number; basis: FusionConfidenceBasis } {
  const voices = new Set(evidence.map((e) => e.conv.leadId ?? `${e.conv.type}:${e.conv.id}`));
  const convs = new Map(evidence.map((e) => [`${e.conv.type}:${e.conv.id}`, e.conv]));
  const n = voices.size;
  const transcripts = [...convs.values()].filter((c) => c.type === "transcript").length;
  const threads = convs.size - transcripts;
  const a = Math.max(0, Math.min(1, agreement));
  const confidence = Math.round((1 - 0.5 ** n) * (0.6 + 0.4 * a) * 100) / 100;
  const note = `${what} in ${n} independent source${n === 1 ? "" : "s"} (${transcripts} call${transcripts === 1 ? "" : "s"}, ${threads} email thread${threads === 1 ? "" : "s"}); agreement ${Math.round(a * 100)} %.`;
  return { confidence, basis: { sources: n, transcripts, threads, agreement: a, note } };
}

/** The answer most others agree with (moved the conversation first), and the share that agrees with it. */
function bestAnswer(evidence: Evidence[]): { answer: string | null; agreement: number; moved: boolean } {
  const answers = evidence.flatMap((e) => (e.answer ? [{ ...e.answer, terms: contentTerms(e.answer.text) }] : []));
  if (!answers.length) return { answer: null, agreement: 0.5, moved: false };
  const scored = answers.map((a) => ({
    a,
    support: answers.filter((b) => b === a || overlap(a.terms, b.terms) >= 0.3).length,
  }));
  scored.sort((x, y) => Number(y.a.moved) - Number(x.a.moved) || y.support - x.support);
  const top = scored[0];
  if (!top) return { answer: null, agreement: 0.5, moved: false };
  return { answer: top.a.text, agreement: top.support / answers.length, moved: top.a.moved };
}

function objectionHandlers(convs: Conversation[]): Candidate[] {
  const byKey = new Map<string, { label: string; evidence: Evidence[] }>();
  for (const c of convs)
    for (const s of sentencesOf(c)) {
      if (c.utterances[s.utterance]?.side !== "them") continue;
      const o = objectionOf(s.text);
      if (!o) continue;
      const entry = byKey.get(o.key) ?? { label: o.label, evidence: [] };
      if (!entry.evidence.some((e) => e.conv === c)) entry.evidence.push({ conv: c, quote: s.text, answer: answerAfter(c, s.utterance) });
      byKey.set(o.key, entry);
    }
  return [...byKey.entries()].map(([key, { label, evidence }]) => {
    const best = bestAnswer(evidence);
    const { confidence, basis } = confidenceOf(evidence, best.agreement, "Heard");
    const heard = evidence[0]?.quote ?? label;
    const lines = [
      `**Objection:** ${label}`,
      "",
      "## What prospects say",
      ...evidence.map((e) => `- ${q(e.quote)} — ${cite(e.conv)}`),
      "",
      "## The answer that moved the deal",
      best.answer
        ? `${q(best.answer)}${best.moved ? " — the prospect reacted well to this." : " — no clear reaction recorded; review before use."}`
        : "_No answer to this objection is in the sources yet: write one before publishing._",
      ...(evidence.filter((e) => e.answer && e.answer.text !== best.answer).length
        ? [
            "",
            "## Other answers given",
            ...evidence
              .filter((e) => e.answer && e.answer.text !== best.answer)
              .map((e) => `- ${q(e.answer?.text ?? "")} — ${cite(e.conv)}`),
          ]
        : []),
    ];
    return {
      kind: "objection_handler" as const,
      topicKey: key,
      title: `Objection: ${q(heard.length > 90 ? `${heard.slice(0, 87)}…` : heard)}`,
      body: lines.join("\n"),
      sources: evidence.flatMap((e) => [ref(e.conv, e.quote, "evidence"), ...(e.answer ? [ref(e.conv, e.answer.text, "answer")] : [])]),
      confidence,
      basis,
    };
  });
}

function faqs(convs: Conversation[]): Candidate[] {
  const clusters: { terms: string[]; evidence: Evidence[] }[] = [];
  for (const c of convs)
    for (const s of sentencesOf(c)) {
      if (c.utterances[s.utterance]?.side !== "them" || !isQuestion(s.text)) continue;
      const t = contentTerms(s.text);
      const home = clusters.find((k) => overlap(k.terms, t) >= 0.6 && k.terms.filter((x) => t.includes(x)).length >= 2);
      const ev = { conv: c, quote: s.text, answer: answerAfter(c, s.utterance) };
      if (home) {
        if (!home.evidence.some((e) => e.conv === c)) home.evidence.push(ev);
      } else clusters.push({ terms: t, evidence: [ev] });
    }
  return clusters
    .filter((k) => k.evidence.some((e) => e.answer))
    .map((k) => {
      const best = bestAnswer(k.evidence);
      const { confidence, basis } = confidenceOf(k.evidence, best.agreement, "Asked");
      const question = k.evidence[0]?.quote ?? "";
      const answer = best.answer ?? "";
      const body = [
        answer,
        "",
        "## Asked in",
        ...k.evidence.map((e) => `- ${q(e.quote)} — ${cite(e.conv)}`),
        ...(k.evidence.length > 1
          ? ["", "## Answers given", ...k.evidence.filter((e) => e.answer).map((e) => `- ${q(e.answer?.text ?? "")} — ${cite(e.conv)}`)]
          : []),
      ].join("\n");
      return {
        kind: "faq" as const,
        topicKey: [...k.terms].sort().slice(0, 8).join(" "),
        title: question,
        body,
        sources: k.evidence.flatMap((e) => [ref(e.conv, e.quote, "evidence"), ...(e.answer ? [ref(e.conv, e.answer.text, "answer")] : [])]),
        confidence,
        basis,
        faq: { question, answer },
      };
    });
}

function battleCards(convs: Conversation[], exclude: Set<string>): Candidate[] {
  const names = new Map<string, string>(); // lower → as written first
  for (const c of convs)
    for (const s of sentencesOf(c))
      for (const n of competitorsIn(s.text, exclude)) if (!names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
  const out: Candidate[] = [];
  for (const [key, name] of names) {
    const mention = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i");
    const heard: Evidence[] = [];
    const strengths: Evidence[] = [];
    const weaknesses: Evidence[] = [];
    const answers: Evidence[] = [];
    for (const c of convs)
      for (const s of sentencesOf(c)) {
        if (!mention.test(s.text)) continue;
        const side = c.utterances[s.utterance]?.side;
        if (side === "us") {
          answers.push({ conv: c, quote: s.text, answer: null });
          continue;
        }
        const answer = answerAfter(c, s.utterance);
        const ev = { conv: c, quote: s.text, answer };
        heard.push(ev);
        // "Easy to use but slow": the part before "but" can praise while the rest complains.
        const [praise = "", ...rest] = s.text.split(/\b(?:but|although|though|however)\b/i);
        if (STRENGTH.test(praise) && !WEAKNESS.test(praise)) strengths.push(ev);
        if (WEAKNESS.test(rest.length ? rest.join(" ") : praise)) weaknesses.push(ev);
        if (answer && !answers.some((a) => a.quote === answer.text)) answers.push({ conv: c, quote: answer.text, answer });
      }
    if (!heard.length) continue;
    const moved = answers.filter((a) => a.answer?.moved).length;
    const agreement = answers.length ? Math.max(moved / answers.length, 0.5) : 0.5;
    const { confidence, basis } = confidenceOf(heard, agreement, "Named");
    const list = (xs: Evidence[], none: string) => (xs.length ? xs.map((e) => `- ${q(e.quote)} — ${cite(e.conv)}`) : [none]);
    out.push({
      kind: "battle_card",
      topicKey: key,
      title: `Battle card: ${name}`,
      body: [
        `**Competitor:** ${name} — named by prospects in ${basis.sources} source${basis.sources === 1 ? "" : "s"}.`,
        "",
        "## Where we meet them",
        ...list(heard.slice(0, 6), "_—_"),
        "",
        "## Their strengths (as prospects tell it)",
        ...list(strengths, "_None said yet._"),
        "",
        "## Where they fall short",
        ...list(weaknesses, "_None said yet._"),
        "",
        "## Our answers",
        ...list(answers, "_No answer in the sources yet: write one before publishing._").map((l) =>
          answers.find((a) => l.includes(a.quote))?.answer?.moved ? `${l} (the prospect reacted well)` : l,
        ),
      ].join("\n"),
      sources: [
        ...heard.map((e) => ref(e.conv, e.quote, "evidence" as const)),
        ...answers.map((e) => ref(e.conv, e.quote, "answer" as const)),
      ],
      confidence,
      basis,
    });
  }
  return out;
}

type VariantSeen = NonNullable<Utterance["variant"]> & { opening: string; subject: string };
const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)} %` : "—");

/** What worked in email: per sequence, each step's best variant by positive-reply rate, with the replies it got. */
function playbooks(convs: Conversation[]): Candidate[] {
  type Seq = { name: string; evidence: Evidence[]; variants: Map<string, VariantSeen> };
  const bySequence = new Map<string, Seq>();
  for (const c of convs) {
    if (c.type !== "thread") continue;
    c.utterances.forEach((u, i) => {
      if (u.side !== "us" || !u.variant) return;
      const key = u.variant.sequenceName.toLowerCase() || "sequence";
      const entry: Seq = bySequence.get(key) ?? { name: u.variant.sequenceName || "Sequence", evidence: [], variants: new Map() };
      entry.variants.set(u.variant.id, {
        ...u.variant,
        opening: sentencesOf({ ...c, utterances: [u] })[0]?.text ?? "",
        subject: u.subject ?? "",
      });
      const reply = c.utterances.slice(i + 1).find((x) => x.side === "them");
      if (reply?.sentiment === "positive" && !entry.evidence.some((e) => e.conv === c))
        entry.evidence.push({ conv: c, quote: reply.text.split(/\n/)[0] ?? reply.text, answer: { text: u.text, moved: true } });
      bySequence.set(key, entry);
    });
  }
  const out: Candidate[] = [];
  for (const [key, s] of bySequence) {
    if (!s.evidence.length) continue; // nothing worked yet: no playbook
    const steps = new Map<number, VariantSeen[]>();
    for (const v of s.variants.values()) steps.set(v.step, [...(steps.get(v.step) ?? []), v]);
    const lines = [`**Sequence:** ${s.name}. What earned positive replies, with the reply rates it rests on.`, ""];
    let replied = 0;
    let positive = 0;
    for (const [step, vs] of [...steps.entries()].sort((a, b) => a[0] - b[0])) {
      vs.sort((a, b) => b.positiveReplies / Math.max(1, b.sent) - a.positiveReplies / Math.max(1, a.sent));
      const best = vs[0];
      if (!best) continue;
      replied += best.replies;
      positive += best.positiveReplies;
      lines.push(
        `## Step ${step} — variant ${best.label}`,
        `Subject: ${q(best.subject)}`,
        `Opening: ${q(best.opening)}`,
        `${best.sent} sent, ${best.replies} replies (${pct(best.replies, best.sent)}), ${best.positiveReplies} positive (${pct(best.positiveReplies, best.sent)}).`,
        ...vs.slice(1).map((o) => `- beside variant ${o.label}: ${o.sent} sent, ${pct(o.positiveReplies, o.sent)} positive`),
        "",
      );
    }
    lines.push("## Replies it earned", ...s.evidence.map((e) => `- ${q(e.quote)} — ${cite(e.conv)}`));
    const { confidence, basis } = confidenceOf(s.evidence, replied ? positive / replied : 0.5, "Positive replies");
    out.push({
      kind: "playbook",
      topicKey: key,
      title: `Playbook: ${s.name}`,
      body: lines.join("\n"),
      sources: s.evidence.flatMap((e) => [ref(e.conv, e.quote, "evidence"), ref(e.conv, e.answer?.text ?? "", "answer")]),
      confidence,
      basis,
    });
  }
  return out;
}

/** Every candidate the conversations support. `exclude`: names that are ours (the workspace, the product). */
export function fuse(convs: Conversation[], exclude: Set<string> = new Set()): Candidate[] {
  return [...battleCards(convs, exclude), ...playbooks(convs), ...objectionHandlers(convs), ...faqs(convs)];
}
