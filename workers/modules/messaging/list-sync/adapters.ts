import type { listSyncConnections } from "../../../../schema/list-sync";
import { decryptSecret } from "../../../platform/crypto";
import type { Env } from "../../../platform/env";
import { messagingConfig } from "../config";
import { listSyncConfig } from "./config";
import { kit } from "./kit";
import { mailchimp } from "./mailchimp";
import { sendgrid } from "./sendgrid";
import type { ProviderAdapter } from "./types";

/** The provider adapter for a connection, its API key unsealed. */
export async function adapterFor(env: Env, conn: typeof listSyncConnections.$inferSelect): Promise<ProviderAdapter> {
  const apiKey = await decryptSecret(conn.credentials, messagingConfig(env).encryptionKey);
  const spec = { apiKey, remoteListId: conn.remoteListId, remoteTarget: conn.remoteTarget, fieldMap: conn.fieldMap };
  const cfg = listSyncConfig(env);
  if (conn.provider === "mailchimp") return mailchimp(cfg, spec);
  if (conn.provider === "sendgrid") return sendgrid(cfg, spec);
  return kit(cfg, spec);
}
