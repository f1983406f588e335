import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { auditLogs } from "../../../schema/audit";
import { tenantScope, type Db } from "../../platform/db";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";

type AuditRow = typeof auditLogs.$inferSelect;

export const serializeAuditLog = (r: AuditRow) => ({
  id: r.id,
  action: r.action,
  actor_type: r.actorType,
  actor_id: r.actorId,
  target_type: r.targetType,
  target_id: r.targetId,
  ip: r.ip,
  user_agent: r.userAgent,
  metadata: r.metadata ?? null,
  created_at: iso(r.createdAt)!,
});

export interface AuditQuery extends PageQuery {
  /** Exact action, or a prefix ending in `*` (e.g. `member.*`). */
  action?: string;
  actorId?: string;
  targetId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
}

function actionWhere(action: string): SQL {
  if (!action.endsWith("*")) return eq(auditLogs.action, action);
  const prefix = action.slice(0, -1).replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return sql`${auditLogs.action} like ${`${prefix}%`} escape '\\'`;
}

/** The workspace's audit log, newest first; only rows of this tenant. */
export async function listAuditLogs(db: Db, tenantId: string, q: AuditQuery) {
  const scope = tenantScope(db, tenantId);
  const page = keyset(auditLogs.createdAt, auditLogs.id, q.cursor);
  const rows = await db
    .select()
    .from(auditLogs)
    .where(
      and(
        scope.where(auditLogs), // account-level rows (tenant_id null) never match
        q.action ? actionWhere(q.action) : undefined,
        q.actorId ? eq(auditLogs.actorId, q.actorId) : undefined,
        q.targetId ? eq(auditLogs.targetId, q.targetId) : undefined,
        q.from !== undefined ? gte(auditLogs.createdAt, q.from) : undefined,
        q.to !== undefined ? lt(auditLogs.createdAt, q.to) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeAuditLog);
}
