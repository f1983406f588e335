import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { putSecret } from "../secrets.service";
import { createWorkflow, publishWorkflow } from "../workflows.service";
import { workflowRuns } from "../../../../schema/workflows";
import { newId } from "../../../platform/ids";
import { dispatchQueued } from "../runs.service";
import { def, waitForRun } from "./workflows-helpers";

/**
 * Tenant-isolation cases for the workflows routes, spread into CASES in tenant-isolation.test.ts.
 * A gets (once, through the services: A's plan does not matter) a published workflow, a run waiting
 * on an approval and a secret; B tries them through B's own workspace and gets 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const SECRET = "A_ONLY_ISOLATION_SECRET";
const MARK = "Okapi approval flow";
const system = { type: "system" as const, id: null, ip: null, userAgent: null };

let fixture: Promise<{ workflow: string; run: string; approval: string }> | null = null;
export function aWorkflows(w: AB) {
  fixture ??= (async () => {
    const db = getDb(env.DB);
    const definition = def({ type: "manual" }, [["ok", "approval", { title: MARK, approver_roles: ["owner"] }]], ["trigger>ok"]);
    const wf = await createWorkflow(db, env, w.a.tenantId, { name: MARK, definition }, system);
    await publishWorkflow(db, w.a.tenantId, wf.id, system);
    await putSecret(db, env, w.a.tenantId, SECRET, "a-only", system);
    // The run is written queued and dispatched directly: A is on Starter, whose workflow_runs limit is 0
    // (startRun would refuse it with 402), and the plan is not what these cases test.
    const now = Date.now();
    const run = { id: newId("wfr") };
    await db.insert(workflowRuns).values({
      tenantId: w.a.tenantId,
      id: run.id,
      workflowId: wf.id,
      version: 1,
      status: "queued",
      triggerType: "manual",
      input: { type: "manual", data: {} },
      createdAt: now,
      updatedAt: now,
    });
    await dispatchQueued(db, env, w.a.tenantId);
    const waiting = await waitForRun(w.a, run.id, (r) => r.approvals.length === 1);
    return { workflow: wf.id, run: run.id, approval: waiting.approvals[0].id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aWorkflows(w);
  const text = JSON.stringify(payload);
  for (const s of [ids.workflow, ids.run, ids.approval, MARK, SECRET]) expect(text, `leaked ${s}`).not.toContain(s);
};
const wf404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const { workflow } = await aWorkflows(w);
    expect((await asB(w, method, `/api/v1/workflows/${workflow}${suffix}`, body)).status, `${method} ${suffix}`).toBe(404);
  };
const run404 =
  (method: string, suffix: string): Case =>
  async (w) => {
    const { run } = await aWorkflows(w);
    expect((await asB(w, method, `/api/v1/workflow-runs/${run}${suffix}`)).status).toBe(404);
  };
const ok200 =
  (path: string): Case =>
  async (w) => {
    const r = await asB(w, "GET", path);
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  };

export const WORKFLOWS_CASES: Record<string, Case> = {
  "GET /api/v1/workflows/node-types": ok200("/api/v1/workflows/node-types"),
  "GET /api/v1/workflows/events": ok200("/api/v1/workflows/events"),
  "GET /api/v1/workflows/templates": ok200("/api/v1/workflows/templates"),
  "POST /api/v1/workflows/from-template": async (w) => {
    // B's own draft (or B's plan's 402); never A's.
    const r = await asB(w, "POST", "/api/v1/workflows/from-template", { template_id: "integration_setup" });
    expect([201, 402]).toContain(r.status);
    await noneOfA(w, r.body);
  },
  "GET /api/v1/workflows/secrets": ok200("/api/v1/workflows/secrets"),
  "GET /api/v1/workflows/secrets/{name}": async (w) => {
    await aWorkflows(w);
    expect((await asB(w, "GET", `/api/v1/workflows/secrets/${SECRET}`)).status).toBe(404);
  },
  "PUT /api/v1/workflows/secrets/{name}": async (w) => {
    await aWorkflows(w);
    // Same name in B: B's own vault entry (or B's plan's 402); A's stays A's.
    const r = await asB(w, "PUT", `/api/v1/workflows/secrets/${SECRET}`, { value: "b" });
    expect([200, 402]).toContain(r.status);
    const a = await callJson(`/api/v1/workflows/secrets/${SECRET}`, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.status).toBe(200);
    if (r.status === 200) expect((await asB(w, "DELETE", `/api/v1/workflows/secrets/${SECRET}`)).status).toBe(204);
  },
  "DELETE /api/v1/workflows/secrets/{name}": async (w) => {
    await aWorkflows(w);
    expect((await asB(w, "DELETE", `/api/v1/workflows/secrets/${SECRET}`)).status).toBe(404);
  },
  "GET /api/v1/workflows": ok200("/api/v1/workflows?limit=100"),
  "POST /api/v1/workflows": async (w) => {
    const r = await asB(w, "POST", "/api/v1/workflows", { name: "B's workflow" });
    expect([201, 402]).toContain(r.status);
  },
  "GET /api/v1/workflows/{id}": wf404("GET", ""),
  "PATCH /api/v1/workflows/{id}": wf404("PATCH", "", { name: "B was here" }),
  "DELETE /api/v1/workflows/{id}": wf404("DELETE", ""),
  "POST /api/v1/workflows/{id}/validate": wf404("POST", "/validate", {}),
  "POST /api/v1/workflows/{id}/publish": wf404("POST", "/publish"),
  "GET /api/v1/workflows/{id}/versions": wf404("GET", "/versions"),
  "GET /api/v1/workflows/{id}/webhook": wf404("GET", "/webhook"),
  "POST /api/v1/workflows/{id}/runs": wf404("POST", "/runs", { input: {} }),
  "GET /api/v1/workflows/{id}/runs": wf404("GET", "/runs"),
  "GET /api/v1/workflow-runs/{id}": run404("GET", ""),
  "POST /api/v1/workflow-runs/{id}/cancel": run404("POST", "/cancel"),
  "POST /api/v1/workflow-runs/{id}/retry": run404("POST", "/retry"),
  "GET /api/v1/workflow-approvals": async (w) => {
    await aWorkflows(w);
    for (const q of ["", "?scope=all", "?scope=all&status=approved"]) {
      const r = await asB(w, "GET", `/api/v1/workflow-approvals${q}`);
      expect(r.status).toBe(200);
      await noneOfA(w, r.body);
    }
  },
  "POST /api/v1/workflow-approvals/{id}/decide": async (w) => {
    const { approval } = await aWorkflows(w);
    expect((await asB(w, "POST", `/api/v1/workflow-approvals/${approval}/decide`, { decision: "approved" })).status).toBe(404);
  },
};
