import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { fusionDocuments } from "../../../../schema/fusion";
import { callJson, type TestUser } from "../../../../test/helpers";
import { asUser, db, documents, must, professional, runFusion, seedSources } from "./fusion-helpers";

/**
 * Tenant-isolation cases for knowledge fusion (spread into CASES in tenant-isolation.test.ts).
 * Fusion is a Professional feature and the suite's B is on Free (402 before anything is read), so
 * these cases use a pair of their own: A on Professional with documents from seeded calls and a
 * thread, and another Professional workspace that tries A's ids (404) and lists only its own.
 * The suite's B is checked too: 402, nothing of A's in the answer.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;

let fixture: Promise<{ a: TestUser; other: TestUser; doc: string; run: string; call: string; thread: string }> | null = null;
function pair() {
  fixture ??= (async () => {
    const [a, other] = await Promise.all([professional(), professional()]);
    const ids = await seedSources(a.tenantId);
    const run = await runFusion(a);
    const doc = must((await documents(a))[0], "a document of A").id;
    return { a, other, doc, run: run.id as string, call: ids.t1, thread: ids.thread };
  })();
  return fixture;
}

async function aDocUnchanged(doc: string) {
  const row = await db.select().from(fusionDocuments).where(eq(fusionDocuments.id, doc)).get();
  expect(row).toMatchObject({ status: "draft", aiGenerated: true, viewCount: 0, editedBy: null, knowledgeSourceId: null });
}

const doc404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const p = await pair();
    const r = await asUser(p.other)(`/api/v1/sales/fusion/documents/${p.doc}${suffix}`, { method, body });
    expect(r.status, `${method} ${suffix}`).toBe(404);
    const free = await callJson(`/api/v1/sales/fusion/documents/${p.doc}${suffix}`, {
      method,
      body,
      token: w.b.accessToken,
      tenant: w.b.tenantId,
      ip: w.b.ip,
    });
    expect(free.status).toBe(402);
    expect(JSON.stringify(free.body)).not.toContain(p.a.tenantId);
    await aDocUnchanged(p.doc);
  };

export const FUSION_CASES: Record<string, Case> = {
  "GET /api/v1/sales/fusion/documents": async (w) => {
    const p = await pair();
    for (const q of ["", "?kind=faq", "?status=draft", "?q=SAP"]) {
      const r = await asUser(p.other)(`/api/v1/sales/fusion/documents${q}`);
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual([]);
    }
    expect((await callJson("/api/v1/sales/fusion/documents", { token: w.b.accessToken, tenant: w.b.tenantId, ip: w.b.ip })).status).toBe(
      402,
    );
  },
  "GET /api/v1/sales/fusion/documents/{id}": doc404("GET", ""),
  "POST /api/v1/sales/fusion/documents/{id}/view": doc404("POST", "/view"),
  "PATCH /api/v1/sales/fusion/documents/{id}": doc404("PATCH", "", { title: "pwned title" }),
  "POST /api/v1/sales/fusion/documents/{id}/review": doc404("POST", "/review"),
  "POST /api/v1/sales/fusion/documents/{id}/publish": doc404("POST", "/publish"),
  "POST /api/v1/sales/fusion/documents/{id}/unpublish": doc404("POST", "/unpublish"),
  "POST /api/v1/sales/fusion/runs": async () => {
    const p = await pair();
    // The other workspace's run reads only its own (no) sources, even naming A's call and thread.
    const run = await runFusion(p.other, { transcripts: [p.call], threads: [p.thread] });
    expect(run).toMatchObject({ transcripts: 0, threads: 0, created: 0 });
    expect(await documents(p.other)).toEqual([]);
    await aDocUnchanged(p.doc);
  },
  "GET /api/v1/sales/fusion/runs": async () => {
    const p = await pair();
    const r = await asUser(p.other)("/api/v1/sales/fusion/runs");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(p.run);
  },
  "GET /api/v1/sales/fusion/runs/{id}": async () => {
    const p = await pair();
    expect((await asUser(p.other)(`/api/v1/sales/fusion/runs/${p.run}`)).status).toBe(404);
  },
};
