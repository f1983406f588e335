import type { Context } from "hono";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { requireFeature } from "../billing";
import { boardFor, type CachedBoard, forgetBoards, TTL_MS } from "./cache.service";
import { type BoardFilters, type BoardQuery, boardQuery, resolveFilters } from "./filters";
import { boardSchema } from "./schemas";

/** The AI salesboard (mounted at /api/v1; docs/sales.md "salesboard"). Plan feature `salesboard`, permission `sales:read`. */
export const salesboardRoutes = createRouter();
const tags = ["Salesboard"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const responses = {
  200: jsonResponse(boardSchema, "Pipeline, funnel, activity, sequence figures and coaching insights"),
  402: problemDoc("The plan does not include the salesboard"),
  404: problemDoc("The owner (a member) or the sequence is not in this workspace"),
};

const serialize = (r: CachedBoard, f: BoardFilters) => ({
  computed_at: new Date(r.computedAt).toISOString(),
  fresh_until: new Date(r.computedAt + TTL_MS).toISOString(),
  cached: r.cached,
  elapsed_ms: r.elapsedMs,
  filters: { period: f.period, owner: f.owner ?? null, source: f.source ?? null, sequence: f.sequence ?? null },
  ...r.board,
});

async function answer(c: Context<AppEnv>, q: BoardQuery, refresh: boolean) {
  await requireFeature(c, "salesboard");
  const db = getDb(c.env.DB);
  const tenantId = currentTenantId(c);
  const f = resolveFilters(q, Date.now());
  if (refresh) await forgetBoards(db, tenantId);
  const fresh = refresh || q.fresh === "1" || q.fresh === "true";
  return serialize(await boardFor(db, tenantId, f, { fresh }), f);
}

salesboardRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/salesboard",
    tags,
    summary:
      "The salesboard: pipeline and conversion, funnel, activity per rep, reply/meeting rates per step, coaching insights (cached 5 min; fresh=1 recomputes)",
    request: { query: boardQuery },
    responses,
  }),
  async (c) => c.json(await answer(c, c.req.valid("query"), false), 200),
);

salesboardRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/salesboard/refresh",
    tags,
    summary: "Sync now: drop the workspace's cached boards and recompute this one (same filters as GET)",
    request: { query: boardQuery },
    responses,
  }),
  async (c) => c.json(await answer(c, c.req.valid("query"), true), 200),
);
