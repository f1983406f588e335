import { type Candidate, cite, confidenceOf, type Evidence, q, ref } from "./candidate";
import { answerAfter, competitorsIn, sentencesOf, STRENGTH, WEAKNESS, type Conversation } from "./signals";

/** Battle cards: per competitor prospects name, where we meet them, their strengths and weaknesses, our answers. */
export function battleCards(convs: Conversation[], exclude: Set<string>): Candidate[] {
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
