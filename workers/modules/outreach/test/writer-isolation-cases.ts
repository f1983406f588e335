import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { db, draftFor, writerWorld } from "./writer-helpers";
import { salesDrafts } from "../../../../schema/sales-sequences";
import { eq } from "drizzle-orm";

/**
 * Tenant-isolation cases for the writer's routes (spread into CASES in tenant-isolation.test.ts).
 * A gets a sequence with a pending draft (written directly, then drafted by the writer); B tries
 * each route through B's own workspace and must get 404 or only B's data, and A's draft is unchanged.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;

let fixture: Promise<{ sequence: string; draft: string; lead: string }> | null = null;
export function aWriter(w: AB) {
  fixture ??= (async () => {
    const world = await writerWorld(w.a.tenantId);
    const d = await draftFor(world);
    expect(d.status).toBe("pending");
    return { sequence: world.sequenceId, draft: d.id, lead: world.leadId };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });

/** A's draft as A left it (B's attempts changed nothing). */
async function aDraftUnchanged(w: AB) {
  const ids = await aWriter(w);
  const row = await db.select().from(salesDrafts).where(eq(salesDrafts.id, ids.draft)).get();
  expect(row).toMatchObject({ tenantId: w.a.tenantId, status: "pending", editedBy: null, decidedBy: null });
}
const draft404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const ids = await aWriter(w);
    const r = await asB(w, method, `/api/v1/outreach/drafts/${ids.draft}${suffix}`, body);
    expect(r.status, `${method} ${suffix}`).toBe(404);
    await aDraftUnchanged(w);
  };

export const WRITER_CASES: Record<string, Case> = {
  "GET /api/v1/outreach/drafts": async (w) => {
    const ids = await aWriter(w);
    for (const q of ["", `?sequence_id=${ids.sequence}`, `?lead_id=${ids.lead}`, "?status=pending"]) {
      const r = await asB(w, "GET", `/api/v1/outreach/drafts${q}`);
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(ids.draft);
    }
  },
  "GET /api/v1/outreach/drafts/{id}": draft404("GET", ""),
  "PATCH /api/v1/outreach/drafts/{id}": draft404("PATCH", "", { subject: "pwned" }),
  "POST /api/v1/outreach/drafts/{id}/approve": draft404("POST", "/approve"),
  "POST /api/v1/outreach/drafts/{id}/reject": draft404("POST", "/reject", { reason: "pwned", enrollment: "stop" }),
  "POST /api/v1/outreach/drafts/{id}/regenerate": draft404("POST", "/regenerate"),
  "GET /api/v1/outreach/writer": async (w) => {
    await aWriter(w);
    await callJson("/api/v1/outreach/writer", {
      method: "PUT",
      token: w.a.accessToken,
      tenant: w.a.tenantId,
      ip: w.a.ip,
      body: { persona: "A's Zebrawriter" },
    });
    const r = await asB(w, "GET", "/api/v1/outreach/writer");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain("Zebrawriter");
  },
  "PUT /api/v1/outreach/writer": async (w) => {
    expect((await asB(w, "PUT", "/api/v1/outreach/writer", { persona: "B's own" })).status).toBe(200);
    const a = await callJson("/api/v1/outreach/writer", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.persona).not.toBe("B's own");
  },
  "GET /api/v1/outreach/sequences/{id}/variants": async (w) => {
    const ids = await aWriter(w);
    expect((await asB(w, "GET", `/api/v1/outreach/sequences/${ids.sequence}/variants`)).status).toBe(404);
  },
};
