import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { templateChannelSchema } from "./schemas";
import {
  deleteTemplate,
  getTemplate,
  listTemplates,
  renderTemplate,
  resolveTemplate,
  saveTemplateVersion,
  validateTemplateInput,
} from "./template-store";
import { variablesOf } from "./render";
import { badRequest } from "../../platform/errors";
import { currentTenantId } from "../../platform/auth";
import { problemDoc } from "../../platform/router";

export const templatesRoutes = createRouter();
const tags = ["Message templates"];
const keyParams = z.object({
  key: z
    .string()
    .min(1)
    .max(80)
    .openapi({ param: { name: "key", in: "path" }, example: "newsletter.weekly" }),
});
const keyChannelParams = keyParams.extend({ channel: templateChannelSchema.openapi({ param: { name: "channel", in: "path" } }) });

const channelTemplateSchema = z
  .object({
    key: z.string(),
    channel: templateChannelSchema,
    subject: z.string(),
    body: z.string(),
    html: z.string().nullable(),
    version: z.number().int().nullable(),
    source: z.enum(["system", "workspace"]),
    variables: z.array(z.string()),
  })
  .openapi("ChannelTemplate");
const templateInput = z
  .object({
    subject: z.string().max(300).default(""),
    body: z.string().max(20_000).default(""),
    html: z.string().max(100_000).nullable().optional(),
    description: z.string().max(300).nullable().optional(),
  })
  .openapi("TemplateInput");

templatesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "get",
      path: "/message-templates",
      tags,
      summary: "System templates (with the workspace's overrides) and the workspace's own templates",
      responses: {
        200: jsonResponse(
          z.object({
            data: z.array(
              z.object({
                key: z.string(),
                system: z.boolean(),
                overridden: z.array(templateChannelSchema),
                updated_at: z.string().nullable(),
              }),
            ),
          }),
          "By key",
        ),
      },
    },
  ),
  async (c) => c.json(await listTemplates(getDb(c.env.DB), currentTenantId(c)), 200),
);

templatesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "get",
      path: "/message-templates/{key}",
      tags,
      summary: "A template: the live version per channel and every saved version",
      request: { params: keyParams },
      responses: {
        200: jsonResponse(
          z.object({
            key: z.string(),
            system: z.boolean(),
            channels: z.array(channelTemplateSchema),
            versions: z.array(
              z.object({
                channel: templateChannelSchema,
                version: z.number().int(),
                subject: z.string(),
                body: z.string(),
                html: z.string().nullable(),
                description: z.string().nullable(),
                created_by: z.string().nullable(),
                created_at: z.string(),
              }),
            ),
          }),
          "The template",
        ),
      },
    },
  ),
  async (c) => c.json(await getTemplate(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").key), 200),
);

templatesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "templates:manage" },
    {
      method: "put",
      path: "/message-templates/{key}/{channel}",
      tags,
      summary: "Save a new version of a template for one channel (creates the template if new)",
      request: { params: keyChannelParams, ...jsonBody(templateInput) },
      responses: { 201: jsonResponse(channelTemplateSchema, "The new live version") },
    },
  ),
  async (c) => {
    const { key, channel } = c.req.valid("param");
    return c.json(await saveTemplateVersion(getDb(c.env.DB), currentTenantId(c), key, channel, c.req.valid("json"), actorOf(c)), 201);
  },
);

templatesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "templates:manage" },
    {
      method: "delete",
      path: "/message-templates/{key}/{channel}",
      tags,
      summary: "Delete the workspace's versions for a channel (a system template falls back to its default)",
      request: { params: keyChannelParams },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const { key, channel } = c.req.valid("param");
    await deleteTemplate(getDb(c.env.DB), currentTenantId(c), key, channel, actorOf(c));
    return c.body(null, 204);
  },
);

templatesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "post",
      path: "/message-templates/preview",
      tags,
      summary: "Render a template (saved or a draft) with sample data",
      request: jsonBody(
        z
          .object({
            key: z.string().max(80).optional(),
            channel: templateChannelSchema,
            draft: templateInput.optional(),
            data: z.record(z.string(), z.unknown()).default({}),
          })
          .openapi("TemplatePreviewRequest"),
      ),
      responses: {
        200: jsonResponse(
          z.object({ subject: z.string(), text: z.string(), html: z.string().nullable(), variables: z.array(z.string()) }),
          "Rendered",
        ),
        404: problemDoc("No such template"),
      },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    let t;
    if (b.draft) {
      validateTemplateInput(b.channel, b.draft);
      t = { channel: b.channel, subject: b.draft.subject, body: b.draft.body, html: b.draft.html ?? null };
    } else {
      if (!b.key) throw badRequest("Send `key` (a saved template) or `draft`.");
      t = await resolveTemplate(getDb(c.env.DB), currentTenantId(c), b.key, b.channel);
      if (!t) throw badRequest(`There is no ${b.channel} version of \`${b.key}\`.`);
    }
    const data = { unsubscribe_url: "https://example.com/unsubscribe?token=preview", ...b.data };
    return c.json({ ...renderTemplate(t, data), variables: variablesOf(t.subject, t.body, t.html) }, 200);
  },
);
