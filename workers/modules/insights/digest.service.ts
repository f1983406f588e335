import { and, asc, eq, isNotNull, lte } from "drizzle-orm";
import { insightDigestPrefs, insightDigestSends, insightSettings } from "../../../schema/insights";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { getTenant, listMembers } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { validationFailed } from "../../platform/errors";
import { iso } from "../../platform/request";
import { send } from "../messaging";
import { alertSentence, openAlerts } from "./alerts.service";
import { addDays, dayKey } from "./days";
import { type FigureLine, renderDigest } from "./digest-render";
import { METRICS } from "./metrics";
import { isTimeZone, nextDigest, periodKeyAt } from "./schedule";
import { allSeries } from "./snapshots.service";
import { computeSuggestions } from "./suggestions.service";
import { optOutToken } from "./tokens";

type SettingsRow = typeof insightSettings.$inferSelect;
const DEFAULTS = {
  digestEnabled: true,
  digestFrequency: "weekly",
  digestWeekday: 1,
  digestHour: 8,
  timezone: "UTC",
  alertsEnabled: true,
} as const;

export async function loadSettings(db: Db, tenantId: string): Promise<SettingsRow> {
  const [row] = await db.select().from(insightSettings).where(eq(insightSettings.tenantId, tenantId));
  return row ?? { tenantId, ...DEFAULTS, snapshotDay: null, nextDigestAt: null, updatedAt: 0 };
}

const scheduleOf = (s: Pick<SettingsRow, "digestFrequency" | "digestWeekday" | "digestHour" | "timezone">) => ({
  frequency: s.digestFrequency,
  weekday: s.digestWeekday,
  hour: s.digestHour,
  timezone: s.timezone,
});

export const serializeSettings = (s: SettingsRow, subscribed: boolean) => ({
  digest_enabled: s.digestEnabled,
  frequency: s.digestFrequency,
  weekday: s.digestWeekday,
  hour: s.digestHour,
  timezone: s.timezone,
  alerts_enabled: s.alertsEnabled,
  next_digest_at: s.digestEnabled && s.nextDigestAt ? iso(s.nextDigestAt) : null,
  me_subscribed: subscribed,
});

/** Make sure a workspace has its settings row with a due time (the cron's first visit, or a settings read). */
export async function ensureSettings(db: Db, tenantId: string, now = Date.now()): Promise<SettingsRow> {
  const s = await loadSettings(db, tenantId);
  if (s.updatedAt && s.nextDigestAt) return s;
  const row = { ...s, nextDigestAt: nextDigest(scheduleOf(s), now).at, updatedAt: now };
  await db.insert(insightSettings).values(row).onConflictDoNothing();
  return loadSettings(db, tenantId);
}

export interface SettingsInput {
  digest_enabled?: boolean;
  frequency?: "daily" | "weekly";
  weekday?: number;
  hour?: number;
  timezone?: string;
  alerts_enabled?: boolean;
}

export async function updateSettings(db: Db, tenantId: string, input: SettingsInput, actor: Actor, now = Date.now()) {
  if (input.timezone !== undefined && !isTimeZone(input.timezone))
    throw validationFailed([{ path: "timezone", message: "not a known IANA time zone (e.g. Europe/Berlin)" }]);
  const cur = await loadSettings(db, tenantId);
  const next = {
    tenantId,
    digestEnabled: input.digest_enabled ?? cur.digestEnabled,
    digestFrequency: input.frequency ?? cur.digestFrequency,
    digestWeekday: input.weekday ?? cur.digestWeekday,
    digestHour: input.hour ?? cur.digestHour,
    timezone: input.timezone ?? cur.timezone,
    alertsEnabled: input.alerts_enabled ?? cur.alertsEnabled,
    snapshotDay: cur.snapshotDay,
    updatedAt: now,
    nextDigestAt: 0,
  };
  next.nextDigestAt = nextDigest(scheduleOf(next), now).at;
  await db.batch([
    db
      .insert(insightSettings)
      .values(next)
      .onConflictDoUpdate({ target: insightSettings.tenantId, set: { ...next, tenantId: undefined } }),
    auditInsert(db, actor, { tenantId, action: "insights.settings_updated", metadata: { ...input } }),
  ]);
  return next;
}

/** Whether a member receives the digest: their own choice, else yes for owners and admins. */
export async function isSubscribed(db: Db, tenantId: string, userId: string, role: string): Promise<boolean> {
  const [p] = await db
    .select()
    .from(insightDigestPrefs)
    .where(and(eq(insightDigestPrefs.tenantId, tenantId), eq(insightDigestPrefs.userId, userId)));
  return p ? p.subscribed : role === "owner" || role === "admin";
}

export async function setSubscribed(db: Db, tenantId: string, userId: string, subscribed: boolean, now = Date.now()) {
  await db
    .insert(insightDigestPrefs)
    .values({ tenantId, userId, subscribed, updatedAt: now })
    .onConflictDoUpdate({ target: [insightDigestPrefs.tenantId, insightDigestPrefs.userId], set: { subscribed, updatedAt: now } });
}

/** The digest's recipients: members who opted in, plus owners and admins who did not opt out. */
export async function digestRecipients(db: Db, tenantId: string) {
  const prefs = new Map(
    (await db.select().from(insightDigestPrefs).where(eq(insightDigestPrefs.tenantId, tenantId))).map((p) => [p.userId, p.subscribed]),
  );
  const out: { userId: string; email: string; name: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMembers(db, tenantId, { limit: 100, cursor });
    for (const m of page.data) {
      const yes = prefs.get(m.user_id) ?? (m.role === "owner" || m.role === "admin");
      if (yes) out.push({ userId: m.user_id, email: m.email, name: m.name });
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * The digest's content for the period that ends the UTC day before `at`: a week (7 days) or a day,
 * each metric summed over the period and over the one before it (metrics with nothing in either are left out).
 */
export async function composeDigest(db: Db, tenantId: string, frequency: "daily" | "weekly", at: number) {
  const len = frequency === "weekly" ? 7 : 1;
  const last = addDays(dayKey(at), -1);
  const first = addDays(last, -(len - 1));
  const prevFirst = addDays(first, -len);
  const series = await allSeries(db, tenantId, prevFirst, last);
  const figures: FigureLine[] = [];
  for (const m of METRICS) {
    const s = series.get(m.id);
    let current = 0;
    let previous = 0;
    for (const [d, v] of s ?? []) {
      if (d >= first) current += v;
      else previous += v;
    }
    if (current || previous) figures.push({ metric: m.id, current, previous });
  }
  const alerts = (await openAlerts(db, tenantId, 5)).map(alertSentence);
  const suggestions = (await computeSuggestions(db, tenantId, at)).slice(0, 3);
  return { first, last, figures, alerts, suggestions, periodLabel: len === 7 ? `${first} to ${last}` : last };
}

async function sendDigestTo(
  db: Db,
  env: Env,
  tenantId: string,
  people: { userId: string; email: string }[],
  content: Awaited<ReturnType<typeof composeDigest>>,
  opts: { idempotencyPrefix?: string; preview?: boolean },
) {
  const origin = env.APP_URL.replace(/\/$/, "");
  const tenant = await getTenant(db, tenantId);
  const body = renderDigest(content.figures, content.alerts, content.suggestions, origin, content.periodLabel);
  const heading = `${opts.preview ? "Preview: " : ""}Insights for ${tenant.name}`;
  for (const p of people) {
    await send(db, env.OUTBOX, {
      tenantId,
      template: "insights.digest",
      category: "transactional",
      to: { email: p.email },
      channels: ["email"],
      data: {
        subject: `${heading}: ${content.periodLabel}`,
        heading,
        intro: `Key figures for ${content.periodLabel}, with the change against the period before.`,
        workspace: tenant.name,
        link: `${origin}/insights`,
        unsubscribe: `${origin}/public/v1/insights/digest/opt-out/${await optOutToken(env, tenantId, p.userId)}`,
        ...body,
      },
      ...(opts.idempotencyPrefix ? { idempotencyKey: `${opts.idempotencyPrefix}:${p.userId}` } : {}),
    });
  }
}

/**
 * Digests that are due (the cron, every tick): each workspace whose `next_digest_at` has come is
 * claimed by moving that time forward in one conditional UPDATE, then its period is claimed by the
 * insight_digest_sends primary key — so a period sends exactly once even if two ticks overlap.
 */
export async function runDigests(db: Db, env: Env, now = Date.now(), limit = 20): Promise<number> {
  const due = await db
    .select()
    .from(insightSettings)
    .where(and(isNotNull(insightSettings.nextDigestAt), lte(insightSettings.nextDigestAt, now)))
    .orderBy(asc(insightSettings.nextDigestAt))
    .limit(limit);
  let sent = 0;
  for (const s of due) if (await digestIfDue(db, env, s, now)) sent++;
  return sent;
}

/** One workspace's digest if it is due at `now` (what runDigests does per row; tests call it for their workspace). */
export async function runTenantDigest(db: Db, env: Env, tenantId: string, now = Date.now()): Promise<boolean> {
  const s = await loadSettings(db, tenantId);
  return s.nextDigestAt !== null && s.nextDigestAt <= now ? digestIfDue(db, env, s, now) : false;
}

async function digestIfDue(db: Db, env: Env, s: SettingsRow, now: number): Promise<boolean> {
  const dueAt = s.nextDigestAt as number;
  const claimed = await db
    .update(insightSettings)
    .set({ nextDigestAt: nextDigest(scheduleOf(s), now).at })
    .where(and(eq(insightSettings.tenantId, s.tenantId), eq(insightSettings.nextDigestAt, dueAt)))
    .returning({ t: insightSettings.tenantId });
  if (!claimed.length || !s.digestEnabled) return false;
  const periodKey = periodKeyAt(scheduleOf(s), dueAt);
  const content = await composeDigest(db, s.tenantId, s.digestFrequency, dueAt);
  // A workspace with nothing to report gets no email (the period is still recorded, with 0 recipients).
  const empty = !content.figures.length && !content.alerts.length && !content.suggestions.length;
  const people = empty ? [] : await digestRecipients(db, s.tenantId);
  const [claim] = await db
    .insert(insightDigestSends)
    .values({
      tenantId: s.tenantId,
      periodKey,
      periodStart: content.first,
      periodEnd: content.last,
      recipients: people.length,
      sentAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!claim || !people.length) return false;
  await sendDigestTo(db, env, s.tenantId, people, content, { idempotencyPrefix: `insights-digest:${periodKey}` });
  return true;
}

/** "Send a preview to me": the digest as it would go out now, to the signed-in member only. */
export async function sendPreview(db: Db, env: Env, tenantId: string, userId: string, email: string, now = Date.now()) {
  const s = await loadSettings(db, tenantId);
  const content = await composeDigest(db, tenantId, s.digestFrequency, now);
  await sendDigestTo(db, env, tenantId, [{ userId, email }], content, { preview: true });
  return { sent_to: email, period_start: content.first, period_end: content.last, figures: content.figures.length };
}
