import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { closeDeal, icpBody, insertLeads } from "./scoring-helpers";

/**
 * Tenant-isolation cases for the scoring routes, spread into CASES in tenant-isolation.test.ts. A has an
 * ICP, a scored lead and a proposed model (made once, lazily); B works on B's own workspace and must
 * get 404 for A's ids and only B's data otherwise.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Zebracorn Industries";

let fixture: Promise<{ lead: string; model: string }> | null = null;
export function aScoring(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    expect((await asA("PUT", "/api/v1/sales/icp", icpBody({ industries: [MARK] }))).status).toBe(200);
    const ids = await insertLeads(
      w.a.tenantId,
      Array.from({ length: 22 }, (_, i) => ({
        email: `iso${i}-${Date.now()}@zebracorn.test`,
        industry: i % 3 ? MARK : "Other",
        phone: i < 11 ? "+1 555" : null,
      })),
    );
    for (const [i, id] of ids.entries()) await closeDeal(w.a.tenantId, id, i < 11 ? "won" : "lost");
    const model = await asA("POST", "/api/v1/sales/scoring/refit");
    expect(model.status).toBe(201);
    return { lead: ids[0] as string, model: model.body.id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aScoring(w);
  const text = JSON.stringify(payload);
  for (const s of [ids.lead, ids.model, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
const model404 =
  (action: string): Case =>
  async (w) => {
    const { model } = await aScoring(w);
    expect((await asB(w, "POST", `/api/v1/sales/scoring/models/${model}/${action}`)).status).toBe(404);
  };

export const SCORING_CASES: Record<string, Case> = {
  "GET /api/v1/sales/icp": async (w) => {
    const r = await asB(w, "GET", "/api/v1/sales/icp");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "PUT /api/v1/sales/icp": async (w) => {
    await aScoring(w);
    expect((await asB(w, "PUT", "/api/v1/sales/icp", icpBody({ industries: ["B stuff"] }))).status).toBe(200);
    // A's ICP is untouched.
    const a = await callJson("/api/v1/sales/icp", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.industries).toEqual([MARK]);
  },
  "GET /api/v1/sales/leads/{id}/score": async (w) => {
    const { lead } = await aScoring(w);
    expect((await asB(w, "GET", `/api/v1/sales/leads/${lead}/score`)).status).toBe(404);
  },
  "POST /api/v1/sales/scoring/rescore": async (w) => {
    await aScoring(w);
    const r = await asB(w, "POST", "/api/v1/sales/scoring/rescore", { all: true });
    expect(r.status).toBe(200);
    expect(r.body.rescored).toBe(0); // B has no leads; A's are not B's to score
  },
  "POST /api/v1/sales/scoring/refit": async (w) => {
    await aScoring(w);
    const r = await asB(w, "POST", "/api/v1/sales/scoring/refit");
    expect(r.status).toBe(422); // A's won/lost deals do not count for B
    expect(r.body.wins).toBe(0);
  },
  "GET /api/v1/sales/scoring/models": async (w) => {
    const r = await asB(w, "GET", "/api/v1/sales/scoring/models?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "POST /api/v1/sales/scoring/models/{id}/accept": model404("accept"),
  "POST /api/v1/sales/scoring/models/{id}/reject": model404("reject"),
  "POST /api/v1/sales/scoring/models/{id}/revert": model404("revert"),
};
