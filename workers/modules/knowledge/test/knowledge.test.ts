import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LocalEmbedder } from "../embedders";
import { indexSource } from "../indexer";
import { LocalD1Index } from "../vector-index";
import { retrieve } from "../retrieve";
import { scopeToken } from "../fts";
import { signUp } from "../../../../test/helpers";
import { asUser, buildPdf, upload, waitForSource } from "./knowledge-helpers";

const HANDBOOK = `# Acme handbook

Intro paragraph about the company.

## Refunds

Refunds are processed within five business days after the returned parcel arrives at the warehouse.

## Shipping

### International

International parcels ship with DHL and usually take seven to ten days to arrive.
`;

async function counts(tenantId: string, sourceId: string) {
  const one = async (sql: string, ...p: unknown[]) =>
    (
      await env.DB.prepare(sql)
        .bind(...p)
        .first<{ n: number }>()
    )?.n ?? 0;
  return {
    chunks: await one("SELECT count(*) n FROM kb_chunks WHERE tenant_id = ?1 AND source_id = ?2", tenantId, sourceId),
    vectors: await one("SELECT count(*) n FROM kb_vectors WHERE tenant_id = ?1 AND source_id = ?2", tenantId, sourceId),
    fts: await one("SELECT count(*) n FROM kb_chunks_fts WHERE kb_chunks_fts MATCH ?1", `fts_scope:"${scopeToken(tenantId)}"`),
    r2: (await env.FILES.get(`tenant/${tenantId}/knowledge/${sourceId}`)) ? 1 : 0,
  };
}

describe("knowledge: sources, indexing, retrieval", () => {
  it("uploads Markdown, indexes it through the queue with heading paths, and finds it by hybrid search", async () => {
    const u = await signUp();
    const up = await upload(u, "handbook.md", HANDBOOK, "text/markdown", { collection: "support" });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ status: "queued", kind: "file", collection: "support", title: "handbook.md" });
    const ready = await waitForSource(u, up.body.id);
    expect(ready.chunk_count).toBeGreaterThanOrEqual(3);
    expect(ready.progress).toBe(100);
    expect(await env.FILES.head(`tenant/${u.tenantId}/knowledge/${up.body.id}`)).not.toBeNull();

    const chunks = await asUser(u)(`/api/v1/knowledge/sources/${up.body.id}/chunks`);
    const paths = chunks.body.data.map((c: any) => c.heading_path.join(" > "));
    expect(paths).toContain("Acme handbook > Refunds");
    expect(paths).toContain("Acme handbook > Shipping > International");

    const s = await asUser(u)("/api/v1/knowledge/search", { body: { query: "how long do refunds take?" } });
    expect(s.status).toBe(200);
    const top = s.body.data[0];
    expect(top.text).toContain("five business days");
    expect(top.heading_path).toEqual(["Acme handbook", "Refunds"]);
    expect(top.scores.fts).toBeGreaterThan(0);
    expect(top.scores.vector).toBeGreaterThan(0);
    expect(top.scores.fused).toBeGreaterThan(0);
    expect(s.body.embedder.local).toBe(true);

    // Per-leg modes and the collection filter.
    const vOnly = await asUser(u)("/api/v1/knowledge/search", { body: { query: "international shipping DHL", mode: "vector" } });
    expect(vOnly.body.data[0].text).toContain("DHL");
    expect(vOnly.body.data[0].scores.fts).toBeNull();
    const other = await asUser(u)("/api/v1/knowledge/search", { body: { query: "refunds", collection: "sales" } });
    expect(other.body.data).toEqual([]);
  });

  it("the vector leg finds morphological variants the full-text leg misses", async () => {
    const u = await signUp();
    const f = await asUser(u)("/api/v1/knowledge/sources/faq", {
      body: { question: "How do I change my e-mail address?", answer: "Open Settings, then Profile." },
    });
    const g = await asUser(u)("/api/v1/knowledge/sources/faq", {
      body: { question: "Where is the warehouse?", answer: "In Rotterdam harbour." },
    });
    await waitForSource(u, f.body.id);
    await waitForSource(u, g.body.id);
    const fts = await asUser(u)("/api/v1/knowledge/search", { body: { query: "emails", mode: "fts" } });
    const vec = await asUser(u)("/api/v1/knowledge/search", { body: { query: "emails", mode: "vector" } });
    expect(fts.body.data).toEqual([]);
    expect(vec.body.data[0]?.source_id).toBe(f.body.id);
  });

  it("writes FAQ entries, re-indexes on edit and leaves no trace of old text", async () => {
    const u = await signUp();
    const call = asUser(u);
    const f = await call("/api/v1/knowledge/sources/faq", {
      body: { question: "Do you ship to Iceland?", answer: "Yes, we ship to Iceland with Postur every Tuesday." },
    });
    expect(f.status).toBe(201);
    await waitForSource(u, f.body.id);
    expect((await call("/api/v1/knowledge/search", { body: { query: "Postur Tuesday" } })).body.data).toHaveLength(1);

    const edited = await call(`/api/v1/knowledge/sources/${f.body.id}`, {
      method: "PATCH",
      body: { answer: "Yes, Iceland orders travel by air freight on Fridays." },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    const ready = await waitForSource(u, f.body.id);
    expect(ready.version).toBe(2);
    const got = await call(`/api/v1/knowledge/sources/${f.body.id}`);
    expect(got.body.faq).toEqual({ question: "Do you ship to Iceland?", answer: "Yes, Iceland orders travel by air freight on Fridays." });
    expect((await call("/api/v1/knowledge/search", { body: { query: "Postur Tuesday", mode: "fts" } })).body.data).toEqual([]);
    expect((await call("/api/v1/knowledge/search", { body: { query: "air freight Friday" } })).body.data[0].source_id).toBe(f.body.id);
    const c = await counts(u.tenantId, f.body.id);
    expect(c.chunks).toBe(c.vectors);
    expect(c.fts).toBe(c.chunks);
  });

  it("deletes a source from R2, D1, FTS, the vector index and the term statistics", async () => {
    const u = await signUp();
    const up = await upload(u, "handbook.md", HANDBOOK, "text/markdown");
    await waitForSource(u, up.body.id);
    const before = await counts(u.tenantId, up.body.id);
    expect(before.chunks).toBeGreaterThan(0);
    expect(before).toMatchObject({ vectors: before.chunks, fts: before.chunks, r2: 1 });
    const del = await asUser(u)(`/api/v1/knowledge/sources/${up.body.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(await counts(u.tenantId, up.body.id)).toEqual({ chunks: 0, vectors: 0, fts: 0, r2: 0 });
    const stats = await env.DB.prepare("SELECT count(*) n, max(df) m FROM kb_term_stats WHERE tenant_id = ?1 AND term <> ''")
      .bind(u.tenantId)
      .first<{ n: number }>();
    expect(stats!.n).toBe(0);
    expect((await asUser(u)(`/api/v1/knowledge/sources/${up.body.id}`)).status).toBe(404);
  });

  it("extracts text from PDF and HTML in the Worker", async () => {
    const u = await signUp();
    const pdf = buildPdf([
      ["Warranty terms", "Every blender carries a three year warranty."],
      ["Page two mentions the descaling schedule."],
    ]);
    const p = await upload(u, "warranty.pdf", pdf, "application/pdf");
    expect(p.status).toBe(201);
    // The first PDF import pays vite's transform of PDF.js in the test runner (seconds): a longer wait.
    const ready = await waitForSource(u, p.body.id, "ready", 90_000);
    expect(ready.chunk_count).toBe(2);
    const hit = await asUser(u)("/api/v1/knowledge/search", { body: { query: "blender warranty" } });
    expect(hit.body.data[0].text).toContain("three year warranty");
    expect(hit.body.data[0].heading_path).toEqual(["Page 1"]);

    const html = `<html><head><title>Store hours</title><script>var secret = "nope";</script></head><body><nav>Menu</nav><main><h1>Visit us</h1><p>Open Monday&ndash;Saturday from 9 to 18.</p><h2>Parking</h2><p>Free parking behind the store.</p></main></body></html>`;
    const h = await upload(u, "hours.html", html, "text/html");
    await waitForSource(u, h.body.id);
    const chunks = (await asUser(u)(`/api/v1/knowledge/sources/${h.body.id}/chunks`)).body.data;
    expect(chunks.map((c: any) => c.heading_path.join(">"))).toEqual(["Visit us", "Visit us>Parking"]);
    expect(chunks[0].text).toBe("Open Monday–Saturday from 9 to 18.");
    expect(JSON.stringify(chunks)).not.toContain("secret");
  });

  it("marks an unreadable PDF as failed with a reason", async () => {
    const u = await signUp();
    const p = await upload(u, "broken.pdf", "%PDF-1.4 this is not really a pdf", "application/pdf");
    const failed = await waitForSource(u, p.body.id, "failed", 90_000);
    expect(failed.error).toMatch(/PDF/);
  });

  it("rejects unsupported and empty files, and explains unreachable URLs", async () => {
    const u = await signUp();
    const bad = await upload(u, "photo.png", "\x89PNG", "image/png");
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/Markdown|PDF/);
    expect((await upload(u, "empty.md", "", "text/markdown")).status).toBe(400);
    const url = await asUser(u)("/api/v1/knowledge/sources/url", { body: { url: "http://127.0.0.1:9/nothing-listens-here" } });
    expect(url.status).toBe(422);
    expect(url.body.type).toBe("https://weft.dev/problems/url-unreachable");
    const listed = await asUser(u)("/api/v1/knowledge/sources");
    expect(listed.body.data).toEqual([]); // nothing half-written
  });

  it("redelivery of an indexed version changes nothing", async () => {
    const u = await signUp();
    const f = await asUser(u)("/api/v1/knowledge/sources/faq", {
      body: { question: "What is the return window?", answer: "Thirty days from delivery." },
    });
    await waitForSource(u, f.body.id);
    const ids = await env.DB.prepare("SELECT id FROM kb_chunks WHERE tenant_id = ?1").bind(u.tenantId).all();
    expect(await indexSource(env, { type: "index", tenantId: u.tenantId, sourceId: f.body.id, version: 1 })).toBe("skipped");
    expect((await env.DB.prepare("SELECT id FROM kb_chunks WHERE tenant_id = ?1").bind(u.tenantId).all()).results).toEqual(ids.results);
  });

  it("a different embedding model forces a rebuild instead of mixing vectors", async () => {
    const u = await signUp();
    const f = await asUser(u)("/api/v1/knowledge/sources/faq", {
      body: { question: "Which payment methods work?", answer: "Cards, PayPal and bank transfer." },
    });
    await waitForSource(u, f.body.id);
    const idx = await asUser(u)("/api/v1/knowledge/index");
    expect(idx.body.recorded).toMatchObject({ model: "weft-local-hash-v1", dimensions: idx.body.dimensions, generation: 1 });
    expect(idx.body.rebuild_required).toBe(false);

    // The deployment switches to a 512-d embedder: retrieval must not compare vectors across models.
    const other = { embedder: new LocalEmbedder(512), index: new LocalD1Index(env.DB) };
    const r = await retrieve({ env, tenantId: u.tenantId, query: "payment methods PayPal", stack: other });
    expect(r.index.vectorLeg).toBe(false);
    expect(r.chunks[0]?.scores.vector).toBeNull();
    expect(r.chunks[0]?.sourceId).toBe(f.body.id); // full-text still answers

    // Indexing under the new stack rebuilds: drops vectors, records the model, re-queues every source.
    expect(await indexSource(env, { type: "index", tenantId: u.tenantId, sourceId: f.body.id, version: 1 }, other)).toBe("skipped");
    const rec = await env.DB.prepare("SELECT model, dimensions, generation FROM kb_indexes WHERE tenant_id = ?1").bind(u.tenantId).first();
    expect(rec).toEqual({ model: "weft-local-hash-v1", dimensions: 512, generation: 2 });
    const src = await env.DB.prepare("SELECT status, version FROM kb_sources WHERE tenant_id = ?1")
      .bind(u.tenantId)
      .first<{ version: number }>();
    expect(src!.version).toBe(2);
    // The queued message (version 2) runs with the configured stack here; index it with the new one directly.
    await indexSource(env, { type: "index", tenantId: u.tenantId, sourceId: f.body.id, version: 2 }, other).catch(() => "raced");
    const lens = await env.DB.prepare("SELECT DISTINCT length(vector) - 4 AS d FROM kb_vectors WHERE tenant_id = ?1")
      .bind(u.tenantId)
      .all<{ d: number }>();
    for (const row of lens.results) expect([512, idx.body.dimensions]).toContain(row.d);
  });
});

describe("knowledge: tenant isolation through every retrieval path", () => {
  it("tenant B never retrieves tenant A's chunks", async () => {
    const a = await signUp({ workspace: "A" });
    const b = await signUp({ workspace: "B" });
    const secret = "Zanzibarquux codeword is orchid-seventeen";
    const fa = await asUser(a)("/api/v1/knowledge/sources/faq", {
      body: { question: "What is the Zanzibarquux codeword?", answer: secret },
    });
    await waitForSource(a, fa.body.id);
    const fb = await asUser(b)("/api/v1/knowledge/sources/faq", { body: { question: "Opening hours?", answer: "Nine to five." } });
    await waitForSource(b, fb.body.id);
    for (const mode of ["hybrid", "fts", "vector"]) {
      const r = await asUser(b)("/api/v1/knowledge/search", { body: { query: "Zanzibarquux codeword orchid", mode } });
      expect(JSON.stringify(r.body)).not.toContain("orchid");
    }
    const svc = await retrieve({ env, tenantId: b.tenantId, query: "Zanzibarquux codeword orchid" });
    expect(svc.chunks.every((c) => c.sourceId === fb.body.id)).toBe(true);
    expect((await asUser(b)(`/api/v1/knowledge/sources/${fa.body.id}/chunks`)).status).toBe(404);
    expect((await asUser(b)(`/api/v1/knowledge/sources/${fa.body.id}/original`)).status).toBe(404);
    // A's own search still works.
    expect((await asUser(a)("/api/v1/knowledge/search", { body: { query: "Zanzibarquux codeword" } })).body.data[0].text).toContain(
      "orchid",
    );
  });
});
