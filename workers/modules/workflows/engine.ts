import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { type Db, getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { type ApprovalDecision, escalateApproval, requestApproval, timeoutApproval } from "./approvals.request";
import { evaluateCondition } from "./conditions";
import type { WorkflowDefinition, WorkflowNode } from "./definition";
import { aiStep, type Executed, httpRequestStep, sendMessageStep, type StepContext, updateRecordStep } from "./executors";
import { leftTemplate } from "./conditions";
import { render, type Scope, stringify } from "./expressions";
import { type NodeConfig, nodeConfigSchemas, type RetryConfig } from "./node-types";
import { type LoadedRun, loadRun, recordStep } from "./run-state";
import { dispatchQueued, finishRun, type RunParams } from "./runs.service";

/**
 * AutomationRun: one Cloudflare Workflows instance per run (instance id = run id). The graph walk
 * is deterministic over step results, so when the runtime replays `run()` after a sleep, a wait
 * for an approval or an eviction, every finished step returns its cached result and the walk
 * arrives where it stopped. Each node is a `step.do` with the node's retries and timeout; every
 * attempt is also written to D1 from inside the step (run history never asks the Workflows API).
 */
type Outcome = { port: string; output: unknown };
const BOOKKEEPING = { retries: { limit: 3, delay: 500, backoff: "constant" as const }, timeout: "30 seconds" as const };
const DEFAULT_RETRIES: RetryConfig = { limit: 2, delay_seconds: 5, backoff: "exponential" };
const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
type Action = "send_message" | "http_request" | "update_record" | "ai";
const EXECUTORS: { [K in Action]: (x: StepContext, cfg: NodeConfig<K>) => Promise<Executed> } = {
  send_message: sendMessageStep,
  http_request: httpRequestStep,
  update_record: updateRecordStep,
  ai: aiStep,
};

class Walk {
  private nodes = new Map<string, WorkflowNode>();
  private edges = new Map<string, string>();
  readonly scope: Scope;

  constructor(
    private readonly step: WorkflowStep,
    private readonly db: Db,
    private readonly env: Env,
    private readonly p: RunParams,
    private readonly run: LoadedRun,
  ) {
    const def: WorkflowDefinition = run.definition;
    for (const n of def.nodes) this.nodes.set(n.id, n);
    for (const e of def.edges) this.edges.set(`${e.from}:${e.port ?? "next"}`, e.to);
    this.scope = { trigger: run.input, steps: {}, vars: {}, run: { id: p.runId, workflow_id: run.workflowId, version: run.version } };
  }

  start(): Promise<unknown> {
    const trigger = [...this.nodes.values()].find((n) => n.type === "trigger");
    return this.from(trigger ? this.edges.get(`${trigger.id}:next`) : undefined, "");
  }

  /** Runs nodes from `id` until a node has no edge for the port it left by; returns the last output. */
  private async from(id: string | undefined, suffix: string): Promise<unknown> {
    let last: unknown = null;
    while (id) {
      const node = this.nodes.get(id);
      if (!node) throw new NonRetryableError(`Node ${id} is not in this version`);
      const out = await this.node(node, `${node.id}${suffix}`);
      this.scope.steps[node.id] = { output: out.output };
      last = out.output;
      id = this.edges.get(`${node.id}:${out.port}`);
    }
    return last;
  }

  private record(
    node: WorkflowNode,
    stepKey: string,
    attempt: number,
    r: Partial<Parameters<typeof recordStep>[3]>,
    status: "running" | "waiting" = "running",
  ) {
    return recordStep(
      this.db,
      this.p.tenantId,
      this.p.runId,
      { stepKey, attempt, nodeId: node.id, nodeType: node.type, status: "succeeded", startedAt: Date.now(), ...r },
      status,
    );
  }

  private async node(node: WorkflowNode, key: string): Promise<Outcome> {
    const replayed = this.run.replay[key];
    if (replayed && node.type !== "loop") {
      return this.step.do(key, BOOKKEEPING, async () => {
        await this.record(node, key, 1, { output: replayed.output, port: replayed.port, replayed: true, input: null });
        return replayed as Outcome & Rpc.Serializable<Outcome>;
      });
    }
    const cfg = nodeConfigSchemas[node.type].parse(node.config ?? {}) as Record<string, unknown>;
    switch (node.type) {
      case "trigger":
        return { port: "next", output: this.run.input.data };
      case "condition":
        return this.step.do(key, BOOKKEEPING, async () => {
          const started = Date.now();
          const result = evaluateCondition((cfg as NodeConfig<"condition">).condition, this.scope);
          const port = result ? "true" : "false";
          await this.record(node, key, 1, { input: cfg.condition, output: { result }, port, startedAt: started });
          return { port, output: { result } };
        });
      case "wait":
        return this.wait(node, key, cfg as NodeConfig<"wait">);
      case "approval":
        return this.approval(node, key, cfg as NodeConfig<"approval">);
      case "loop":
        return this.loop(node, key, cfg as NodeConfig<"loop">);
      default:
        return this.action(node, key, node.type as Action, cfg);
    }
  }

  private async action(node: WorkflowNode, key: string, type: Action, cfg: Record<string, unknown>): Promise<Outcome> {
    const r = (cfg.retries as RetryConfig | undefined) ?? DEFAULT_RETRIES;
    const config = {
      retries: { limit: r.limit, delay: r.delay_seconds * 1000, backoff: r.backoff },
      timeout: `${(cfg.timeout_seconds as number | undefined) ?? 60} seconds` as const,
    };
    try {
      return await this.step.do(key, config, async (ctx) => {
        const started = Date.now();
        const x: StepContext = {
          db: this.db,
          env: this.env,
          tenantId: this.p.tenantId,
          runId: this.p.runId,
          stepKey: key,
          scope: this.scope,
        };
        let done: Executed;
        try {
          done = await (EXECUTORS[type] as (x: StepContext, c: unknown) => Promise<Executed>)(x, cfg);
        } catch (e) {
          await this.record(node, key, ctx.attempt, { status: "failed", error: message(e), input: null, startedAt: started });
          throw e;
        }
        await this.record(node, key, ctx.attempt, { input: done.input, output: done.output, port: "next", startedAt: started });
        return { port: "next", output: done.output } as Outcome & Rpc.Serializable<Outcome>;
      });
    } catch (e) {
      // Retries exhausted: the error port when the node has one, else the run fails.
      if (this.edges.has(`${node.id}:error`)) return { port: "error", output: { error: message(e) } };
      throw new Error(`${node.name}: ${message(e)}`);
    }
  }

  private async wait(node: WorkflowNode, key: string, cfg: NodeConfig<"wait">): Promise<Outcome> {
    const plan = await this.step.do(key, BOOKKEEPING, async () => {
      const now = Date.now();
      let until: number;
      if (cfg.mode === "until") {
        const raw = render(cfg.until ?? "", this.scope);
        until = typeof raw === "number" ? raw : Date.parse(stringify(raw));
        if (!Number.isFinite(until)) throw new NonRetryableError(`${node.name}: "${stringify(raw)}" is not a time`);
      } else until = now + (cfg.amount ?? 0) * UNIT_MS[cfg.unit];
      await this.record(node, key, 1, { status: "waiting", input: { until: new Date(until).toISOString() }, startedAt: now }, "waiting");
      return { until, started: now };
    });
    if (plan.until > plan.started) await this.step.sleepUntil(`${key}:sleep`, plan.until);
    return this.step.do(`${key}:resume`, BOOKKEEPING, async () => {
      const output = { waited_until: new Date(plan.until).toISOString() };
      await this.record(node, key, 1, { input: output, output, port: "next", startedAt: plan.started });
      return { port: "next", output };
    });
  }

  private async approval(node: WorkflowNode, key: string, cfg: NodeConfig<"approval">): Promise<Outcome> {
    const req = await this.step.do(key, BOOKKEEPING, async () => {
      const now = Date.now();
      const title = stringify(render(cfg.title, this.scope)).slice(0, 200);
      const text = stringify(render(cfg.message, this.scope)).slice(0, 5000);
      const timeoutMs = Math.round(cfg.timeout_hours * 3_600_000);
      const escalateMs = cfg.escalate_after_hours ? Math.round(cfg.escalate_after_hours * 3_600_000) : null;
      const context = {
        trigger: this.run.input,
        steps: Object.fromEntries(Object.entries(this.scope.steps).map(([k, v]) => [k, v.output])),
      };
      const a = await requestApproval(this.db, this.env, {
        tenantId: this.p.tenantId,
        runId: this.p.runId,
        workflowId: this.run.workflowId,
        nodeId: node.id,
        stepKey: key,
        title,
        message: text,
        context,
        approverRoles: cfg.approver_roles,
        approverUserIds: cfg.approver_user_ids,
        escalationUserIds: cfg.escalation_user_ids,
        expiresAt: now + timeoutMs,
      });
      await this.record(node, key, 1, { status: "waiting", input: { title, message: text, approval_id: a.id }, startedAt: now }, "waiting");
      return { ...a, timeoutMs, escalateMs: escalateMs !== null && escalateMs < timeoutMs ? escalateMs : null, started: now };
    });
    const waitFor = async (name: string, ms: number): Promise<ApprovalDecision | null> => {
      try {
        return (await this.step.waitForEvent<ApprovalDecision>(name, { type: req.eventType, timeout: ms })).payload as ApprovalDecision;
      } catch {
        return null; // timed out
      }
    };
    let decision = await waitFor(`${key}:wait`, req.escalateMs ?? req.timeoutMs);
    if (!decision && req.escalateMs !== null) {
      await this.step.do(`${key}:escalate`, BOOKKEEPING, async () => {
        await escalateApproval(this.db, this.env, this.p.tenantId, req.id);
        return true;
      });
      decision = await waitFor(`${key}:wait-escalated`, req.timeoutMs - req.escalateMs);
    }
    return this.step.do(`${key}:decided`, BOOKKEEPING, async () => {
      const d = decision ?? (await timeoutApproval(this.db, this.p.tenantId, req.id));
      const port = d ? d.decision : "timeout";
      const output = { approval_id: req.id, decision: port, comment: d?.comment ?? null, decided_by: d?.decided_by ?? null };
      await this.record(node, key, 1, { input: { approval_id: req.id }, output, port, startedAt: req.started });
      return { port, output };
    });
  }

  private async loop(node: WorkflowNode, key: string, cfg: NodeConfig<"loop">): Promise<Outcome> {
    const items = await this.step.do(key, BOOKKEEPING, async () => {
      const started = Date.now();
      const raw = render(leftTemplate(cfg.items), this.scope);
      if (!Array.isArray(raw)) throw new NonRetryableError(`${node.name}: the items are not a list`);
      const list = raw.slice(0, cfg.max_items);
      await this.record(node, key, 1, {
        input: { items: cfg.items },
        output: { count: list.length, truncated: raw.length > list.length },
        port: "done",
        startedAt: started,
      });
      return list as unknown[] & Rpc.Serializable<unknown[]>;
    });
    const body = this.edges.get(`${node.id}:each`);
    for (const [i, item] of (items as unknown[]).entries()) {
      this.scope.vars.item = item;
      this.scope.vars.index = i;
      await this.from(body, `${key.slice(node.id.length)}#${i}`);
    }
    delete this.scope.vars.item;
    delete this.scope.vars.index;
    return { port: "done", output: { count: (items as unknown[]).length } };
  }
}

export class AutomationRun extends WorkflowEntrypoint<Env, RunParams> {
  async run(event: Readonly<WorkflowEvent<RunParams>>, step: WorkflowStep): Promise<unknown> {
    const p = event.payload;
    const db = getDb(this.env.DB);
    const loaded = await step.do(
      "load",
      BOOKKEEPING,
      async () => (await loadRun(db, p.tenantId, p.runId)) as (LoadedRun & Rpc.Serializable<LoadedRun>) | null,
    );
    if (!loaded) return { skipped: "the run is no longer active" };
    const walk = new Walk(step, db, this.env, p, loaded as LoadedRun);
    let output: unknown;
    try {
      output = await walk.start();
    } catch (e) {
      const error = message(e);
      await step.do("fail", BOOKKEEPING, async () => {
        await finishRun(db, p.tenantId, p.runId, "failed", { error });
        await dispatchQueued(db, this.env, p.tenantId);
        return true;
      });
      throw e;
    }
    await step.do("finish", BOOKKEEPING, async () => {
      await finishRun(db, p.tenantId, p.runId, "completed", { output });
      await dispatchQueued(db, this.env, p.tenantId);
      return true;
    });
    return output ?? null;
  }
}
