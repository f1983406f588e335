/**
 * Upgrade prompts for a workspace's own customers: when an identified person's `limit_approached`
 * event (props `meter`, `used`, `limit`, `percent`, `plan`) reaches the workspace's threshold, they get
 * the `analytics.upgrade_prompt` email (a messaging template the workspace can edit; category
 * "product", so recipients can opt out) with a button to the workspace's upgrade page. One email per
 * person, meter, month and threshold (80 or 100): the send's idempotency key. Off until switched on.
 * Runs in the ingest consumer for the message's own events, so a redelivery sends nothing twice.
 */
import { sql } from "drizzle-orm";
import type { UpgradePromptConfig } from "../../../schema/analytics";
import { getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { send } from "../messaging";
import { num, parseTraits } from "./query/expansion";
import { cachedSettings } from "./settings.service";

export const UPGRADE_PROMPT_TEMPLATE = "analytics.upgrade_prompt";

/** The percent an event reports (or derives from used ÷ limit), rounded down to the threshold band it is in. */
export function promptBand(props: Record<string, unknown>, cfg: UpgradePromptConfig): 80 | 100 | null {
  const used = num(props.used);
  const limit = num(props.limit);
  const pct = num(props.percent) ?? (used !== null && limit ? (100 * used) / limit : null);
  if (pct === null || pct < cfg.min_percent) return null;
  return pct >= 100 ? 100 : 80;
}

export async function sendUpgradePrompts(
  env: Env,
  tenantId: string,
  events: { id: string; name: string; ts: number; props: Record<string, unknown> }[],
): Promise<number> {
  const near = events.filter((e) => e.name === "limit_approached");
  if (!near.length) return 0;
  const db = getDb(env.DB);
  const cfg = (await cachedSettings(db, tenantId)).upgradePrompts;
  if (!cfg?.enabled) return 0;
  const people = await db.all<{ id: string; person_id: string; traits: string | null }>(sql`
    SELECT e.id, e.person_id, p.traits FROM analytics_events e
    LEFT JOIN analytics_persons p ON p.tenant_id = e.tenant_id AND p.id = e.person_id
    WHERE e.tenant_id = ${tenantId} AND e.is_bot = 0 AND e.id IN (${sql.join(
      near.map((e) => sql`${e.id}`),
      sql`, `,
    )})`);
  const byEvent = new Map(people.map((p) => [p.id, p]));
  let workspace: string | null = null;
  let sent = 0;
  for (const e of near) {
    const band = promptBand(e.props, cfg);
    const who = byEvent.get(e.id);
    if (!band || !who) continue;
    const traits = parseTraits(who.traits);
    const email = typeof traits.email === "string" && traits.email.includes("@") ? traits.email : null;
    if (!email) continue;
    workspace ??= (await getTenant(db, tenantId)).name;
    const meter = typeof e.props.meter === "string" ? e.props.meter.slice(0, 60) : "usage";
    const month = new Date(e.ts).toISOString().slice(0, 7);
    const ids = await send(db, env.OUTBOX, {
      tenantId,
      to: { email },
      channels: ["email"],
      template: UPGRADE_PROMPT_TEMPLATE,
      data: {
        name: typeof traits.name === "string" ? traits.name : typeof traits.first_name === "string" ? traits.first_name : "there",
        workspace,
        meter,
        used: num(e.props.used) ?? "",
        limit: num(e.props.limit) ?? "",
        percent: band,
        plan: typeof e.props.plan === "string" ? e.props.plan : "",
        link: cfg.upgrade_url,
      },
      category: "product",
      idempotencyKey: `analytics.upgrade:${tenantId}:${who.person_id}:${meter}:${month}:${band}`,
    });
    sent += ids.length;
  }
  return sent;
}
