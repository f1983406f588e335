import { z } from "@hono/zod-openapi";
import { PROVIDERS } from "../../../schema/messaging";
import { actorOf } from "../../platform/audit";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { listSuppressions, removeSuppression } from "./callbacks.service";
import { createProvider, deleteProvider, listProviders, updateProvider } from "./providers.service";
import { listPreferences, setPreference } from "./preferences";
import { idParam } from "../../platform/params";
import { categorySchema } from "./schemas";
import { currentTenantId } from "../../platform/auth";
import { recordProductEvent } from "../../platform/product-events";

export const settingsRoutes = createRouter();
const tags = ["Messaging settings"];

const providerSchema = z
  .object({
    id: z.string(),
    channel: z.enum(["email", "sms"]),
    provider: z.enum(PROVIDERS),
    priority: z.number().int(),
    from: z.string(),
    rate_per_second: z.number().int(),
    enabled: z.boolean(),
    credentials_hint: z.record(z.string(), z.string()),
    webhook_url: z.string().openapi({
      description: "Set this as the provider's delivery-event webhook (Resend/SendGrid/Postmark dashboards; Twilio gets it per message)",
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("MessagingProvider");
const providerInput = z.object({
  provider: z.enum(PROVIDERS),
  priority: z.number().int().min(0).max(1000).optional().openapi({ description: "Lower is tried first" }),
  from: z.string().min(3).max(200).openapi({ description: "Email: `Name <addr@domain>`; SMS: E.164 number or Messaging Service SID" }),
  rate_per_second: z.number().int().min(1).max(10_000).optional(),
  enabled: z.boolean().optional(),
  credentials: z.record(z.string(), z.string().max(500)).openapi({
    description:
      "Resend/SendGrid/Postmark: {api_key}; Twilio: {account_sid, auth_token}. Delivery callbacks: Resend {webhook_secret: whsec_…}, SendGrid {webhook_public_key}; Postmark uses the basic auth in webhook_url, Twilio the auth token",
  }),
});

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messaging:manage" },
    {
      method: "get",
      path: "/messaging/providers",
      tags,
      summary: "The workspace's provider accounts (fail-over order), the platform's, and the local fallback",
      responses: {
        200: jsonResponse(
          z.object({
            data: z.array(providerSchema),
            platform: z.object({ email: z.array(z.string()), sms: z.array(z.string()) }),
            local_fallback: z.object({ email: z.string(), sms: z.string() }).nullable(),
          }),
          "Providers",
        ),
      },
    },
  ),
  async (c) => c.json(await listProviders(getDb(c.env.DB), c.env, currentTenantId(c)), 200),
);

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messaging:manage" },
    {
      method: "post",
      path: "/messaging/providers",
      tags,
      summary: "Add a provider account (credentials are encrypted at rest and never shown again)",
      request: jsonBody(providerInput.openapi("CreateMessagingProvider")),
      responses: { 201: jsonResponse(providerSchema, "Created") },
    },
  ),
  async (c) => {
    const tenantId = currentTenantId(c);
    const provider = await createProvider(getDb(c.env.DB), c.env, tenantId, c.req.valid("json"), actorOf(c));
    const p = c.get("principal");
    await recordProductEvent(c.env, {
      name: "email_account_connected",
      userId: p.kind === "user" ? p.userId : null,
      tenantId,
      key: `email_account_connected:${tenantId}`,
    });
    return c.json(provider, 201);
  },
);

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messaging:manage" },
    {
      method: "patch",
      path: "/messaging/providers/{id}",
      tags,
      summary: "Change a provider account's order, sender, rate, credentials or enabled state",
      request: {
        params: idParam("id", "mpr_01jd0000000000000000000000"),
        ...jsonBody(providerInput.omit({ provider: true }).partial().openapi("UpdateMessagingProvider")),
      },
      responses: { 200: jsonResponse(providerSchema, "Updated") },
    },
  ),
  async (c) =>
    c.json(
      await updateProvider(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)),
      200,
    ),
);

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messaging:manage" },
    {
      method: "delete",
      path: "/messaging/providers/{id}",
      tags,
      summary: "Remove a provider account",
      request: { params: idParam("id", "mpr_01jd0000000000000000000000") },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteProvider(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);

const preferenceSchema = z
  .object({
    recipient: z.string(),
    category: z.string(),
    channel: z.string(),
    opted_out: z.boolean(),
    source: z.string().nullable(),
    updated_at: z.string(),
  })
  .openapi("MessagePreference");

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "get",
      path: "/messaging/preferences",
      tags,
      summary: "A recipient's preferences (opt-outs per category and channel)",
      request: { query: z.object({ recipient: z.string().min(1).max(254) }) },
      responses: { 200: jsonResponse(z.object({ data: z.array(preferenceSchema) }), "Preferences") },
    },
  ),
  async (c) => c.json(await listPreferences(getDb(c.env.DB), currentTenantId(c), c.req.valid("query").recipient), 200),
);

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messaging:manage" },
    {
      method: "put",
      path: "/messaging/preferences",
      tags,
      summary: "Set a recipient's preference (security and transactional cannot be opted out of)",
      request: jsonBody(
        z
          .object({
            recipient: z.string().min(1).max(254),
            category: categorySchema,
            channel: z.enum(["email", "sms", "push", "in_app", "*"]),
            opted_out: z.boolean(),
          })
          .openapi("SetMessagePreference"),
      ),
      responses: { 200: jsonResponse(preferenceSchema, "Saved") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    return c.json(
      await setPreference(getDb(c.env.DB), currentTenantId(c), {
        recipient: b.recipient,
        category: b.category,
        channel: b.channel,
        optedOut: b.opted_out,
        source: "dashboard",
      }),
      200,
    );
  },
);

const suppressionSchema = z
  .object({
    recipient: z.string(),
    channel: z.enum(["email", "sms"]),
    reason: z.enum(["hard_bounce", "complaint", "unreachable", "opted_out"]),
    provider: z.string().nullable(),
    message_id: z.string().nullable(),
    detail: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("MessageSuppression");

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "get",
      path: "/messaging/suppressions",
      tags,
      summary: "Addresses that hard-bounced, complained or cannot receive SMS (sends to them are skipped), newest first",
      request: { query: z.object({ recipient: z.string().min(1).max(254).optional() }) },
      responses: { 200: jsonResponse(z.object({ data: z.array(suppressionSchema) }), "Suppressions") },
    },
  ),
  async (c) => c.json(await listSuppressions(getDb(c.env.DB), currentTenantId(c), c.req.valid("query").recipient), 200),
);

settingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messaging:manage" },
    {
      method: "delete",
      path: "/messaging/suppressions/{channel}/{recipient}",
      tags,
      summary: "Remove an address from the suppression list (sends to it resume)",
      request: {
        params: z.object({
          channel: z.enum(["email", "sms"]).openapi({ param: { name: "channel", in: "path" } }),
          recipient: z
            .string()
            .min(1)
            .max(254)
            .openapi({ param: { name: "recipient", in: "path" }, example: "ada@example.com" }),
        }),
      },
      responses: { 204: noContent, 404: problemDoc("Not on the list") },
    },
  ),
  async (c) => {
    const p = c.req.valid("param");
    await removeSuppression(getDb(c.env.DB), currentTenantId(c), p.channel, p.recipient, actorOf(c));
    return c.body(null, 204);
  },
);
