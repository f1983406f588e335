import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id } from "./columns";

/**
 * Security-relevant actions. tenant_id is null for account-level events (login, password, MFA),
 * which belong to the user rather than a workspace.
 */
export const auditLogs = sqliteTable(
  "audit_logs",
  {
    tenantId: text("tenant_id"),
    id: id(),
    action: text("action").notNull(), // e.g. "member.role_changed"
    actorType: text("actor_type", { enum: ["user", "api_key", "system"] }).notNull(),
    actorId: text("actor_id"),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_logs_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("audit_logs_tenant_action_idx").on(t.tenantId, t.action, t.createdAt),
    index("audit_logs_actor_idx").on(t.actorId, t.createdAt),
  ],
);
