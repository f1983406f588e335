// `npm run bench -- retrieval`: retrieval quality and latency of the knowledge base on BEIR SciFact.
//
// How it runs: the retrieval code of workers/modules/knowledge (chunker, local embedder, FTS query
// builder, FTS/vector SQL, reciprocal rank fusion) is runtime-agnostic; this script bundles it with
// esbuild and runs it in Node against node:sqlite (SQLite 3.5x with FTS5, like D1) with the real
// D1 migrations applied — the same SQL the Worker sends to D1, without a Worker around it. Latency
// is therefore in-process SQLite time, not a D1 round trip.
//
// Indexes ../shared/data/scifact/corpus.jsonl (title as heading + abstract, chunked like an
// upload) for one tenant with the local embedder, then for each test query: full-text only (BM25),
// vectors only (local embedder, exact cosine over the local index), hybrid (RRF). Chunk hits are
// collapsed to documents (best chunk). Reports nDCG@10, Recall@100 and per-query latency.
// Writes bench/results/retrieval.{json,md}.
//
// Knobs (env): SCIFACT_DIR, BENCH_RRF_K=60, BENCH_CANDIDATES=100, BENCH_LIMIT_QUERIES (0 = all)
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "..");
const DATA = process.env.SCIFACT_DIR ?? resolve(ROOT, "../shared/data/scifact");
const RRF_K = Number(process.env.BENCH_RRF_K ?? 60);
const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 100);
const LIMIT_Q = Number(process.env.BENCH_LIMIT_QUERIES ?? 0);
const TENANT = "ten_bench0000000000000000000000";
const t0 = Date.now();
const log = (m) => console.log(`[bench:retrieval +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

// 1. Bundle the knowledge module's runtime-agnostic core.
const tmp = mkdtempSync(join(tmpdir(), "weft-retrieval-"));
const K = join(ROOT, "workers/modules/knowledge");
const entry = ["text", "chunk", "local-embedder", "vectors", "fuse", "fts", "retrieval-core"]
  .map((m) => `export * from ${JSON.stringify(join(K, m))};`)
  .join("\n");
await build({
  stdin: { contents: entry, resolveDir: K, loader: "ts" },
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: join(tmp, "core.mjs"),
  logLevel: "error",
});
const core = await import(pathToFileURL(join(tmp, "core.mjs")).href);
rmSync(tmp, { recursive: true, force: true });
// Tuning knob: BENCH_EMBED_PARAMS='{"dimensions":1536}' overrides the local embedder's parameters.
if (process.env.BENCH_EMBED_PARAMS) Object.assign(core.LOCAL_EMBEDDER_DEFAULTS, JSON.parse(process.env.BENCH_EMBED_PARAMS));

// 2. A SQLite database with the real migrations.
const db = new DatabaseSync(":memory:");
const migDir = join(ROOT, "schema/migrations");
for (const f of readdirSync(migDir)
  .filter((f) => f.endsWith(".sql"))
  .sort()) {
  for (const stmt of readFileSync(join(migDir, f), "utf8").split("--> statement-breakpoint")) if (stmt.trim()) db.exec(stmt);
}
const runner = { all: async (sql, params) => db.prepare(sql).all(...params) };

// 3. Load SciFact.
const readJsonl = (f) =>
  readFileSync(join(DATA, f), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const corpus = readJsonl("corpus.jsonl");
const queries = new Map(readJsonl("queries.jsonl").map((q) => [q._id, q.text]));
const qrels = new Map();
for (const line of readFileSync(join(DATA, "qrels-test.tsv"), "utf8").split("\n").slice(1)) {
  const [qid, did, score] = line.split("\t");
  if (!qid || !did) continue;
  if (!qrels.has(qid)) qrels.set(qid, new Map());
  qrels.get(qid).set(did, Number(score));
}
let testQ = [...qrels.keys()].filter((q) => queries.has(q));
if (LIMIT_Q > 0) testQ = testQ.slice(0, LIMIT_Q);
log(`${corpus.length} documents, ${testQ.length} test queries`);

// 4. Index: chunk → chunks table (FTS via triggers) + DF stats + local vectors.
const insChunk = db.prepare(
  "INSERT INTO kb_chunks (tenant_id, id, source_id, collection, position, heading, text, tokens, fts_scope, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
);
const insVec = db.prepare("INSERT INTO kb_vectors (tenant_id, chunk_id, source_id, collection, vector, created_at) VALUES (?,?,?,?,?,?)");
const dfStmt = db.prepare(core.DF_UPSERT_SQL.replace("?1", "?").replace("?2", "?"));
const chunkDoc = new Map();
const scope = core.scopeToken(TENANT);
let nChunks = 0;
const tIndex = performance.now();
db.exec("BEGIN");
const embedTexts = [];

for (const doc of corpus) {
  const blocks = [
    { kind: "heading", level: 1, text: doc.title || "" },
    ...doc.text.split(/\n{2,}/).map((p) => ({ kind: "paragraph", text: p })),
  ];
  const chunks = core.chunkBlocks(blocks);
  for (const c of chunks) {
    const id = `chk_${doc._id}_${c.position}`;
    const text = core.embeddingText(c);
    chunkDoc.set(id, doc._id);
    insChunk.run(TENANT, id, doc._id, "default", c.position, c.headingPath.join(" › "), c.text, c.tokens, scope, Date.now());
    insVec.run(TENANT, id, doc._id, "default", core.encodeVector(core.localEmbed(text)), Date.now());
    embedTexts.push(text);
    nChunks++;
  }
}
dfStmt.run(TENANT, JSON.stringify(core.dfDelta(embedTexts, 1)));
db.exec("COMMIT");
const indexMs = performance.now() - tIndex;
log(
  `indexed ${nChunks} chunks in ${(indexMs / 1000).toFixed(1)} s (${core.LOCAL_EMBEDDER_ID}, ${core.LOCAL_EMBEDDER_DEFAULTS.dimensions}-d int8)`,
);

// 5. Evaluate.
const toDocs = (ranked) => {
  const seen = new Set();
  const out = [];
  for (const r of ranked) {
    const d = chunkDoc.get(r.id);
    if (!seen.has(d)) seen.add(d), out.push(d);
  }
  return out;
};
function ndcgAt(docs, rel, k) {
  let dcg = 0;
  docs.slice(0, k).forEach((d, i) => {
    const g = rel.get(d) ?? 0;
    if (g > 0) dcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  const ideal = [...rel.values()].sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((g, i) => {
    idcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  return idcg ? dcg / idcg : 0;
}
const recallAt = (docs, rel, k) => {
  const top = new Set(docs.slice(0, k));
  let hit = 0;
  for (const [d, g] of rel) if (g > 0 && top.has(d)) hit++;
  return hit / [...rel.values()].filter((g) => g > 0).length;
};

const sums = { fts: 0, vector: 0, hybrid: 0, rFts: 0, rVec: 0, rHyb: 0 };
const latHybrid = [],
  latFts = [],
  latVec = [];
for (const qid of testQ) {
  const text = queries.get(qid);
  const rel = qrels.get(qid);
  let t = performance.now();
  const fts = await core.ftsSearch(runner, TENANT, text, { limit: CANDIDATES });
  const tf = performance.now() - t;
  t = performance.now();
  const idf = await core.queryIdf(runner, TENANT, text);
  const qv = core.localEmbed(text, core.LOCAL_EMBEDDER_DEFAULTS, idf);
  const vec = await core.localVectorSearch(runner, TENANT, qv, { limit: CANDIDATES });
  const tv = performance.now() - t;
  // Hybrid as the Worker runs it: the vector leg gets Rocchio feedback from the top FTS hits.
  t = performance.now();
  const idf2 = await core.queryIdf(runner, TENANT, text);
  const qv2 = core.localEmbed(text, core.LOCAL_EMBEDDER_DEFAULTS, idf2);
  const vecFb = await core.localVectorSearch(runner, TENANT, qv2, {
    limit: CANDIDATES,
    feedbackIds: fts.slice(0, core.FEEDBACK_DOCS).map((r) => r.id),
    feedbackWeight: core.FEEDBACK_WEIGHT,
  });
  const fused = core.reciprocalRankFusion([fts, vecFb], RRF_K);
  const th = tf + (performance.now() - t);
  latFts.push(tf), latVec.push(tv), latHybrid.push(th);
  const dF = toDocs(fts),
    dV = toDocs(vec),
    dH = toDocs(fused);
  sums.fts += ndcgAt(dF, rel, 10);
  sums.vector += ndcgAt(dV, rel, 10);
  sums.hybrid += ndcgAt(dH, rel, 10);
  sums.rFts += recallAt(dF, rel, 100);
  sums.rVec += recallAt(dV, rel, 100);
  sums.rHyb += recallAt(dH, rel, 100);
}
const n = testQ.length;
const pct = (arr, p) => {
  const s = [...arr].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const r4 = (x) => Math.round(x * 10000) / 10000,
  r1 = (x) => Math.round(x * 10) / 10;
const result = {
  ndcg10_fts: r4(sums.fts / n),
  ndcg10_vector: r4(sums.vector / n),
  ndcg10_hybrid: r4(sums.hybrid / n),
  recall100_hybrid: r4(sums.rHyb / n),
  recall100_fts: r4(sums.rFts / n),
  recall100_vector: r4(sums.rVec / n),
  p50_ms: r1(pct(latHybrid, 50)),
  p95_ms: r1(pct(latHybrid, 95)),
  p50_ms_fts: r1(pct(latFts, 50)),
  p95_ms_fts: r1(pct(latFts, 95)),
  p50_ms_vector: r1(pct(latVec, 50)),
  p95_ms_vector: r1(pct(latVec, 95)),
  queries: n,
  documents: corpus.length,
  chunks: nChunks,
  index_seconds: r1(indexMs / 1000),
  embedder: `${core.LOCAL_EMBEDDER_ID} (${core.LOCAL_EMBEDDER_DEFAULTS.dimensions}-d, int8)`,
  rrf_k: RRF_K,
  hybrid_feedback: { docs: core.FEEDBACK_DOCS, weight: core.FEEDBACK_WEIGHT },
  candidates_per_leg: CANDIDATES,
  runtime: `node ${process.version} + node:sqlite ${db.prepare("select sqlite_version() v").get().v} (same SQL as D1), in-process`,
  reference: { bm25_beir: 0.665, bm25_anserini: 0.679, bge_base: 0.741 },
  date: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
if (LIMIT_Q === 0 && !process.env.BENCH_NO_WRITE) {
  const out = join(ROOT, "bench/results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "retrieval.json"), `${JSON.stringify(result, null, 2)}\n`);
  const md = `# Retrieval benchmark (SciFact, BEIR test split)

\`npm run bench -- retrieval\` — ${result.date}

${n} test queries over ${corpus.length} abstracts (${nChunks} chunks), one tenant, local embedder
\`${result.embedder}\`. Runtime: ${result.runtime}.

| leg | nDCG@10 | Recall@100 | p50 ms | p95 ms |
|---|---|---|---|---|
| full-text (FTS5 BM25) | ${result.ndcg10_fts} | ${result.recall100_fts} | ${result.p50_ms_fts} | ${result.p95_ms_fts} |
| vector (local embedder, exact cosine) | ${result.ndcg10_vector} | ${result.recall100_vector} | ${result.p50_ms_vector} | ${result.p95_ms_vector} |
| **hybrid (RRF k=${RRF_K}; vector leg with feedback from the top ${core.FEEDBACK_DOCS} FTS hits)** | **${result.ndcg10_hybrid}** | **${result.recall100_hybrid}** | ${result.p50_ms} | ${result.p95_ms} |

References on this split: BM25 0.665 (BEIR paper), 0.679 (Anserini); bge-base dense 0.741.
Hybrid vs the better BM25 reference: ${(result.ndcg10_hybrid / 0.679).toFixed(3)}×.

Latency is per query in-process (FTS query + IDF lookup + full vector scan + fusion) on this
machine; a Worker adds the D1 round trips. The local index scans every vector of the tenant
(${nChunks} × ${core.LOCAL_EMBEDDER_DEFAULTS.dimensions + 4} bytes here); Vectorize replaces the scan with an ANN query in production.

What the production embedders add: the local embedder is lexical (stems, bigrams, character
n-grams), so it cannot match a claim to an abstract that says the same thing in other words.
Dense models do: bge-base alone reaches 0.741 on SciFact (BEIR), and fused with BM25 the hybrid
usually lands above either leg. With \`KNOWLEDGE_EMBEDDER=workers-ai\` (bge-base-en-v1.5, 768-d) and
Vectorize the same RRF pipeline runs unchanged (no Rocchio step: Vectorize returns ids, not
vectors); the local embedder stays the offline default.
`;
  writeFileSync(join(out, "retrieval.md"), md);
  log("wrote bench/results/retrieval.{json,md}");
}
