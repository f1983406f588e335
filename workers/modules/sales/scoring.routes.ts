import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { putIcp, serializeIcp } from "./icp.service";
import { acceptModel, listModels, proposeModel, rejectModel, revertModel } from "./scoring-models.service";
import { getLeadScore, loadIcp, startRescore } from "./scoring.service";
import { icpInput, icpSchema, leadScoreSchema, modelsQuery, rescoreInput, rescoreSchema, scoreModelSchema } from "./scoring.schemas";

/** ICP and lead scoring: the profile, scores with explanations, rescoring, refits (mounted at /api/v1; docs/sales.md). */
export const scoringRoutes = createRouter();

const tags = ["Sales scoring"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const leadParam = idParam("id", "lead_01jd0000000000000000000000");
const modelParam = idParam("id", "smod_01jd0000000000000000000000");

scoringRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/icp",
    tags,
    summary: "The ideal customer profile, its points per trait, and how many leads still wait to be re-scored",
    responses: { 200: jsonResponse(icpSchema, "The ICP (defaults until one is saved)") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    return c.json(await serializeIcp(db, tenantId, await loadIcp(db, tenantId)), 200);
  },
);
scoringRoutes.openapi(
  defineRoute(MANAGE, {
    method: "put",
    path: "/sales/icp",
    tags,
    summary: "Save the ICP: bumps its version and re-scores every lead (the first slice at once, the cron the rest)",
    request: jsonBody(icpInput),
    responses: {
      200: jsonResponse(icpSchema, "Saved"),
      422: problemDoc("An unknown size band, trait or exclusion, or a weight out of range (see `errors`)"),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    await putIcp(db, tenantId, c.req.valid("json"), actorOf(c));
    await startRescore(db, tenantId, { all: false, max: 2_000 });
    return c.json(await serializeIcp(db, tenantId, await loadIcp(db, tenantId)), 200);
  },
);
scoringRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/leads/{id}/score",
    tags,
    summary: "A lead's score and the lines that explain it (points sum to `unclamped`; the score is clamped to 0–100)",
    request: { params: leadParam },
    responses: { 200: jsonResponse(leadScoreSchema, "The score") },
  }),
  async (c) => c.json(await getLeadScore(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string), 200),
);
scoringRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/scoring/rescore",
    tags,
    summary: "Re-score leads: every lead (`all`, default) or only stale ones; up to `max` now, the cron continues. Reports leads/s",
    request: { body: { required: false, content: { "application/json": { schema: rescoreInput } } } },
    responses: { 200: jsonResponse(rescoreSchema, "Scored this many; this many remain") },
  }),
  async (c) => {
    const body = c.req.valid("json") ?? { all: true, max: 2_000 };
    return c.json(await startRescore(getDb(c.env.DB), currentTenantId(c), { all: body.all ?? true, max: body.max ?? 2_000 }), 200);
  },
);
scoringRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/scoring/refit",
    tags,
    summary: "Learn weights from won and lost deals (logistic regression); stores a proposed model with before/after figures",
    responses: {
      201: jsonResponse(scoreModelSchema, "A proposed model"),
      422: problemDoc("Fewer than 10 leads with a won deal or 10 with a lost one (says how many more are needed)"),
    },
  }),
  async (c) => c.json(await proposeModel(getDb(c.env.DB), currentTenantId(c), actorOf(c)), 201),
);
scoringRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/scoring/models",
    tags,
    summary: "Fitted models, newest first (proposed, active, superseded, rejected, reverted)",
    request: { query: modelsQuery },
    responses: { 200: jsonResponse(pageSchema(scoreModelSchema), "A page of models") },
  }),
  async (c) => c.json(await listModels(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

const decide = (action: "accept" | "reject" | "revert", summary: string, fn: typeof acceptModel) =>
  scoringRoutes.openapi(
    defineRoute(MANAGE, {
      method: "post",
      path: `/sales/scoring/models/{id}/${action}`,
      tags,
      summary,
      request: { params: modelParam },
      responses: { 200: jsonResponse(scoreModelSchema, "The model"), 409: problemDoc("The model is not in a state that allows this") },
    }),
    async (c) => {
      const db = getDb(c.env.DB);
      const tenantId = currentTenantId(c);
      const model = await fn(db, tenantId, c.req.valid("param").id as string, actorOf(c));
      if (action !== "reject") await startRescore(db, tenantId, { all: false, max: 2_000 }); // new weights: a first slice now
      return c.json(model, 200);
    },
  );
decide("accept", "Accept a proposed model: its weights become the ICP's (the old ones kept) and every lead is re-scored", acceptModel);
decide("reject", "Reject a proposed model", rejectModel);
decide("revert", "Revert the active model: the weights from before it come back and every lead is re-scored", revertModel);
