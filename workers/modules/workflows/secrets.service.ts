import { asc, eq } from "drizzle-orm";
import { workflowSecrets } from "../../../schema/workflows";
import { type Actor, auditInsert } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import { type Db, tenantScope } from "../../platform/db";
import { type Env, getConfig } from "../../platform/env";
import { notFound } from "../../platform/errors";

/** The workflow secrets vault: values sealed with encryptSecret; the API returns names only. */
const meta = (r: { name: string; createdAt: number; updatedAt: number }) => ({
  name: r.name,
  created_at: new Date(r.createdAt).toISOString(),
  updated_at: new Date(r.updatedAt).toISOString(),
});

export async function listSecrets(db: Db, tenantId: string) {
  const rows = await db
    .select({ name: workflowSecrets.name, createdAt: workflowSecrets.createdAt, updatedAt: workflowSecrets.updatedAt })
    .from(workflowSecrets)
    .where(tenantScope(db, tenantId).where(workflowSecrets))
    .orderBy(asc(workflowSecrets.name));
  return rows.map(meta);
}

export async function getSecretMeta(db: Db, tenantId: string, name: string) {
  const row = await db
    .select({ name: workflowSecrets.name, createdAt: workflowSecrets.createdAt, updatedAt: workflowSecrets.updatedAt })
    .from(workflowSecrets)
    .where(tenantScope(db, tenantId).where(workflowSecrets, eq(workflowSecrets.name, name)))
    .get();
  if (!row) throw notFound("Secret");
  return meta(row);
}

export async function putSecret(db: Db, env: Env, tenantId: string, name: string, value: string, actor: Actor) {
  const sealed = await encryptSecret(value, getConfig(env).ENCRYPTION_KEY);
  const now = Date.now();
  await db.batch([
    db
      .insert(workflowSecrets)
      .values({ tenantId, name, sealed, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [workflowSecrets.tenantId, workflowSecrets.name], set: { sealed, updatedAt: now } }),
    auditInsert(db, actor, { tenantId, action: "workflow_secret.set", target: { type: "workflow_secret", id: name } }),
  ]);
  return getSecretMeta(db, tenantId, name);
}

export async function deleteSecret(db: Db, tenantId: string, name: string, actor: Actor) {
  await getSecretMeta(db, tenantId, name);
  await db.batch([
    db.delete(workflowSecrets).where(tenantScope(db, tenantId).where(workflowSecrets, eq(workflowSecrets.name, name))),
    auditInsert(db, actor, { tenantId, action: "workflow_secret.deleted", target: { type: "workflow_secret", id: name } }),
  ]);
}

/** The named secrets, opened (for an HTTP step; the names its expressions reference). */
export async function openSecrets(db: Db, env: Env, tenantId: string, names: string[]): Promise<Record<string, string>> {
  if (!names.length) return {};
  const rows = await db.select().from(workflowSecrets).where(tenantScope(db, tenantId).where(workflowSecrets));
  const key = getConfig(env).ENCRYPTION_KEY;
  const out: Record<string, string> = {};
  for (const r of rows) if (names.includes(r.name)) out[r.name] = await decryptSecret(r.sealed, key);
  return out;
}
