/**
 * The portal's signed-in end user on pages Weft hosts for a workspace on its own origin (the hosted
 * checkout, the community): the portal's session cookies (modules/endusers, path `/`, named per
 * workspace) say who it is. The endusers module owns those cookies and their refresh; modules beside
 * or below it (commerce is used by the portal) get its reader through this hook, plugged in by the
 * composition root (workers/compose.ts) like the workspace brand. An unfilled hook throws: a page that
 * silently forgot who is signed in would put a customer's order outside their portal.
 */
import type { Context } from "hono";
import type { AppEnv, EndUserPrincipal } from "./context";

export type HostedEndUserSource = (c: Context<AppEnv>, slug: string) => Promise<{ tenantId: string; endUser: EndUserPrincipal | null }>;

let source: HostedEndUserSource | null = null;

export function setHostedEndUserSource(fn: HostedEndUserSource): void {
  source = fn;
}

/** The signed-in end user of the workspace `slug` names, from the portal's cookies, or null. */
export async function hostedEndUserOf(c: Context<AppEnv>, slug: string): Promise<EndUserPrincipal | null> {
  if (!source) throw new Error("hosted end-user source not configured (workers/compose.ts)");
  return (await source(c, slug)).endUser;
}
