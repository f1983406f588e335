import { type Candidate, cite, confidenceOf, type Evidence, q, ref } from "./candidate";
import { sentencesOf, type Conversation, type Utterance } from "./signals";

type VariantSeen = NonNullable<Utterance["variant"]> & { opening: string; subject: string };
const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)} %` : "—");

/** What worked in email: per sequence, each step's best variant by positive-reply rate, with the replies it got. */
export function playbooks(convs: Conversation[]): Candidate[] {
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
