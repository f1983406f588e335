import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";

/**
 * Tenant-isolation cases for the crm routes (leads, companies, fields, activities, stages, deals,
 * tasks, imports), spread into CASES in tenant-isolation.test.ts. A gets one of each (made once,
 * lazily); B works in B's own workspace: A's ids answer 404 (or 400 where they travel in a body),
 * and nothing B lists or exports names A's rows.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "zebracorn-crm";

interface AFixture {
  lead: string;
  lead2: string;
  company: string;
  field: string;
  stage: string;
  deal: string;
  task: string;
  imp: string;
}
let fixture: Promise<AFixture> | null = null;
export function aCrm(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const lead = await asA("POST", "/api/v1/sales/leads", { email: `ada@${MARK}.io`, first_name: "Ada", last_name: MARK });
    const lead2 = await asA("POST", "/api/v1/sales/leads", { first_name: "Ada", last_name: MARK, domain: `${MARK}.io` });
    const field = await asA("POST", "/api/v1/sales/fields", { entity: "lead", key: "zebra_field", label: MARK, type: "text" });
    const stage = await asA("POST", "/api/v1/sales/stages", { name: MARK });
    const deal = await asA("POST", "/api/v1/sales/deals", { name: MARK, lead_id: lead.body.id });
    const task = await asA("POST", "/api/v1/sales/tasks", { title: MARK, lead_id: lead.body.id });
    await asA("POST", `/api/v1/sales/leads/${lead.body.id}/notes`, { body: MARK });
    const up = await exports.default.fetch("http://weft.test/api/v1/sales/imports?file_name=zebracorn.csv", {
      method: "POST",
      headers: {
        "CF-Connecting-IP": w.a.ip,
        Authorization: `Bearer ${w.a.accessToken}`,
        "X-Tenant-ID": w.a.tenantId,
        "Content-Type": "text/csv",
      },
      body: `email\nimport@${MARK}.io\n`,
    });
    const imp = (await up.json()) as { id: string };
    for (const r of [lead, lead2, field, stage, deal, task]) expect(r.status).toBe(201);
    return {
      lead: lead.body.id,
      lead2: lead2.body.id,
      company: lead.body.company_id,
      field: field.body.id,
      stage: stage.body.id,
      deal: deal.body.id,
      task: task.body.id,
      imp: imp.id,
    };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aCrm(w);
  const text = JSON.stringify(payload);
  for (const s of [...Object.values(ids), MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
const notFoundFor =
  (method: string, path: (a: AFixture) => string[], body?: unknown): Case =>
  async (w) => {
    const a = await aCrm(w);
    for (const p of path(a)) expect((await asB(w, method, p, body)).status, `${method} ${p}`).toBe(404);
  };
const listsNothingOfA =
  (path: string): Case =>
  async (w) => {
    const r = await asB(w, "GET", path);
    expect(r.status, path).toBe(200);
    await noneOfA(w, r.body);
  };

const L = "/api/v1/sales/leads";
export const CRM_CASES: Record<string, Case> = {
  "GET /api/v1/sales/leads": listsNothingOfA(`${L}?limit=100&include_merged=true`),
  "POST /api/v1/sales/leads": async (w) => {
    // B's own lead at B's own company (never A's company, though both are on the free plan's meter).
    const r = await asB(w, "POST", L, { email: "bea@b-only-crm.io" });
    expect(r.status).toBe(201);
    expect(r.body.company_id).not.toBe((await aCrm(w)).company);
    // Other parts' cases expect B to have no leads (scoring's rescore answers 0): leave none behind.
    expect((await asB(w, "DELETE", `${L}/${r.body.id}`)).status).toBe(204);
  },
  "GET /api/v1/sales/leads/duplicates": listsNothingOfA(`${L}/duplicates`),
  "POST /api/v1/sales/leads/merge": async (w) => {
    const a = await aCrm(w);
    const r = await asB(w, "POST", `${L}/merge`, { survivor_id: a.lead, merged_ids: [a.lead2] });
    expect(r.status).toBe(400);
  },
  "GET /api/v1/sales/leads/export": async (w) => {
    const r = await exports.default.fetch(`http://weft.test${L}/export`, {
      headers: { "CF-Connecting-IP": w.b.ip, Authorization: `Bearer ${w.b.accessToken}`, "X-Tenant-ID": w.b.tenantId },
    });
    expect(r.status).toBe(200);
    await noneOfA(w, await r.text());
  },
  "GET /api/v1/sales/leads/{id}": notFoundFor("GET", (a) => [`${L}/${a.lead}`]),
  "PATCH /api/v1/sales/leads/{id}": notFoundFor("PATCH", (a) => [`${L}/${a.lead}`], { title: "B" }),
  "DELETE /api/v1/sales/leads/{id}": notFoundFor("DELETE", (a) => [`${L}/${a.lead2}`]),
  "GET /api/v1/sales/leads/{id}/activities": notFoundFor("GET", (a) => [`${L}/${a.lead}/activities`]),
  "POST /api/v1/sales/leads/{id}/notes": notFoundFor("POST", (a) => [`${L}/${a.lead}/notes`], { body: "B" }),
  "POST /api/v1/sales/leads/{id}/calls": notFoundFor("POST", (a) => [`${L}/${a.lead}/calls`], { outcome: "connected" }),
  "POST /api/v1/sales/leads/{id}/meetings": notFoundFor("POST", (a) => [`${L}/${a.lead}/meetings`], { title: "B" }),

  "GET /api/v1/sales/companies": listsNothingOfA("/api/v1/sales/companies?limit=100"),
  "POST /api/v1/sales/companies": async (w) => {
    expect((await asB(w, "POST", "/api/v1/sales/companies", { name: "B co", domain: `${MARK}-b.io` })).status).toBe(201);
  },
  "GET /api/v1/sales/companies/{id}": notFoundFor("GET", (a) => [`/api/v1/sales/companies/${a.company}`]),
  "PATCH /api/v1/sales/companies/{id}": notFoundFor("PATCH", (a) => [`/api/v1/sales/companies/${a.company}`], { name: "B" }),
  "DELETE /api/v1/sales/companies/{id}": notFoundFor("DELETE", (a) => [`/api/v1/sales/companies/${a.company}`]),

  "GET /api/v1/sales/fields": listsNothingOfA("/api/v1/sales/fields"),
  "POST /api/v1/sales/fields": async (w) => {
    // The same key as A's: B's own field.
    expect((await asB(w, "POST", "/api/v1/sales/fields", { entity: "lead", key: "zebra_field", label: "B", type: "number" })).status).toBe(
      201,
    );
  },
  "PATCH /api/v1/sales/fields/{id}": notFoundFor("PATCH", (a) => [`/api/v1/sales/fields/${a.field}`], { label: "B" }),
  "DELETE /api/v1/sales/fields/{id}": notFoundFor("DELETE", (a) => [`/api/v1/sales/fields/${a.field}`]),

  "GET /api/v1/sales/stages": listsNothingOfA("/api/v1/sales/stages?deals=true"),
  "POST /api/v1/sales/stages": async (w) => {
    expect((await asB(w, "POST", "/api/v1/sales/stages", { name: "B stage" })).status).toBe(201);
  },
  "PATCH /api/v1/sales/stages/{id}": notFoundFor("PATCH", (a) => [`/api/v1/sales/stages/${a.stage}`], { name: "B" }),
  "DELETE /api/v1/sales/stages/{id}": notFoundFor("DELETE", (a) => [`/api/v1/sales/stages/${a.stage}`]),
  "GET /api/v1/sales/deals": listsNothingOfA("/api/v1/sales/deals?limit=100"),
  "POST /api/v1/sales/deals": async (w) => {
    const a = await aCrm(w);
    expect((await asB(w, "POST", "/api/v1/sales/deals", { name: "B", lead_id: a.lead })).status).toBe(400);
    expect((await asB(w, "POST", "/api/v1/sales/deals", { name: "B", stage_id: a.stage })).status).toBe(400);
  },
  "GET /api/v1/sales/deals/{id}": notFoundFor("GET", (a) => [`/api/v1/sales/deals/${a.deal}`]),
  "PATCH /api/v1/sales/deals/{id}": notFoundFor("PATCH", (a) => [`/api/v1/sales/deals/${a.deal}`], { name: "B" }),
  "DELETE /api/v1/sales/deals/{id}": notFoundFor("DELETE", (a) => [`/api/v1/sales/deals/${a.deal}`]),
  "POST /api/v1/sales/deals/{id}/move": async (w) => {
    const a = await aCrm(w);
    const bStage = (await asB(w, "GET", "/api/v1/sales/stages")).body.data[0].id;
    expect((await asB(w, "POST", `/api/v1/sales/deals/${a.deal}/move`, { stage_id: bStage })).status).toBe(404);
  },

  "GET /api/v1/sales/tasks": listsNothingOfA("/api/v1/sales/tasks?status=all&limit=100"),
  "POST /api/v1/sales/tasks": async (w) => {
    const a = await aCrm(w);
    expect((await asB(w, "POST", "/api/v1/sales/tasks", { title: "B", lead_id: a.lead })).status).toBe(400);
  },
  "PATCH /api/v1/sales/tasks/{id}": notFoundFor("PATCH", (a) => [`/api/v1/sales/tasks/${a.task}`], { done: true }),
  "DELETE /api/v1/sales/tasks/{id}": notFoundFor("DELETE", (a) => [`/api/v1/sales/tasks/${a.task}`]),

  "POST /api/v1/sales/imports": async (w) => {
    const r = await exports.default.fetch("http://weft.test/api/v1/sales/imports", {
      method: "POST",
      headers: {
        "CF-Connecting-IP": w.b.ip,
        Authorization: `Bearer ${w.b.accessToken}`,
        "X-Tenant-ID": w.b.tenantId,
        "Content-Type": "text/csv",
      },
      body: "email\nb@b-only.io\n",
    });
    expect(r.status).toBe(201);
  },
  "GET /api/v1/sales/imports": listsNothingOfA("/api/v1/sales/imports?limit=100"),
  "GET /api/v1/sales/imports/{id}": notFoundFor("GET", (a) => [`/api/v1/sales/imports/${a.imp}`]),
  "GET /api/v1/sales/imports/{id}/preview": notFoundFor("GET", (a) => [`/api/v1/sales/imports/${a.imp}/preview`]),
  "POST /api/v1/sales/imports/{id}/apply": notFoundFor("POST", (a) => [`/api/v1/sales/imports/${a.imp}/apply`], { duplicates: "skip" }),
};
