import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { hasFeature, requireFeature } from "../billing";
import { callSummary, exportCallsCsv } from "./calls.service";
import { createCase, deleteCase, getCase, listCases, listRuns, runEvals, updateCase } from "./evals.service";
import { evaluate, type Surface } from "./guardrails";
import {
  currentPlan,
  effectiveLogRetentionDays,
  getGuardrails,
  planLogRetentionDays,
  putGuardrails,
  type Guardrails,
} from "./guardrails.service";
import { decideHold, listHolds } from "./holds.service";
import {
  callFiltersQuery,
  callSummarySchema,
  decideBody,
  evalCaseBody,
  evalCasePatch,
  evalCaseSchema,
  evalRunBody,
  evalRunSchema,
  evalRunsSchema,
  guardrailsBody,
  guardrailsSchema,
  guardrailsTestBody,
  guardrailsTestResult,
  holdSchema,
  holdsQuery,
  toCallFilters,
} from "./safety.schemas";

/** The AI safety console: guardrails, the approval queue, the call log's summary and export, model evaluations (mounted at /api/v1; docs/ai-safety.md). */
export const aiSafetyRoutes = createRouter();
const TAG = ["AI safety"];
const READ = { auth: "tenant", permission: "ai:read" } as const;
const MANAGE = { auth: "tenant", permission: "ai:manage" } as const;
const FEATURE = "ai_safety_console" as const;
const needsPlan = { 402: problemDoc("The plan does not include the AI safety console") };
const idParam = (prefix: string) =>
  z.object({
    id: z
      .string()
      .max(64)
      .openapi({ param: { name: "id", in: "path" }, example: `${prefix}_…` }),
  });

type GuardrailsBody = z.infer<typeof guardrailsBody>;
const fromBody = (b: GuardrailsBody) => ({
  blockedTopics: b.blocked_topics,
  blockedPhrases: b.blocked_phrases,
  disclaimers: b.disclaimers,
  claimRules: b.claim_rules,
  onBlocked: b.on_blocked,
  dailySendCap: b.daily_send_cap,
  logRetentionDays: b.log_retention_days,
});

async function guardrailsView(c: Context<AppEnv>, g: Guardrails) {
  const db = getDb(c.env.DB);
  const tenantId = currentTenantId(c);
  const [plan, canEdit] = await Promise.all([currentPlan(db, c.env.DB, tenantId), hasFeature(db, tenantId, FEATURE)]);
  return {
    blocked_topics: g.blockedTopics,
    blocked_phrases: g.blockedPhrases,
    disclaimers: g.disclaimers,
    claim_rules: g.claimRules,
    on_blocked: g.onBlocked,
    daily_send_cap: g.dailySendCap,
    log_retention_days: g.logRetentionDays,
    plan_log_retention_days: planLogRetentionDays(plan),
    effective_log_retention_days: effectiveLogRetentionDays(plan, g.logRetentionDays),
    can_edit: canEdit,
    updated_at: iso(g.updatedAt),
  };
}

// ── guardrails ──────────────────────────────────────────────────────────────────────────────

aiSafetyRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/ai/guardrails",
    tags: TAG,
    summary: "The workspace's AI guardrails (every plan may read them)",
    responses: { 200: jsonResponse(guardrailsSchema, "Guardrails") },
  }),
  async (c) => c.json(await guardrailsView(c, await getGuardrails(getDb(c.env.DB), currentTenantId(c))), 200),
);

aiSafetyRoutes.openapi(
  defineRoute(MANAGE, {
    method: "put",
    path: "/ai/guardrails",
    tags: TAG,
    summary: "Replace the guardrails: blocked topics/phrases, disclaimers, claims needing approval, daily send cap, log retention",
    request: jsonBody(guardrailsBody),
    responses: { 200: jsonResponse(guardrailsSchema, "Saved"), ...needsPlan },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    const g = await putGuardrails(getDb(c.env.DB), c.env.DB, currentTenantId(c), fromBody(c.req.valid("json")), actorOf(c));
    return c.json(await guardrailsView(c, g), 200);
  },
);

aiSafetyRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/ai/guardrails/test",
    tags: TAG,
    summary: "What the guardrails (saved, or the unsaved ones sent) would do with a text on a surface",
    request: jsonBody(guardrailsTestBody),
    responses: { 200: jsonResponse(guardrailsTestResult, "The decision and the rules that fired") },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const rules = b.guardrails ? fromBody(b.guardrails) : await getGuardrails(getDb(c.env.DB), currentTenantId(c));
    return c.json(evaluate(rules, b.surface as Surface, b.text), 200);
  },
);

// ── the approval queue ──────────────────────────────────────────────────────────────────────

aiSafetyRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/ai/holds",
    tags: TAG,
    summary: "AI outputs held for approval, newest first (filter by status, ref type)",
    request: { query: pageQuerySchema.merge(holdsQuery) },
    responses: { 200: jsonResponse(pageSchema(holdSchema), "A page of held items") },
  }),
  async (c) => c.json(await listHolds(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

for (const [verb, decision] of [
  ["approve", "approved"],
  ["reject", "rejected"],
] as const) {
  aiSafetyRoutes.openapi(
    defineRoute(MANAGE, {
      method: "post",
      path: `/ai/holds/{id}/${verb}`,
      tags: TAG,
      summary:
        decision === "approved"
          ? "Approve a held item: it is released to its surface (e.g. the draft is scheduled)"
          : "Reject a held item: it is dropped",
      request: { params: idParam("hold"), ...jsonBody(decideBody) },
      responses: { 200: jsonResponse(holdSchema, "Decided"), 409: problemDoc("Already decided") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const hold = await decideHold(
        c.env,
        getDb(c.env.DB),
        currentTenantId(c),
        id,
        decision,
        c.req.valid("json").comment ?? null,
        actorOf(c),
      );
      return c.json(hold, 200);
    },
  );
}

// ── the call log: export and summary (the list is GET /ai/calls in routes.ts) ────────────────

aiSafetyRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/ai/calls/export",
    tags: TAG,
    summary: "The AI call log as CSV (same filters as the list; newest first, at most 100,000 rows)",
    request: { query: callFiltersQuery },
    responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } } },
  }),
  async (c) => {
    const stream = exportCallsCsv(getDb(c.env.DB), currentTenantId(c), toCallFilters(c.req.valid("query")));
    return c.body(stream, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="ai-calls.csv"' });
  },
);

aiSafetyRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/ai/calls/summary",
    tags: TAG,
    summary: "Per day: calls, tokens, cost, p50/p95 latency, surfaces, rules fired, actions, PII redactions by kind",
    request: { query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) },
    responses: { 200: jsonResponse(callSummarySchema, "Summary") },
  }),
  async (c) => c.json(await callSummary(c.env.DB, currentTenantId(c), c.req.valid("query").days), 200),
);

// ── evaluations ─────────────────────────────────────────────────────────────────────────────

aiSafetyRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/ai/evals/cases",
    tags: TAG,
    summary: "Evaluation cases: prompts with the properties their answers must have",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(evalCaseSchema), "A page of cases") },
  }),
  async (c) => c.json(await listCases(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

aiSafetyRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/ai/evals/cases",
    tags: TAG,
    summary: "Add an evaluation case",
    request: jsonBody(evalCaseBody),
    responses: { 201: jsonResponse(evalCaseSchema, "Created"), ...needsPlan },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    return c.json(await createCase(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c)), 201);
  },
);

aiSafetyRoutes.openapi(
  defineRoute(MANAGE, {
    method: "patch",
    path: "/ai/evals/cases/{id}",
    tags: TAG,
    summary: "Change an evaluation case",
    request: { params: idParam("evc"), ...jsonBody(evalCasePatch) },
    responses: { 200: jsonResponse(evalCaseSchema, "Saved"), ...needsPlan },
  }),
  async (c) => {
    await getCase(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id); // 404 before 402
    await requireFeature(c, FEATURE);
    return c.json(await updateCase(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, c.req.valid("json"), actorOf(c)), 200);
  },
);

aiSafetyRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/ai/evals/cases/{id}",
    tags: TAG,
    summary: "Delete an evaluation case (past runs keep their results)",
    request: { params: idParam("evc") },
    responses: { 204: noContent, ...needsPlan },
  }),
  async (c) => {
    await getCase(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id); // 404 before 402
    await requireFeature(c, FEATURE);
    await deleteCase(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, actorOf(c));
    return c.body(null, 204);
  },
);

aiSafetyRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/ai/evals/runs",
    tags: TAG,
    summary: "Run every case (at most 50) against one provider and model; pass/fail per case",
    request: jsonBody(evalRunBody),
    responses: { 201: jsonResponse(evalRunSchema, "The finished run"), ...needsPlan },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    return c.json(await runEvals(c.env, getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c)), 201);
  },
);

aiSafetyRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/ai/evals/runs",
    tags: TAG,
    summary: "Evaluation runs, newest first, and each model's latest pass rate side by side",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(evalRunsSchema, "Runs and models") },
  }),
  async (c) => c.json(await listRuns(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
