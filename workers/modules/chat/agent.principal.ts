import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getUserProfile } from "../../platform/directory";
import type { ChatPrincipal } from "./protocol";

/** Agent identity for DO calls: users by name; API keys act as "API". */
export async function agentOf(c: Context<AppEnv>): Promise<ChatPrincipal> {
  const p = c.get("principal");
  if (p.kind === "api_key") return { kind: "agent", id: p.keyId, name: "API", verified: true };
  const u = await getUserProfile(getDb(c.env.DB), p.userId);
  return { kind: "agent", id: p.userId, name: u?.name ?? u?.email ?? "Agent", verified: true };
}
