/** Agent inbox API: saved replies and the widget's settings (appearance, pre-chat, AI, identity verification). */
import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { cannedSchema, settingsSchema, TAG } from "./agent.schemas";
import { CHAT_LOCALES, convParam, prechatSchema } from "./schemas";
import { createCanned, deleteCanned, listCanned } from "./canned.service";
import { inboxStub } from "./env";
import { MAX_MESSAGE_CHARS } from "./protocol";
import { getSettings, rotateIdentitySecret, serializeSettings, updateSettings } from "./settings.service";

export const chatSettingsRoutes = createRouter();

// ---- saved replies

chatSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "get",
      path: "/chat/canned-responses",
      tags: TAG,
      summary: "Saved replies (also what the local answerer answers from)",
      responses: { 200: jsonResponse(z.object({ data: z.array(cannedSchema) }), "By shortcut") },
    },
  ),
  async (c) => c.json({ data: await listCanned(getDb(c.env.DB), currentTenantId(c)) }, 200),
);

chatSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:manage" },
    {
      method: "post",
      path: "/chat/canned-responses",
      tags: TAG,
      summary: "Create a saved reply",
      request: jsonBody(
        z.object({
          shortcut: z
            .string()
            .trim()
            .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use 1–40 lower-case letters, digits, - or _"),
          body: z.string().trim().min(1, "Write the reply").max(MAX_MESSAGE_CHARS),
        }),
      ),
      responses: { 201: jsonResponse(cannedSchema, "Created") },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const p = c.get("principal");
    return c.json(
      await createCanned(getDb(c.env.DB), currentTenantId(c), { ...body, createdBy: p.kind === "user" ? p.userId : p.keyId }),
      201,
    );
  },
);

chatSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:manage" },
    {
      method: "delete",
      path: "/chat/canned-responses/{id}",
      tags: TAG,
      summary: "Delete a saved reply",
      request: { params: convParam },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteCanned(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id);
    return c.body(null, 204);
  },
);

// ---- widget settings

chatSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "get",
      path: "/chat/settings",
      tags: TAG,
      summary: "Widget settings",
      responses: { 200: jsonResponse(settingsSchema, "Settings (the identity secret is never returned)") },
    },
  ),
  async (c) => {
    return c.json(serializeSettings(await getSettings(getDb(c.env.DB), currentTenantId(c))), 200);
  },
);

chatSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:manage" },
    {
      method: "patch",
      path: "/chat/settings",
      tags: TAG,
      summary: "Change appearance, greeting, pre-chat form, AI and identity enforcement",
      request: jsonBody(
        z.object({
          color: z
            .string()
            .regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour like #4f46e5")
            .optional(),
          position: z.enum(["right", "left"]).optional(),
          theme: z.enum(["auto", "light", "dark"]).optional(),
          locale: z.enum(CHAT_LOCALES).optional(),
          title: z.string().trim().max(80).nullable().optional(),
          logo_url: z
            .url()
            .max(2000)
            .refine((u) => u.startsWith("https://") || u.startsWith("http://localhost"), "Use an https:// URL")
            .nullable()
            .optional(),
          greeting: z.string().trim().min(1, "Write a greeting").max(300).optional(),
          prechat: prechatSchema.optional(),
          ai_enabled: z.boolean().optional(),
          notify_email: z.email().max(320).nullable().optional(),
          identity_required: z.boolean().optional(),
        }),
      ),
      responses: { 200: jsonResponse(settingsSchema, "Updated") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    if (b.identity_required) {
      if (!(await getSettings(db, tenantId)).identitySecretEnc)
        throw badRequest("Create an identity secret before enforcing identity verification.");
    }
    const next = await updateSettings(
      db,
      tenantId,
      {
        color: b.color,
        position: b.position,
        theme: b.theme,
        locale: b.locale,
        title: b.title,
        logoUrl: b.logo_url,
        greeting: b.greeting,
        prechat: b.prechat,
        aiEnabled: b.ai_enabled,
        notifyEmail: b.notify_email,
        identityRequired: b.identity_required,
      },
      actorOf(c),
    );
    // The next settings read of a live conversation gets the change, not a read cached before it (session.settings.ts).
    if (b.identity_required !== undefined || b.ai_enabled !== undefined) await inboxStub(c.env, tenantId).settingsChanged();
    return c.json(serializeSettings(next), 200);
  },
);

chatSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:manage" },
    {
      method: "post",
      path: "/chat/settings/identity-secret",
      tags: TAG,
      summary: "Create or rotate the identity-verification secret (shown once)",
      responses: { 201: jsonResponse(z.object({ secret: z.string() }), "Keep it on your server; the old secret stops working now") },
    },
  ),
  async (c) => c.json({ secret: await rotateIdentitySecret(getDb(c.env.DB), c.env, currentTenantId(c), actorOf(c)) }, 201),
);
