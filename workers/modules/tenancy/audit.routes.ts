import { z } from "@hono/zod-openapi";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";
import { listAuditLogs } from "./audit.service";
import { currentTenantId } from "../../platform/auth";

const isoDate = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .openapi({ description: "ISO 8601 date or date-time", example: "2026-01-31T00:00:00Z" });

const auditLogSchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actor_type: z.enum(["user", "api_key", "system"]),
    actor_id: z.string().nullable(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
  })
  .openapi("AuditLogEntry");

export const auditRoutes = createRouter();

auditRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "audit:read" },
    {
      method: "get",
      path: "/audit-logs",
      tags: ["Audit log"],
      summary: "Security-relevant actions in this workspace, newest first",
      request: {
        query: pageQuerySchema.extend({
          action: z
            .string()
            .max(100)
            .regex(/^[a-z0-9_.]+\*?$/, "Use an action like member.role_changed, or a prefix ending in * like member.*")
            .optional()
            .openapi({ description: "Exact action, or a prefix ending in `*` (e.g. `member.*`)" }),
          actor_id: z.string().max(64).optional(),
          target_id: z.string().max(64).optional(),
          from: isoDate.optional().openapi({ description: "Inclusive lower bound (ISO 8601)" }),
          to: isoDate.optional().openapi({ description: "Exclusive upper bound (ISO 8601)" }),
        }),
      },
      responses: { 200: jsonResponse(pageSchema(auditLogSchema), "Newest first") },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    const page = await listAuditLogs(getDb(c.env.DB), currentTenantId(c), {
      limit: q.limit,
      cursor: q.cursor,
      action: q.action,
      actorId: q.actor_id,
      targetId: q.target_id,
      from: q.from ? Date.parse(q.from) : undefined,
      to: q.to ? Date.parse(q.to) : undefined,
    });
    return c.json(page, 200);
  },
);
