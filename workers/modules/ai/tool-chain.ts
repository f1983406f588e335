import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { openCircuits } from "./breaker";
import { type AdapterDeps, type ChainLink, getAiSettings, resolveAdapter } from "./settings.service";
import type { ChatMessage } from "./types";

/** A conversation turn with tool calling (the assistant's messages for `stream({ tools })`). */
export type AgentMessage = ChatMessage;

/**
 * The tenant's chain without the local answerer and without providers that are unconfigured or
 * paused by their breaker: the links that can call tools. Empty → the caller answers offline.
 */
export async function hostedToolChain(db: Db, env: Env, tenantId: string, deps: AdapterDeps = {}): Promise<ChainLink[]> {
  const s = await getAiSettings(db, tenantId);
  const open = await openCircuits(db, tenantId, Date.now());
  const out: ChainLink[] = [];
  for (const link of s.chain) {
    if (link.provider === "local" || open.has(link.provider)) continue;
    if (await resolveAdapter(db, env, tenantId, link.provider, deps)) out.push(link);
  }
  return out;
}
