// Weft's own workspace ("Weft", slug weft = HOUSE_WORKSPACE_SLUG): Weft measures itself as a tenant of
// its own analytics. Locally it belongs to an operator account (operator@weft.local, the demo
// password) so the demo owner's dashboard is unchanged. Seeded: the ten activation milestones of
// seed 001, and 60 days of synthetic Weft customers — sign-up → verified → onboarding → activated →
// trial → paid → upgrades/seats/cancellations (with revenue, as billing records them), the milestones, and daily use (so funnels, retention, activation and churn risk show data).
// Live product events (platform/product-events.ts) add to it as people use the local app.
// Deterministic, fixed ids, ON CONFLICT DO NOTHING: a re-seed changes nothing.
import { createHash } from "node:crypto";
import { q } from "./sql.mjs";

const DAY = 86_400_000;
const DAYS = 60;
const HOUSE = "(SELECT id FROM tenants WHERE slug = 'weft')";
const pick = (key, n) => createHash("sha256").update(key).digest().readUInt32BE(0) % n;

export const OPERATOR = { email: "operator@weft.local", name: "Weft Operator" };

/** Seed 001's ten activation milestones (recorded live today: sign-up, profile, onboarding, first email, email provider, invitation; lead/campaign/CRM events arrive with the sales-AI module). */
export const WEFT_MILESTONES = [
  { name: "Account created", event: "signed_up", within_days: 1 },
  { name: "Profile completed", event: "profile_completed", within_days: 7 },
  { name: "Onboarding completed", event: "onboarding_completed", within_days: 7 },
  { name: "First lead added", event: "lead_added", within_days: 7 },
  { name: "First campaign created", event: "campaign_created", within_days: 14 },
  { name: "First campaign launched", event: "campaign_launched", within_days: 14 },
  { name: "First email sent", event: "email_sent", within_days: 14 },
  { name: "Email account connected", event: "email_account_connected", within_days: 14 },
  { name: "CRM connected", event: "crm_connected", within_days: 30 },
  { name: "Team member invited", event: "member_invited", within_days: 30 },
];

// Weft's prices (modules/billing/plans.ts): platform fee per month, seats included, each extra seat.
const PRICE = { starter: [4_900, 3, 1_000], professional: [29_900, 10, 2_000] };
const mrrOf = (plan, seats) => PRICE[plan][0] + Math.max(0, seats - PRICE[plan][1]) * PRICE[plan][2];

/** What billing records about a paying customer (lifecycle.service.ts): a trial or a direct start, then upgrades, seats, downgrades, cancellations. */
function paidJourney(plan, addAt, start, p) {
  let seats = PRICE[plan][1];
  let t = start; // its own clock: the journey does not push the customer's daily use later
  const sub = (name, after, props = {}) => {
    t += after;
    return addAt(name, t, { plan, seats, interval: "month", provider: "stripe", mrr_cents: mrrOf(plan, seats), ...props });
  };
  if (p("trial", 50)) {
    if (!sub("trial_started", 2 * DAY)) return;
    if (!p("conv", 65) || !sub("subscription_started", 14 * DAY, { from_trial: true })) return;
  } else if (!p("paid", 85) || !sub("subscription_started", 5 * DAY, { from_trial: false })) return;
  const change = (after, next) => {
    const before = { from_plan: plan, seats_from: seats, mrr_from_cents: mrrOf(plan, seats) };
    const up = mrrOf(next.plan, next.seats) > before.mrr_from_cents;
    plan = next.plan;
    seats = next.seats;
    return sub("subscription_changed", after, { ...before, direction: up ? "upgrade" : "downgrade" });
  };
  if (plan === "starter" && p("up", 25) && !change(10 * DAY, { plan: "professional", seats: 10 })) return;
  if (p("seat", 20) && !change(6 * DAY, { plan, seats: seats + 2 + (p("seat2", 50) ? 3 : 0) })) return;
  if (plan === "professional" && p("dn", 8) && !change(12 * DAY, { plan: "starter", seats: 3 })) return;
  if (p("cx", 10)) sub("subscription_canceled", 9 * DAY);
}

function houseEvents(now) {
  const today = Math.floor(now / DAY);
  const rows = [];
  const persons = [];
  for (let d = DAYS; d >= 1; d--) {
    const signups = 4 + pick(`h${d}n`, 5);
    for (let i = 0; i < signups; i++) {
      const key = `h${d}u${i}`;
      const user = `usr_house_${key}`;
      const plan = ["free", "free", "starter", "professional"][pick(`${key}p`, 4)];
      let t = (today - d) * DAY + 8 * 3600_000 + pick(`${key}t`, 10 * 3600_000);
      let n = 0;
      const add = (name, afterMs = 60_000, props = {}) => {
        t += afterMs;
        if (t >= today * DAY) return false; // whole days only: a re-seed the same day is identical
        rows.push({ i: `house-${key}-${n++}`, n: name, p: user, t, pr: JSON.stringify({ ...props, workspace_id: `ten_house_${key}` }) });
        return true;
      };
      const addAt = (name, at, props = {}) => {
        if (at >= today * DAY) return false;
        rows.push({
          i: `house-${key}-${n++}`,
          n: name,
          p: user,
          t: at,
          pr: JSON.stringify({ ...props, workspace_id: `ten_house_${key}` }),
        });
        return true;
      };
      persons.push({ id: user, tr: JSON.stringify({ email: `founder-${key}@customers.example`, name: `Founder ${key}`, plan }), t });
      add("signed_up", 0, { invited: false });
      const p = (k, pct) => pick(`${key}${k}`, 100) < pct;
      if (p("v", 82)) add("email_verified", 5 * 60_000);
      if (p("pr", 70)) add("profile_completed", 20 * 60_000);
      if (p("ob", 60)) {
        add("onboarding_completed", 3600_000);
        add("activated", 1000);
      }
      if (p("le", 50)) add("lead_added", DAY / 2);
      if (p("cc", 38)) add("campaign_created", DAY);
      if (p("cl", 28)) add("campaign_launched", DAY);
      if (p("es", 30)) add("email_sent", DAY / 3);
      if (p("ea", 35)) add("email_account_connected", DAY / 4);
      if (p("crm", 15)) add("crm_connected", 3 * DAY);
      if (p("mi", 33)) add("member_invited", 2 * DAY);
      if (plan !== "free") paidJourney(plan, addAt, t, p);
      else if (p("lim", 25)) add("limit_approached", 4 * DAY, { meter: "emails", used: 80, limit: 100, percent: 80, plan: "free" });
      // Daily use: most keep coming for a while; some fade (churn risk), some stay.
      const stay = pick(`${key}stay`, 100) < 45 ? DAYS : pick(`${key}len`, 30);
      for (let k = 1; k <= stay; k++)
        if (pick(`${key}a${k}`, 100) < 55 && !add("app_opened", DAY + pick(`${key}g${k}`, 3600_000) - 3600_000 / 2)) break;
    }
  }
  return { rows, persons };
}

/**
 * The dashboard's own key: with it, `npm start`'s dashboard (http://localhost:8787) loads Weft's own
 * tracker and surveys (NPS, feedback) for its users — `GET /public/v1/house`. Fixed origins, not the
 * seed's appUrl: a test stack on another port must not get a feedback button on every page.
 */
export const HOUSE_KEY = "pk_live_weftdashboardlocal00000000000000000000000000000";
const HOUSE_ORIGINS = ["http://localhost:8787", "http://127.0.0.1:8787"];

/** The house workspace, its operator, activation milestones and synthetic history. */
export function houseSql({ now, passwordHash }) {
  const created = now - 400 * DAY;
  const { rows, persons } = houseEvents(now);
  const chunks = [];
  for (let i = 0; i < rows.length; i += 400) chunks.push(rows.slice(i, i + 400));
  const activation = JSON.stringify({ signup_event: "signed_up", milestones: WEFT_MILESTONES });
  return `
INSERT INTO users (id, email, name, password_hash, email_verified_at, created_at, updated_at)
VALUES ('usr_weft_operator', ${q(OPERATOR.email)}, ${q(OPERATOR.name)}, ${q(passwordHash(OPERATOR.email))}, ${created}, ${created}, ${created})
ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, updated_at = ${now} WHERE users.password_hash <> excluded.password_hash;
INSERT INTO tenants (id, name, slug, created_at, updated_at) VALUES ('ten_weft_house', 'Weft', 'weft', ${created}, ${created}) ON CONFLICT(slug) DO NOTHING;
INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at)
SELECT ${HOUSE}, u.id, 'owner', ${created}, ${created} FROM users u WHERE u.email = ${q(OPERATOR.email)} ON CONFLICT(tenant_id, user_id) DO NOTHING;
INSERT INTO onboarding_progress (tenant_id, step, completed_steps, focus, invites_sent, completed_at, updated_by, created_at, updated_at)
VALUES (${HOUSE}, 'focus', '["workspace","invite","focus"]', 'widget', 0, ${created}, NULL, ${created}, ${created}) ON CONFLICT(tenant_id) DO NOTHING;
INSERT INTO publishable_keys (tenant_id, id, name, key, allowed_origins, created_by, revoked_at, created_at, updated_at)
VALUES (${HOUSE}, 'pk_weft_dashboard', 'Weft dashboard (local)', ${q(HOUSE_KEY)}, ${q(JSON.stringify(HOUSE_ORIGINS))}, 'seed', NULL, ${created}, ${created})
ON CONFLICT DO NOTHING;
INSERT INTO survey_settings (tenant_id, nps_enabled, nps_question, min_days_since_signup, ask_every_days, sampling_percent, feedback_enabled, notify_email, updated_at)
VALUES (${HOUSE}, 1, 'How likely are you to recommend Weft to a friend or colleague?', 14, 90, 100, 1, NULL, ${created})
ON CONFLICT DO NOTHING;
INSERT INTO analytics_settings (tenant_id, autocapture_links, autocapture_forms, respect_dnt, require_consent, retention_days, activation, recovery, updated_at)
VALUES (${HOUSE}, 1, 1, 1, 0, NULL, ${q(activation)}, NULL, ${created}) ON CONFLICT(tenant_id) DO NOTHING;
${chunks
  .map(
    (c) => `INSERT INTO analytics_events (tenant_id, id, name, distinct_id, person_id, ts, received_at, source, is_bot, props)
SELECT ${HOUSE}, j.value->>'i', j.value->>'n', j.value->>'p', j.value->>'p', j.value->>'t', j.value->>'t', 'server', 0, j.value->>'pr'
FROM json_each(${q(JSON.stringify(c))}) AS j WHERE true ON CONFLICT DO NOTHING;`,
  )
  .join("\n")}
INSERT INTO analytics_persons (tenant_id, id, traits, first_seen_at, last_seen_at)
SELECT ${HOUSE}, j.value->>'id', j.value->>'tr', j.value->>'t', j.value->>'t' FROM json_each(${q(JSON.stringify(persons))}) AS j WHERE true ON CONFLICT DO NOTHING;
`;
}
