/**
 * A workspace's brand for the pages Weft hosts on its behalf (the portal, the hosted checkout…):
 * its display name, colour and logo. The portal settings (modules/endusers) own it; modules that
 * render branded pages sit beside or above that module (commerce is used by the portal), so the
 * composition root (workers/compose.ts) plugs the source in here instead of an import. With no
 * source, or when it fails, pages fall back to the workspace's name and the default colour.
 */
import type { Env } from "./env";
import { createLogger } from "./logger";

export interface WorkspaceBrand {
  name: string;
  /** #rrggbb, or null for the page's default. */
  primaryColor: string | null;
  /** A signed URL of the logo image, or null. */
  logoUrl: string | null;
}
export type BrandSource = (env: Env, tenantId: string, origin: string) => Promise<WorkspaceBrand>;

let source: BrandSource | null = null;
const log = createLogger({ component: "workspace-brand" });

export function setBrandSource(fn: BrandSource): void {
  source = fn;
}

export async function workspaceBrand(env: Env, tenantId: string, origin: string): Promise<WorkspaceBrand | null> {
  if (!source) return null;
  try {
    return await source(env, tenantId, origin);
  } catch (err) {
    log.error("brand_failed", { tenant_id: tenantId, error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}
