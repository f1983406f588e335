// Writes bench/results/retrieval.md from the result object of bench/retrieval.mjs.
import { writeFileSync } from "node:fs";

const f4 = (x) => x.toFixed(4);
const sgn = (x) => (x >= 0 ? `+${f4(x)}` : f4(x));
const ci = (b) =>
  `${sgn(b.delta)} | [${sgn(b.ci95[0])}, ${sgn(b.ci95[1])}] | ${b.share_at_or_below_zero.toFixed(3)} | ${b.wins} / ${b.ties} / ${b.losses}`;
const beats = (b) => (b.ci95[0] > 0 ? "yes" : "**no**");

export function writeRetrievalReport(file, r, grid) {
  const L = r.legs;
  const B = r.noise.held_out_bootstrap;
  const sL = r.noise.repeated_splits_local;
  const sN = r.noise.repeated_splits_no_feedback;
  const sR = r.noise.repeated_splits_local_rank_feedback_only;
  const sS = r.noise.repeated_splits_shipped_fixed;
  const sB = r.noise.repeated_splits_before_fixed;
  const dims = Number(/\((\d+)-d/.exec(r.embedder)?.[1] ?? 0);
  const fb = r.shipped.feedback;
  const wLocal = r.shipped.fusion.local_index.weights;
  const wNoFb = r.shipped.fusion.vectorize_local_embedder.weights;
  const splitRow = (label, s, k) => {
    const v = s[`held_delta_vs_${k}`];
    return `| ${label} | ${k === "fts" ? "full-text" : "vector"} | ${sgn(v.mean)} | ${f4(v.sd)} | ${sgn(v.p5)} | ${sgn(v.min)} | ${v.positive}/${s.splits} | ${v.ci_above_zero}/${s.splits} |`;
  };
  const gridTable = (rows, fbs) => {
    const head = `| feedback \\ w_fts | ${grid.W_GRID.join(" | ")} |\n|---|${grid.W_GRID.map(() => "---").join("|")}|`;
    const lines = fbs.map((fbk) => {
      const cells = grid.W_GRID.map((w) => {
        const e = rows.find((x) => x.config === `rrf w_fts=${w} fb=${fbk}`);
        if (!e) return "";
        return `${f4(e.tune)} / ${f4(e.held)}`;
      });
      return `| ${fbk} | ${cells.join(" | ")} |`;
    });
    return [head, ...lines].join("\n");
  };
  const md = `# Retrieval benchmark (SciFact, BEIR test split): tuned on one half, judged on the other

\`npm run bench -- retrieval\` — ${r.date}

${r.queries} public queries over ${r.documents} abstracts (${r.chunks} chunks), one tenant, local embedder
\`${r.embedder}\`. Runtime: ${r.runtime}.

**Split.** The ${r.queries} queries, sorted by id, are shuffled with a seeded PRNG (${r.split.prng}; seed
${r.split.seed}, fixed before any result was seen) and cut into a **tuning half (${r.split.tune})** and a
**held-out half (${r.split.held_out})**. Every choice below (feedback on/off and its setting, the fusion
weight, the other fusions' parameters) is the argmax of mean nDCG@10 on the tuning half; the held-out
half is only reported. The bench fails when the product's constants (\`fuse.ts\` FUSION,
\`retrieval-core.ts\` FEEDBACK) differ from the tuning half's choice, and it measures the product's own
\`searchLegs()\` (the candidate half of \`retrieve()\`), checking it ranks exactly as the grid entry it
claims to be. Shipped: ${r.shipped.matches_tuning ? "matches the tuning choice" : "**does not match the tuning choice**"} (\`${r.shipped.tuning_pick_local}\`).
What the grid contains (1/rank feedback, the weights) came out of exploration that looked at all
${r.queries} queries, held-out half included; only the choice within the grid is blind to the held-out half.
The previous fusion (last row of the result table) lost to full-text on the product owner's own
held-out SciFact queries (0.697 vs 0.701); here it scores ${sgn(L.before.tune - L.fts.tune)} against full-text on the tuning half
and beats it beyond noise on ${sB.held_delta_vs_fts.ci_above_zero} of ${sB.splits} random halves (the shipped setting, partly in-sample: ${sS.held_delta_vs_fts.ci_above_zero}), the fragility this
change addresses.

## Result

| path | tuning nDCG@10 | **held-out nDCG@10** | all ${r.queries} | held-out Recall@100 | p50 ms | p95 ms |
|---|---|---|---|---|---|---|
| full-text (FTS5 BM25) | ${f4(L.fts.tune)} | **${f4(L.fts.held)}** | ${f4(L.fts.all)} | ${f4(L.fts.recall100_held)} | ${r.p50_ms_fts} | ${r.p95_ms_fts} |
| vector (local embedder, exact cosine) | ${f4(L.vector.tune)} | **${f4(L.vector.held)}** | ${f4(L.vector.all)} | ${f4(L.vector.recall100_held)} | ${r.p50_ms_vector} | ${r.p95_ms_vector} |
| **hybrid, local index (ships): feedback from the top ${fb.docs} FTS hits (1/rank, weight ${fb.weight}), RRF k=60, weights FTS ${wLocal[0]} : vector ${wLocal[1]}** | ${f4(L.hybrid.tune)} | **${f4(L.hybrid.held)}** | ${f4(L.hybrid.all)} | ${f4(L.hybrid.recall100_held)} | ${r.p50_ms} | ${r.p95_ms} |
| hybrid without feedback (the Vectorize path with the local embedder): RRF k=60, weights ${wNoFb[0]} : ${wNoFb[1]} | ${f4(L.hybrid_no_feedback.tune)} | **${f4(L.hybrid_no_feedback.held)}** | ${f4(L.hybrid_no_feedback.all)} | ${f4(L.hybrid_no_feedback.recall100_held)} | ${r.p50_ms_no_feedback} | ${r.p95_ms_no_feedback} |
| before this change: feedback from the top 3 (uniform, 0.5), RRF k=60, equal weights | ${f4(L.before.tune)} | ${f4(L.before.held)} | ${f4(L.before.all)} | ${f4(L.before.recall100_held)} | | |

Each leg contributes ${r.shipped.candidates_per_leg} candidates (the product's \`CANDIDATES\`), so Recall@100 is over the fused
list of at most ${2 * r.shipped.candidates_per_leg} chunks (a single leg: its ${r.shipped.candidates_per_leg}). References on this split: BM25 0.665 (BEIR paper),
0.679 (Anserini); bge-base dense 0.741.

## Noise

The pipeline is deterministic (hashed embedder, SQLite FTS5, ties broken by id): running the bench
again gives the same per-query scores (fingerprint \`${r.noise.run_to_run.split(" ").pop()}\`), so there is no run-to-run noise in
quality, only in latency. What is uncertain is the sample of queries. Two measures:

**Paired bootstrap over the held-out queries** (${r.noise.bootstrap_resamples} resamples of the per-query differences, 95% percentile interval):

| comparison (held-out half) | Δ nDCG@10 | 95% CI | resampled Δ ≤ 0 | queries won / tied / lost | beats the leg beyond noise (CI above 0) |
|---|---|---|---|---|---|
| hybrid (ships) − full-text | ${ci(B.hybrid_vs_fts)} | ${beats(B.hybrid_vs_fts)} |
| hybrid (ships) − vector | ${ci(B.hybrid_vs_vector)} | ${beats(B.hybrid_vs_vector)} |
| hybrid without feedback − full-text | ${ci(B.no_feedback_vs_fts)} | ${beats(B.no_feedback_vs_fts)} |
| hybrid without feedback − vector | ${ci(B.no_feedback_vs_vector)} | ${beats(B.no_feedback_vs_vector)} |
| before this change − full-text | ${ci(B.before_vs_fts)} | ${beats(B.before_vs_fts)} |

**The whole procedure over ${sL.splits} other random splits** (seeds 1001…): tune on that split's first half
over the same grid, measure the chosen setting on its second half against each leg. The last four rows
keep one setting fixed instead of re-tuning, to compare the shipped setting with the one it replaces.

| path | vs | mean held-out Δ | sd | 5th pct | min | Δ > 0 | bootstrap CI above 0 |
|---|---|---|---|---|---|---|---|
${splitRow("hybrid, local index (grid with feedback)", sL, "fts")}
${splitRow("hybrid, local index (grid with feedback)", sL, "vector")}
${splitRow("hybrid, local index, grid with 1/rank feedback only", sR, "fts")}
${splitRow("hybrid, local index, grid with 1/rank feedback only", sR, "vector")}
${splitRow("hybrid without feedback (w grid)", sN, "fts")}
${splitRow("hybrid without feedback (w grid)", sN, "vector")}
${splitRow("shipped setting, fixed (partly in-sample)", sS, "fts")}
${splitRow("shipped setting, fixed (partly in-sample)", sS, "vector")}
${splitRow("before this change, fixed", sB, "fts")}
${splitRow("before this change, fixed", sB, "vector")}

Most frequent choices across those splits (local index): ${sL.picks.map((p) => `\`${p.pick}\` ×${p.splits}`).join(", ")}.
The uniform-feedback entries swing most between halves (see the grid below) and are what makes the full-grid
procedure lose to full-text on some splits; the "1/rank feedback only" rows narrow the grid to show that. That
narrowing was decided after seeing the full-grid spread (so it used all ${r.queries} queries); it is not what selects
the shipped setting, and on the fixed split it picks the same entry (\`${sR.seed_pick}\`).

## What was tried

Each row's parameter was chosen on the tuning half only; both halves shown.

| what | chosen on the tuning half | tuning | held-out | all |
|---|---|---|---|---|
${r.tried.map((t) => `| ${t.label} | \`${t.pick}\` | ${f4(t.tune)} | ${f4(t.held)} | ${f4(t.all)} |`).join("\n")}

${r.tried
  .filter((t) => t.note)
  .map((t) => `- ${t.note}`)
  .join("\n")}
- Explored before this bench took its shape, on all ${r.queries} queries with 50–100 candidates per leg (so not
  held-out figures, and not re-run here): RM3-style expansion of the FTS5 query with terms of the top 3–5
  hits lost 0.01–0.08 nDCG@10 (FTS5 cannot weight expansion terms below query terms); feedback from the
  first-pass RRF hybrid, or only from FTS hits the vector leg also ranks in its top 20, was 0.007–0.015
  below feedback from the FTS hits; a second feedback pass equalled one; three-way RRF (full-text, vector,
  vector with feedback) did not beat two legs.

**Weighted RRF × feedback grid** (tuning / held-out nDCG@10; weight of the full-text list, vector = 1; feedback =
top-N FTS hits / weighting / Rocchio weight):

${gridTable([...r.grid_no_feedback, ...r.grid_local], ["off", ...grid.FB_GRID])}

## What production gets

- **Local index** (the embedded default, \`npm start\`, tests): the hybrid above, as measured.
- **Vectorize with the local embedder**: no feedback (Vectorize returns ids, not vectors), fusion
  weights ${wNoFb[0]} : ${wNoFb[1]} chosen on the tuning half without feedback: the "hybrid without feedback" row (the bench
  runs the embedder at ${dims}-d; on Vectorize it is 1536-d). A separate run at 1536-d
  (\`BENCH_EMBED_PARAMS='{"dimensions":1536}' BENCH_NO_WRITE=1 npm run bench -- retrieval\`, 2026-12-06; its
  tuning half also picks 3 : 1 without feedback) gave held-out full-text 0.7028, vector 0.6758, hybrid
  without feedback 0.7061: +0.0033 vs full-text (95% CI −0.0136…+0.0212), +0.0303 vs vector (+0.0009…+0.0622).
- **Vectorize with a hosted embedder** (\`KNOWLEDGE_EMBEDDER=workers-ai\`, bge-base-en-v1.5 768-d, or OpenAI): no
  feedback and plain equal-weight RRF (k=60). This path cannot be measured offline; weights tuned on a
  lexical vector leg would under-weight a dense one (bge-base alone: 0.741 on SciFact, BEIR), so it keeps
  the standard BM25 + dense fusion.

Latency is per query in-process (FTS query + IDF lookup + full vector scan + fusion) on a shared
2-core machine; a Worker adds the D1 round trips. The local index scans every vector of the tenant
(${r.chunks} × ${dims + 4} bytes here); Vectorize replaces the scan with an ANN query in production.
`;
  writeFileSync(file, md);
}
