/** Saved funnels (a name + the funnel API's definition) and the built-in templates. */
import { and, eq, like } from "drizzle-orm";
import { analyticsFunnels } from "../../../schema/analytics";
import { type Actor, auditInsert } from "../../platform/audit";
import { containsPattern, type Db, tenantScope } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import type { FunnelDefinition } from "./query/funnels";

const DAY_S = 86_400;

/** The funnels most products start from (seed 004 phase 3); event names follow the tracker's and Weft's conventions. */
export const FUNNEL_TEMPLATES: { id: string; name: string; description: string; definition: FunnelDefinition }[] = [
  {
    id: "signup",
    name: "Sign-up",
    description: "Visit → sign-up → verified email → activated",
    definition: {
      order: "sequential",
      window_seconds: 14 * DAY_S,
      steps: [
        { event: "$pageview", label: "Visited" },
        { event: "signed_up", label: "Signed up" },
        { event: "email_verified", label: "Verified email" },
        { event: "activated", label: "Activated" },
      ],
    },
  },
  {
    id: "purchase",
    name: "Purchase",
    description: "Product view → add to cart → checkout → purchase",
    definition: {
      order: "sequential",
      window_seconds: 7 * DAY_S,
      steps: [
        { event: "product_viewed", label: "Viewed a product" },
        { event: "cart_added", label: "Added to cart" },
        { event: "checkout_started", label: "Started checkout" },
        { event: "order_paid", label: "Purchased" },
      ],
    },
  },
  {
    id: "onboarding",
    name: "Onboarding",
    description: "Signed up → profile completed → onboarding completed → first key action",
    definition: {
      order: "sequential",
      window_seconds: 7 * DAY_S,
      steps: [
        { event: "signed_up", label: "Signed up" },
        { event: "profile_completed", label: "Completed profile" },
        { event: "onboarding_completed", label: "Finished onboarding" },
        { event: "first_key_action", label: "First key action" },
      ],
    },
  },
  {
    id: "engagement",
    name: "Engagement",
    description: "Visit → interact → return",
    definition: {
      order: "sequential",
      window_seconds: 30 * DAY_S,
      steps: [
        { event: "$pageview", label: "Visited" },
        { event: "$outbound_click", label: "Interacted" },
        { event: "$pageview", label: "Returned" },
      ],
    },
  },
];

type Row = typeof analyticsFunnels.$inferSelect;
export const serializeFunnel = (r: Row) => ({
  id: r.id,
  name: r.name,
  definition: r.definition as FunnelDefinition,
  created_by: r.createdBy,
  created_at: new Date(r.createdAt).toISOString(),
  updated_at: new Date(r.updatedAt).toISOString(),
});

export async function listFunnels(db: Db, tenantId: string, q: PageQuery & { q?: string }) {
  const t = tenantScope(db, tenantId);
  const ks = keyset(analyticsFunnels.createdAt, analyticsFunnels.id, q.cursor);
  const rows = await db
    .select()
    .from(analyticsFunnels)
    .where(t.where(analyticsFunnels, ks.where, q.q ? like(analyticsFunnels.name, containsPattern(q.q)) : undefined))
    .orderBy(...ks.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeFunnel);
}

export async function getFunnel(db: Db, tenantId: string, id: string) {
  const row = await db
    .select()
    .from(analyticsFunnels)
    .where(and(eq(analyticsFunnels.tenantId, tenantId), eq(analyticsFunnels.id, id)))
    .get();
  if (!row) throw notFound("Funnel");
  return row;
}

export async function createFunnel(db: Db, tenantId: string, actor: Actor, input: { name: string; definition: FunnelDefinition }) {
  const now = Date.now();
  const row: Row = {
    id: newId("fnl"),
    tenantId,
    name: input.name,
    definition: input.definition,
    createdBy: actor.type === "user" ? actor.id : null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(analyticsFunnels).values(row);
  return row;
}

export async function updateFunnel(db: Db, tenantId: string, id: string, patch: { name?: string; definition?: FunnelDefinition }) {
  const row = await getFunnel(db, tenantId, id);
  const next = { ...row, ...patch, updatedAt: Date.now() };
  await db
    .update(analyticsFunnels)
    .set({ name: next.name, definition: next.definition, updatedAt: next.updatedAt })
    .where(and(eq(analyticsFunnels.tenantId, tenantId), eq(analyticsFunnels.id, id)));
  return next;
}

export async function deleteFunnel(db: Db, tenantId: string, actor: Actor, id: string) {
  const row = await getFunnel(db, tenantId, id);
  await db.batch([
    db.delete(analyticsFunnels).where(and(eq(analyticsFunnels.tenantId, tenantId), eq(analyticsFunnels.id, id))),
    auditInsert(db, actor, { tenantId, action: "analytics.funnel_deleted", target: { type: "funnel", id }, metadata: { name: row.name } }),
  ]);
}
