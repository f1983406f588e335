import type { Context } from "hono";
import { auditLogs } from "../../schema/audit";
import type { AppEnv, Principal } from "./context";
import type { Db } from "./db";
import { newId } from "./ids";
import { clientIp, userAgent } from "./request";

/** Who did it and from where: captured once per request and passed into services. */
export interface Actor {
  type: "user" | "api_key" | "system";
  id: string | null;
  ip: string | null;
  userAgent: string | null;
}

export function actorOf(c: Context<AppEnv>, principal?: Principal): Actor {
  const p = principal ?? (c.get("principal") as Principal | undefined);
  return {
    type: p?.kind === "api_key" ? "api_key" : p ? "user" : "system",
    id: p ? (p.kind === "api_key" ? p.keyId : p.userId) : null,
    ip: clientIp(c),
    userAgent: userAgent(c),
  };
}

export interface AuditEvent {
  tenantId: string | null;
  action: string;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
}

/** Builds the insert so callers can put it in the same D1 batch() as the change it records. */
export function auditInsert(db: Db, actor: Actor, event: AuditEvent) {
  return db.insert(auditLogs).values({
    id: newId("aud"),
    tenantId: event.tenantId,
    action: event.action,
    actorType: actor.type,
    actorId: actor.id,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    ip: actor.ip,
    userAgent: actor.userAgent,
    metadata: event.metadata ?? null,
    createdAt: Date.now(),
  });
}
