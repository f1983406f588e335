import { describe, expect, it } from "vitest";
import { FUSION, fuseLegs, fusionPolicy, type Ranked, reciprocalRankFusion, RRF_K } from "../fuse";
import { localVectorSearch, type SqlRunner } from "../retrieval-core";
import { encodeVector } from "../vectors";

const list = (...ids: string[]): Ranked[] => ids.map((id, i) => ({ id, score: 10 - i }));
const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
const scoreOf = (xs: Ranked[], id: string) => xs.find((r) => r.id === id)?.score ?? Number.NaN;

describe("knowledge fusion", () => {
  it("weighted RRF scores Σ w / (k + rank) and ranks by it", () => {
    const fts = list("a", "b", "c");
    const vec = list("c", "d");
    const fused = reciprocalRankFusion([fts, vec], 60, [0.25, 1]);
    const f = byId(fused);
    expect(f.get("c")?.fused).toBeCloseTo(0.25 / 63 + 1 / 61, 12);
    expect(f.get("a")?.fused).toBeCloseTo(0.25 / 61, 12);
    expect(f.get("d")?.fused).toBeCloseTo(1 / 62, 12);
    expect(f.get("c")?.ranks).toEqual([3, 1]);
    expect(f.get("c")?.scores).toEqual([8, 10]);
    expect(f.get("a")?.ranks).toEqual([1, null]);
    // Vector-led: c (both lists) > d (vector #2) > a (full-text #1 only) > b.
    expect(fused.map((f) => f.id)).toEqual(["c", "d", "a", "b"]);
  });

  it("equal weights are symmetric and ties break by id; a lone list keeps its order", () => {
    const fused = reciprocalRankFusion([list("x", "y"), list("y", "x")]);
    expect(fused.map((f) => f.id)).toEqual(["x", "y"]);
    expect(fused[0]?.fused).toBeCloseTo(fused[1]?.fused ?? 0, 12);
    expect(reciprocalRankFusion([list("p", "q", "r"), []]).map((f) => f.id)).toEqual(["p", "q", "r"]);
  });

  it("each retrieval path gets its documented policy", () => {
    expect(fusionPolicy({ localEmbedder: true, feedback: true })).toBe(FUSION.localFeedback);
    expect(fusionPolicy({ localEmbedder: true, feedback: false })).toBe(FUSION.localNoFeedback);
    expect(fusionPolicy({ localEmbedder: false, feedback: false })).toBe(FUSION.hosted);
    expect(fusionPolicy({ localEmbedder: false, feedback: true })).toBe(FUSION.hosted);
    expect(FUSION.hosted).toEqual({ k: RRF_K, weights: [1, 1] });
    for (const p of Object.values(FUSION)) expect(p.k).toBe(RRF_K);
  });

  it("the local-index policy lets the vector leg lead and full-text reorder near it", () => {
    const [wf, wv] = FUSION.localFeedback.weights;
    expect(wf).toBeLessThan(wv);
    // Vector #1 that full-text lacks beats full-text #1 that the vector leg lacks…
    const solo = fuseLegs(list("f1", "shared"), list("v1", "shared"), FUSION.localFeedback);
    const order = solo.map((f) => f.id);
    expect(order.indexOf("v1")).toBeLessThan(order.indexOf("f1"));
    // …a chunk both legs rank second beats either leg's lone first…
    expect(order[0]).toBe("shared");
    // …and full-text's first hit lifts the vector leg's second above its first.
    expect(fuseLegs(list("v2"), list("v1", "v2"), FUSION.localFeedback)[0]?.id).toBe("v2");
    // Without feedback full-text leads instead.
    expect(fuseLegs(list("f1"), list("v1"), FUSION.localNoFeedback)[0]?.id).toBe("f1");
  });
});

describe("knowledge pseudo-relevance feedback", () => {
  // Three orthogonal unit documents in 4-d; the query is mostly along a fourth dimension.
  const unit = (i: number) => {
    const v = new Float32Array(4);
    v[i] = 1;
    return v;
  };
  const rows = [
    { chunk_id: "A", vector: encodeVector(unit(0)) },
    { chunk_id: "B", vector: encodeVector(unit(1)) },
    { chunk_id: "C", vector: encodeVector(unit(2)) },
  ];
  const db: SqlRunner = { all: async <T>() => rows as unknown as T[] };
  const q = Float32Array.from([0.1, 0.1, 0, 0.99]);

  it("1/rank weighting pulls the query towards the first full-text hit more than the second", async () => {
    const ranked = await localVectorSearch(db, "t", q, { limit: 3, feedback: { ids: ["B", "A"], weight: 0.5, rankWeighted: true } });
    expect(ranked.map((r) => r.id)).toEqual(["B", "A"]);
    expect(scoreOf(ranked, "B")).toBeGreaterThan(scoreOf(ranked, "A") + 0.1);
    const uniform = await localVectorSearch(db, "t", q, { limit: 3, feedback: { ids: ["B", "A"], weight: 0.5, rankWeighted: false } });
    expect(scoreOf(uniform, "B")).toBeCloseTo(scoreOf(uniform, "A"), 2);
  });

  it("without feedback ids the query is unchanged", async () => {
    const ranked = await localVectorSearch(db, "t", q, { limit: 3 });
    expect(scoreOf(ranked, "A")).toBeCloseTo(0.1, 2);
    expect(scoreOf(ranked, "B")).toBeCloseTo(0.1, 2);
    expect(ranked.find((r) => r.id === "C")).toBeUndefined(); // orthogonal: no similarity
  });
});
