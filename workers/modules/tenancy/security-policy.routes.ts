import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId, currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { getSecurityPolicy, securityPolicyInput, setSecurityPolicy } from "./security-policy";

const policySchema = securityPolicyInput.extend({ updated_at: z.string().nullable() }).openapi("SecurityPolicy");

/** The workspace security policy (mounted at /api/v1; the security wizard writes the same policy). */
export const securityPolicyRoutes = createRouter();

securityPolicyRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "tenant:read" },
    {
      method: "get",
      path: "/security-policy",
      tags: ["Workspace"],
      summary: "The workspace's security policy: MFA required, session lifetime, API keys allowed",
      responses: { 200: jsonResponse(policySchema, "The policy (defaults when never set)") },
    },
  ),
  async (c) => c.json(await getSecurityPolicy(getDb(c.env.DB), currentTenantId(c)), 200),
);

securityPolicyRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "tenant:update" },
    {
      method: "put",
      path: "/security-policy",
      tags: ["Workspace"],
      summary: "Change the workspace's security policy (enforced on every workspace request)",
      request: jsonBody(securityPolicyInput),
      responses: {
        200: jsonResponse(policySchema, "The saved policy"),
        409: problemDoc("Requiring MFA while you have none yourself (mfa-enrolment-needed)"),
      },
    },
  ),
  async (c) => c.json(await setSecurityPolicy(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), currentUserId(c), actorOf(c)), 200),
);
