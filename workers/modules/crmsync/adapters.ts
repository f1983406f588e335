import { eq } from "drizzle-orm";
import { type CrmProvider, crmConnections } from "../../../schema/crm-sync";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { getConfig } from "../../platform/env";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import { hubspotAdapter } from "./hubspot";
import { refreshAccessToken } from "./oauth";
import { pipedriveAdapter } from "./pipedrive";
import { salesforceAdapter } from "./salesforce";
import type { CrmAdapter, CrmCredentials } from "./types";

/** Builds the adapter of a connection from its sealed credentials (refreshing an OAuth access token that is about to expire). */
export type ConnectionRow = typeof crmConnections.$inferSelect;

export const sealCredentials = (env: Env, creds: CrmCredentials) => encryptSecret(JSON.stringify(creds), getConfig(env).ENCRYPTION_KEY);
export const openCredentials = async (env: Env, sealed: string) =>
  JSON.parse(await decryptSecret(sealed, getConfig(env).ENCRYPTION_KEY)) as CrmCredentials;

export function adapterOf(provider: CrmProvider, authKind: "token" | "oauth", creds: CrmCredentials): CrmAdapter {
  if (provider === "hubspot") return hubspotAdapter(creds.access_token);
  if (provider === "salesforce") {
    if (!creds.instance_url) throw new Error("A Salesforce connection needs its instance URL");
    return salesforceAdapter(creds.access_token, creds.instance_url);
  }
  return pipedriveAdapter({ token: creds.access_token, oauth: authKind === "oauth", apiDomain: creds.instance_url });
}

export async function adapterForConnection(env: Env, db: Db, conn: ConnectionRow): Promise<CrmAdapter> {
  let creds = await openCredentials(env, conn.credentials);
  if (conn.authKind === "oauth" && creds.refresh_token && creds.expires_at && creds.expires_at < Date.now() + 60_000) {
    creds = { ...creds, ...(await refreshAccessToken(env, conn.provider, creds.refresh_token)) };
    await db
      .update(crmConnections)
      .set({ credentials: await sealCredentials(env, creds), updatedAt: Date.now() })
      .where(eq(crmConnections.id, conn.id));
  }
  return adapterOf(conn.provider, conn.authKind, creds);
}
