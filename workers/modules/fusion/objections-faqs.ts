import { bestAnswer, type Candidate, cite, confidenceOf, type Evidence, q, ref } from "./candidate";
import { answerAfter, contentTerms, isQuestion, objectionOf, overlap, sentencesOf, type Conversation } from "./signals";

/** Candidates from what prospects raise: objection handlers (objection + the answer that moved the deal) and FAQs. */
export function objectionHandlers(convs: Conversation[]): Candidate[] {
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

export function faqs(convs: Conversation[]): Candidate[] {
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
