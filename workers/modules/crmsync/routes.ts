import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireFeature } from "../billing";
import { actorOf } from "../../platform/audit";
import type { AppEnv } from "../../platform/context";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { Problem, validationFailed } from "../../platform/errors";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin, clientIp, userAgent } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { CRM_PROVIDERS, type CrmProvider } from "../../../schema/crm-sync";
import { runSync } from "./engine";
import { providerName } from "./http";
import { CrmAuthError, CrmHttpError } from "./types";
import { authorizeUrl, exchangeCode, oauthApp, signState, verifyState } from "./oauth";
import { connectInput, connectionPatch, connectionSchema, providerInfoSchema, providerParam, runSchema } from "./schemas";
import { connect, connectionView, disconnect, getConnectionRow, listConnections, updateConnection } from "./connections.service";
import { getRun, listRuns, startRun } from "./runs.service";
import { serializeRun } from "./serialize";

/**
 * The integration hub (docs/sales.md "CRM sync"): connections to HubSpot, Salesforce and Pipedrive,
 * their configuration, Sync now and the run log. Mounted at /api/v1. Connecting, configuring and
 * syncing need the plan's `custom_integrations` feature (402); reading and disconnecting do not, so
 * a workspace that downgraded can still see and remove what it had.
 */
export const crmSyncRoutes = createRouter();
const tags = ["CRM sync"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const connParam = idParam("id", "crm_01jd0000000000000000000000");
const runParam = idParam("id", "crr_01jd0000000000000000000000");
const FEATURE = "custom_integrations";

const TOKEN_LABEL: Record<CrmProvider, string> = {
  hubspot: "Private app access token",
  salesforce: "Access token (with the org's instance URL)",
  pipedrive: "Personal API token",
};
const callbackUrl = (c: Context<AppEnv>) => `${appOrigin(c)}/api/v1/sales/integrations/oauth/callback`;

crmSyncRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/integrations",
    tags,
    summary: "The CRMs Weft syncs with (and whether sign-in is configured for each) and this workspace's connections",
    responses: {
      200: jsonResponse(
        z.object({ providers: z.array(providerInfoSchema), connections: z.array(connectionSchema) }),
        "Providers and connections",
      ),
    },
  }),
  async (c) =>
    c.json(
      {
        providers: CRM_PROVIDERS.map((p) => ({
          id: p,
          name: providerName(p),
          oauth: oauthApp(c.env, p) !== null,
          token_label: TOKEN_LABEL[p],
          needs_instance_url: p === "salesforce",
        })),
        connections: await listConnections(getDb(c.env.DB), currentTenantId(c)),
      },
      200,
    ),
);
crmSyncRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/integrations",
    tags,
    summary: "Connect a CRM with a token (checked against the CRM; stored encrypted, never returned)",
    request: jsonBody(connectInput),
    responses: {
      201: jsonResponse(connectionSchema, "Connected"),
      402: problemDoc("The plan does not include CRM sync"),
      409: problemDoc("Already connected to this CRM"),
      422: problemDoc("The CRM refused the token"),
    },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    const body = c.req.valid("json");
    if (body.provider === "salesforce" && !body.instance_url)
      throw validationFailed([{ path: "instance_url", message: "is required for Salesforce" }]);
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const row = await connect(
      c.env,
      db,
      tenantId,
      {
        provider: body.provider,
        auth_kind: "token",
        credentials: { access_token: body.token, instance_url: body.instance_url ?? null },
        direction: body.direction,
        conflict_rule: body.conflict_rule,
        interval_minutes: body.interval_minutes,
      },
      actorOf(c),
    ).catch(refused);
    return c.json(await connectionView(db, tenantId, row), 201);
  },
);

/** A CRM that refuses the credentials while connecting is the caller's input problem (422), not a server error. */
function refused(e: unknown): never {
  if (e instanceof CrmAuthError || e instanceof CrmHttpError)
    throw new Problem(422, "crm-refused", "The CRM refused the connection", e.message);
  throw e;
}

crmSyncRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/sales/integrations/oauth/callback",
      tags,
      summary:
        "Where the CRM sends the browser back after sign-in: checks the signed state, exchanges the code, connects, returns to the app",
      request: {
        query: z.object({
          state: z.string().max(2000),
          code: z.string().max(2000).optional(),
          error: z.string().max(500).optional(),
          error_description: z.string().max(1000).optional(),
        }),
      },
      responses: { 302: { description: "Back to the integrations page (with connected=<id> or error=<text>)" } },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    const back = (params: Record<string, string>) => c.redirect(`${appOrigin(c)}/sales/integrations?${new URLSearchParams(params)}`, 302);
    const s = await verifyState(c.env, q.state);
    if (q.error || !q.code) return back({ error: q.error_description ?? q.error ?? "The sign-in was cancelled." });
    try {
      const creds = await exchangeCode(c.env, s.p, q.code, callbackUrl(c));
      const row = await connect(
        c.env,
        getDb(c.env.DB),
        s.t,
        { provider: s.p, auth_kind: "oauth", credentials: creds },
        { type: "user", id: s.u, ip: clientIp(c), userAgent: userAgent(c) },
      );
      return back({ connected: row.id });
    } catch (e) {
      return back({ error: e instanceof Problem ? (e.detail ?? e.title) : e instanceof Error ? e.message : "Connecting failed." });
    }
  },
);
crmSyncRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/integrations/runs/{id}",
    tags,
    summary: "One sync run: its progress or result, counts and per-record lines",
    request: { params: runParam },
    responses: { 200: jsonResponse(runSchema, "The run") },
  }),
  async (c) => c.json(serializeRun(await getRun(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string)), 200),
);
crmSyncRoutes.openapi(
  defineRoute(MANAGE, {
    method: "get",
    path: "/sales/integrations/{provider}/authorize",
    tags,
    summary: "The CRM's sign-in URL (OAuth 2) with a signed state bound to this workspace and user",
    request: { params: providerParam },
    responses: {
      200: jsonResponse(z.object({ url: z.string() }), "Send the browser here"),
      402: problemDoc("The plan does not include CRM sync"),
      409: problemDoc("OAuth is not configured for this CRM (connect with a token)"),
    },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    const { provider } = c.req.valid("param");
    const p = c.get("principal");
    const state = await signState(c.env, { t: currentTenantId(c), u: p?.kind === "user" ? p.userId : null, p: provider });
    return c.json({ url: authorizeUrl(c.env, provider, callbackUrl(c), state) }, 200);
  },
);
crmSyncRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/integrations/{id}",
    tags,
    summary: "A connection: mapping, direction, conflict rule, schedule, stage map, last run",
    request: { params: connParam },
    responses: { 200: jsonResponse(connectionSchema, "The connection") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    return c.json(await connectionView(db, tenantId, await getConnectionRow(db, tenantId, c.req.valid("param").id as string)), 200);
  },
);
crmSyncRoutes.openapi(
  defineRoute(MANAGE, {
    method: "patch",
    path: "/sales/integrations/{id}",
    tags,
    summary: "Change the field mapping, direction, conflict rule, schedule or stage map",
    request: { params: connParam, ...jsonBody(connectionPatch) },
    responses: {
      200: jsonResponse(connectionSchema, "Updated"),
      402: problemDoc("The plan does not include CRM sync"),
      400: problemDoc("A mapping names an unknown field, or the stage map an unknown stage"),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id as string;
    await getConnectionRow(db, tenantId, id); // another workspace's id: 404 before the plan check
    await requireFeature(c, FEATURE);
    const row = await updateConnection(db, tenantId, id, c.req.valid("json"), actorOf(c));
    return c.json(await connectionView(db, tenantId, row), 200);
  },
);
crmSyncRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/sales/integrations/{id}",
    tags,
    summary: "Disconnect: the credentials, links and run log go; synced leads and deals stay",
    request: { params: connParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await disconnect(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
crmSyncRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/integrations/{id}/sync",
    tags,
    summary: "Sync now: starts a run in the background (or returns the one already running); poll the run for progress",
    request: { params: connParam },
    responses: {
      202: jsonResponse(runSchema, "The run (queued or running)"),
      402: problemDoc("The plan does not include CRM sync"),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const conn = await getConnectionRow(db, tenantId, c.req.valid("param").id as string);
    await requireFeature(c, FEATURE);
    const { run, fresh } = await startRun(db, conn, "manual");
    if (fresh) c.executionCtx.waitUntil(runSync(c.env, tenantId, run.id));
    return c.json(serializeRun(run), 202);
  },
);
crmSyncRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/integrations/{id}/runs",
    tags,
    summary: "The connection's sync log, newest first",
    request: { params: connParam, query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(runSchema), "A page of runs") },
  }),
  async (c) => c.json(await listRuns(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("query")), 200),
);
