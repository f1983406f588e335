import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import type { WorkflowDefinition } from "../definition";

export const db = getDb(env.DB);

export const asUser =
  (u: TestUser) =>
  (path: string, opts: { method?: string; body?: unknown } = {}) =>
    callJson(path, { ...opts, token: u.accessToken, tenant: u.tenantId, ip: u.ip });

/** A workspace on Professional (workflows are a Professional feature). */
export async function professional(): Promise<TestUser> {
  const u = await signUp();
  await subscribeViaSimulator(u, { plan: "professional", seats: 10 });
  return u;
}

type N = [id: string, type: WorkflowDefinition["nodes"][number]["type"], config?: Record<string, unknown>];
/** A definition from nodes (the trigger node is added) and edges `from>to` or `from>to:port`. */
export function def(trigger: WorkflowDefinition["trigger"], nodes: N[], edges: string[]): WorkflowDefinition {
  return {
    trigger,
    nodes: [["trigger", "trigger", {}] as N, ...nodes].map(([id, type, config], i) => ({
      id,
      type,
      name: id,
      position: { x: i * 200, y: 0 },
      config: config ?? {},
    })),
    edges: edges.map((e, i) => {
      const [from, rest] = e.split(">");
      const [to, port] = rest.split(":");
      return { id: `e${i}`, from, to, ...(port ? { port } : {}) };
    }),
  };
}

/** Creates and publishes a workflow; returns its id. */
export async function published(u: TestUser, definition: WorkflowDefinition, name = "Test workflow"): Promise<string> {
  const as = asUser(u);
  const created = await as("/api/v1/workflows", { method: "POST", body: { name, definition } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const pub = await as(`/api/v1/workflows/${created.body.id}/publish`, { method: "POST" });
  expect(pub.status, JSON.stringify(pub.body)).toBe(200);
  return created.body.id as string;
}

/** The run detail as the tests read it (WorkflowRunDetail, loosely). */
export interface StepView {
  step_key: string;
  status: string;
  port: string | null;
  attempts: number;
  replayed: boolean;
  error: string | null;
  input: { headers?: Record<string, string>; subject?: string } | null;
  output: unknown;
  attempt_log: { status: string; error: string | null }[];
}
export interface RunView {
  id: string;
  status: string;
  version: number;
  error: string | null;
  finished_at: string | null;
  steps: StepView[];
  approvals: { id: string; status: string; title: string; message: string; decided_via: string | null; comment: string | null }[];
}

/** Polls the run until `until` holds (the engine runs in its own Workflow instance). */
export async function waitForRun(u: TestUser, runId: string, until: (run: RunView) => boolean, timeoutMs = 25_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let last: RunView | null = null;
  while (Date.now() < deadline) {
    const r = await asUser(u)(`/api/v1/workflow-runs/${runId}`);
    expect(r.status).toBe(200);
    last = r.body as RunView;
    if (until(last)) return last;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`run ${runId} never reached the state; last: ${JSON.stringify(last)}`);
}

export const stepOf = (run: RunView, key: string): StepView | undefined => run.steps.find((s) => s.step_key === key);
export function mustStep(run: RunView, key: string): StepView {
  const s = stepOf(run, key);
  if (!s) throw new Error(`run ${run.id} has no step ${key}: ${JSON.stringify(run.steps)}`);
  return s;
}
