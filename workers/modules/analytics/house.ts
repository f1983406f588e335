/**
 * Weft as a tenant of its own analytics: product events from every module (workers/platform/
 * product-events.ts) become server events of the house workspace (HOUSE_WORKSPACE_SLUG, "weft" by
 * default), through the same Queue, tables and queries as any tenant's. With no house workspace
 * (a fresh install before the operator creates it) the events are not recorded — logged once per
 * isolate, never an error for the request that caused them.
 */
import { getConfig, type Env } from "../../platform/env";
import { getDb } from "../../platform/db";
import { getTenantBySlug, listMembers } from "../../platform/directory";
import { isolateCache } from "../../platform/isolate-cache";
import { createLogger } from "../../platform/logger";
import { publishableKeyForOrigin } from "../../platform/publishable-keys";
import type { ProductEvent } from "../../platform/product-events";
import { enqueueEvents } from "./ingest.service";

const log = createLogger({ component: "house-analytics" });
const house = isolateCache<string | null>(5 * 60_000);
let warned = false;

/** The house workspace's id by its slug (cached per isolate for 5 minutes; null when it does not exist). */
function houseTenantId(env: Env): Promise<string | null> {
  const slug = getConfig(env).HOUSE_WORKSPACE_SLUG;
  return house.get(slug, () =>
    getTenantBySlug(getDb(env.DB), slug).then(
      (t) => t.id,
      () => null,
    ),
  );
}

/** Is this workspace Weft's own (the house workspace)? Its growth reports add billing's view of every workspace. */
export async function isHouseWorkspace(env: Env, tenantId: string): Promise<boolean> {
  return (await houseTenantId(env)) === tenantId;
}

/** Forget the cached house workspace (tests; after the operator creates it). */
export const forgetHouse = () => house.forget();

async function ownerOf(env: Env, tenantId: string): Promise<string | null> {
  const page = await listMembers(getDb(env.DB), tenantId, { limit: 10, role: "owner" });
  return page.data[0]?.user_id ?? null;
}

export async function recordHouseEvent(env: Env, e: ProductEvent): Promise<void> {
  const tenantId = await houseTenantId(env);
  if (!tenantId) {
    if (!warned) log.info("house_workspace_missing", { slug: getConfig(env).HOUSE_WORKSPACE_SLUG, event: e.name });
    warned = true;
    return;
  }
  const person = e.userId ?? (e.tenantId ? await ownerOf(env, e.tenantId) : null);
  if (!person) return;
  const now = Date.now();
  const key = e.key ?? `${e.name}:${e.userId ?? e.tenantId}`;
  await enqueueEvents(env, {
    tenantId,
    source: "server",
    events: [
      {
        id: `weft:${key}`.slice(0, 100).replace(/[^\w.:-]/g, "_"),
        name: e.name,
        distinct_id: person,
        ts: now,
        props: { ...e.props, ...(e.tenantId ? { workspace_id: e.tenantId } : {}) },
      },
    ],
    userAgent: null,
    country: null,
    sampleRate: 1,
    receivedAt: now,
  });
}

/**
 * For Weft's own dashboard: the house workspace's publishable key allowed on the dashboard's origin,
 * so the SPA can load the same tracker and surveys (NPS, feedback) its tenants use. Null when there is
 * no house workspace or no key for that origin — then the dashboard loads nothing.
 */
export async function houseKeyFor(env: Env, origin: string): Promise<string | null> {
  const tenantId = await houseTenantId(env);
  return tenantId ? publishableKeyForOrigin(getDb(env.DB), tenantId, origin) : null;
}
