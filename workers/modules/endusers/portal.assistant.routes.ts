import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { getDb } from "../../platform/db";
import { idParam } from "../../platform/params";
import { enforceRateLimit } from "../../platform/ratelimit";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { ask, cancelAction, confirmAction, listActions } from "./portal.assistant";
import * as ps from "./portal.schemas";
import { portalParam } from "./schemas";

/** The portal assistant for the signed-in end user (`{ auth: "enduser" }`); write tools wait for /confirm. */
export const portalAssistantRoutes = createRouter();
const tags = ["End users (portal)"];
const P = "/portal/{portal}";
const me = (c: Context<AppEnv>): EndUserPrincipal => c.get("endUser");
const params = portalParam.extend(idParam("id", "paa_01jd0000000000000000000000").shape);

portalAssistantRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/assistant`,
      tags,
      summary: "Ask the assistant: knowledge-base answers with citations; order look-ups; receipts and tickets proposed for you to confirm",
      request: { params: portalParam, ...jsonBody(ps.assistantBody) },
      responses: { 200: jsonResponse(ps.assistantReplySchema, "Reply") },
    },
  ),
  async (c) => {
    const u = me(c);
    await enforceRateLimit(c, "RL_AUTH", `eu-assistant:${u.tenantId}:${u.id}`); // 10 a minute: each answer can call a model
    return c.json(await ask(c.env, getDb(c.env.DB), u, c.req.valid("json").message), 200);
  },
);

portalAssistantRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/assistant/actions`,
      tags,
      summary: "What the assistant did or proposed for you, newest first",
      request: { params: portalParam },
      responses: { 200: jsonResponse(z.object({ data: z.array(ps.assistantActionSchema) }), "Actions") },
    },
  ),
  async (c) => c.json({ data: await listActions(getDb(c.env.DB), me(c)) }, 200),
);

portalAssistantRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/assistant/actions/{id}/confirm`,
      tags,
      summary: "Confirm a proposed action: only now does it run (once)",
      request: { params },
      responses: { 200: jsonResponse(ps.assistantActionSchema, "Done") },
    },
  ),
  async (c) => c.json(await confirmAction(c.env, getDb(c.env.DB), me(c), c.req.valid("param").id), 200),
);

portalAssistantRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/assistant/actions/{id}/cancel`,
      tags,
      summary: "Decline a proposed action",
      request: { params },
      responses: { 200: jsonResponse(ps.assistantActionSchema, "Cancelled") },
    },
  ),
  async (c) => c.json(await cancelAction(getDb(c.env.DB), me(c), c.req.valid("param").id), 200),
);
