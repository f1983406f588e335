// The demo workspace's history as SQL for `wrangler d1 execute --file`: teammates, invitations, an API
// key, an Enterprise subscription on the payment simulator with paid invoices and usage, messages with
// their delivery attempts (and the dev mailbox / SMS inbox copies), email lists, a webhook endpoint
// with deliveries, and a few dozen audit events — times relative to `now`.
//
// Idempotent: every row has a fixed id (`…_demo_…`) or natural key and is inserted with
// ON CONFLICT DO NOTHING, so a second run changes nothing. Usage events follow the usage
// consumer's rule (modules/billing/usage.store.ts): the counters add exactly the events this run
// inserted (tagged with this run's batch id), so they never count an event twice.
// Rows reference the workspace by its slug (its id is random, made on the first seed).
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import {
  BROADCASTS,
  CUSTOMERS,
  LISTS,
  ORDER_EMAILS,
  ORDER_SMS,
  PENDING_INVITE,
  REVOKED_INVITE,
  TEAMMATES,
  WEBHOOK_MEMBER_EVENTS,
} from "./content.mjs";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const TENANT = "(SELECT id FROM tenants WHERE slug = 'demo')";
export const OWNER = "(SELECT id FROM users WHERE email = 'demo@weft.local')";

/** A raw SQL expression (not quoted). */
export const raw = (sql) => ({ raw: sql });
const T = raw(TENANT);
const OWNER_ID = raw(OWNER);

export const q = (v) => `'${String(v).replace(/'/g, "''")}'`;
function lit(v) {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "object" && "raw" in v) return v.raw;
  if (typeof v === "number") return String(Math.round(v));
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "object") return q(JSON.stringify(v));
  return q(v);
}

/** Multi-row INSERT … ON CONFLICT DO NOTHING (rows share the first row's columns). */
export function insert(table, rows, conflict = "ON CONFLICT DO NOTHING") {
  if (!rows.length) return "";
  const cols = Object.keys(rows[0]);
  const out = [];
  for (let i = 0; i < rows.length; i += 40) {
    const values = rows.slice(i, i + 40).map((r) => `(${cols.map((c) => lit(r[c])).join(", ")})`);
    out.push(`INSERT INTO ${table} (${cols.join(", ")}) VALUES\n  ${values.join(",\n  ")}\n${conflict};`);
  }
  return out.join("\n");
}

/** Stable pseudo-random integer in [0, n) for a key (so the demo looks the same on every machine). */
function pick(key, n) {
  return createHash("sha256").update(key).digest().readUInt32BE(0) % n;
}
const sha256 = (s) => createHash("sha256").update(s).digest("hex");
const monthStart = (ms, add = 0) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
};
const ym = (ms) => new Date(ms).toISOString().slice(0, 7);
const layout = (body) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:560px;margin:24px auto;color:#111">${body}<p style="color:#666;font-size:12px;margin-top:32px">Sent by Weft</p></body></html>`;
const fill = (tpl, data) => tpl.replace(/\{\{(\w+)\}\}/g, (_, k) => String(data[k] ?? ""));
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** encryptSecret() of workers/platform/crypto.ts (AES-256-GCM, `v1.<iv>.<ciphertext+tag>`). */
export function sealSecret(plaintext, base64Key) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(base64Key, "base64"), iv);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString("base64")}.${ct.toString("base64")}`;
}

const TEMPLATES = {
  orderEmail: {
    subject: "Your {{shop}} order {{order}} is on its way",
    body: "Hi {{name}},\n\nGood news: your order {{order}} left the studio today, wrapped in recycled paper.\n\nTrack it here: {{tracking_url}}\n\nThank you for supporting handmade ceramics!\nThe {{shop}} studio",
    html: layout(
      '<p>Hi {{name}},</p><p>Good news: your order <strong>{{order}}</strong> left the studio today, wrapped in recycled paper.</p><p><a href="{{tracking_url}}">Track your parcel</a></p><p>Thank you for supporting handmade ceramics!<br>The {{shop}} studio</p>',
    ),
  },
  orderSms: { subject: "", body: "{{shop}}: your order {{order}} has shipped. Track it: {{tracking_url}}" },
  newsletterV1: {
    subject: "{{headline}}: news from the studio",
    body: "Hi {{name}},\n\n{{headline}}. {{intro}}\n\nSee what's new: https://shop.demo.weft.local/new\n\nThe Demo Co studio",
    html: layout(
      '<p>Hi {{name}},</p><p><strong>{{headline}}.</strong> {{intro}}</p><p><a href="https://shop.demo.weft.local/new">See what\'s new</a></p><p>The Demo Co studio</p>',
    ),
  },
  newsletterV2: {
    subject: "{{headline}} | Demo Co studio notes",
    body: "Hi {{name}},\n\n{{headline}}. {{intro}}\n\nShop the new pieces: https://shop.demo.weft.local/new\n\nWarmly,\nThe Demo Co studio",
    html: layout(
      '<p>Hi {{name}},</p><h2 style="font-weight:600">{{headline}}</h2><p>{{intro}}</p><p><a href="https://shop.demo.weft.local/new">Shop the new pieces</a></p><p>Warmly,<br>The Demo Co studio</p>',
    ),
  },
  invitation: {
    subject: "{{inviter}} invited you to {{workspace}} on Weft",
    body: "{{inviter}} invited you to join {{workspace}} as {{role}}.\n\nAccept the invitation:\n{{link}}\n\nThe invitation expires in 7 days.",
    html: layout(
      '<p><strong>{{inviter}}</strong> invited you to join <strong>{{workspace}}</strong> as {{role}}.</p><p><a href="{{link}}">Accept the invitation</a></p><p>The invitation expires in 7 days.</p>',
    ),
  },
};

const INTROS = {
  "Autumn glazes": "Three new glazes came out of the kiln this month: rust, moss and a deep ink blue",
  "The seconds sale": "Once a year we sell pieces with tiny flaws at 40% off; it starts this Friday at 10:00",
};

/**
 * @param {object} o
 * @param {number} o.now                epoch ms the history is relative to
 * @param {(email: string) => string} o.passwordHash  hash for a teammate (same password as the owner)
 * @param {string} o.appUrl             origin used in e-mailed links (invitations)
 * @param {string} o.webhookUrl         the demo webhook endpoint's URL
 * @param {string} o.encryptionKey      ENCRYPTION_KEY the Worker uses (seals the endpoint's secret)
 */
export function demoSql({ now, passwordHash, appUrl, webhookUrl, encryptionKey }) {
  const ago = (days, key = "") => now - days * DAY - (key ? pick(key, 5 * HOUR) : 0);
  const parts = [];
  const audits = [];
  const audit = (id, action, at, o = {}) =>
    audits.push({
      tenant_id: T,
      id: `aud_demo_${id}`,
      action,
      actor_type: o.actorType ?? "user",
      actor_id: o.actorType === "system" ? null : (o.actor ?? OWNER_ID),
      target_type: o.target?.[0] ?? null,
      target_id: o.target?.[1] ?? null,
      ip: o.actorType === "system" ? null : (o.ip ?? "203.0.113.24"),
      user_agent: o.actorType === "system" ? null : "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
      metadata: o.metadata ?? null,
      created_at: at,
    });

  // ------------------------------------------------------------ team
  parts.push(
    insert(
      "users",
      TEAMMATES.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        password_hash: passwordHash(u.email),
        email_verified_at: ago(u.joinedDaysAgo, u.id),
        created_at: ago(u.joinedDaysAgo, u.id),
        updated_at: ago(u.joinedDaysAgo, u.id),
      })),
      // Like the owner: a re-run resets a changed demo password, and changes nothing otherwise.
      "ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at WHERE users.password_hash <> excluded.password_hash",
    ),
  );
  parts.push(
    insert(
      "memberships",
      TEAMMATES.map((u) => ({
        tenant_id: T,
        user_id: u.id,
        role: u.role,
        created_at: ago(u.joinedDaysAgo, u.id),
        updated_at: ago(u.joinedDaysAgo, u.id),
      })),
    ),
  );
  const inviteMail = (id, email, role, at, link) => ({ id, email, role, at, link });
  const invitationMails = [];
  const invitations = TEAMMATES.map((u) => {
    const sent = ago(u.joinedDaysAgo + 1, `inv${u.id}`);
    const role = u.invitedAs ?? u.role;
    invitationMails.push(inviteMail(`msg_demo_invite_${u.id.slice(9)}`, u.email, role, sent, `${appUrl}/invite?token=accepted`));
    audit(`invite_${u.id.slice(9)}`, "invitation.created", sent, {
      target: ["invitation", `inv_demo_${u.id.slice(9)}`],
      metadata: { email: u.email, role },
    });
    audit(`accept_${u.id.slice(9)}`, "invitation.accepted", ago(u.joinedDaysAgo, u.id), {
      actor: u.id,
      ip: "198.51.100.7",
      target: ["invitation", `inv_demo_${u.id.slice(9)}`],
      metadata: { email: u.email, role },
    });
    return {
      tenant_id: T,
      id: `inv_demo_${u.id.slice(9)}`,
      email: u.email,
      role,
      token_hash: sha256(`demo-accepted-${u.id}-${randomBytes(8).toString("hex")}`),
      invited_by: OWNER_ID,
      expires_at: sent + 7 * DAY,
      last_sent_at: sent,
      send_count: 1,
      accepted_at: ago(u.joinedDaysAgo, u.id),
      accepted_by: u.id,
      revoked_at: null,
      created_at: sent,
    };
  });
  // The pending invitation's link works (the token is stored hashed, like every invitation): open it
  // from the dev mailbox and sign up as Jordan to try the accept flow.
  const jordanToken = randomBytes(32).toString("hex");
  const pendingSent = ago(PENDING_INVITE.sentDaysAgo, PENDING_INVITE.id);
  invitations.push({
    tenant_id: T,
    id: PENDING_INVITE.id,
    email: PENDING_INVITE.email,
    role: PENDING_INVITE.role,
    token_hash: sha256(jordanToken),
    invited_by: "usr_demo_priya",
    expires_at: pendingSent + 7 * DAY,
    last_sent_at: pendingSent,
    send_count: 1,
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
    created_at: pendingSent,
  });
  invitationMails.push({
    ...inviteMail(
      "msg_demo_invite_jordan",
      PENDING_INVITE.email,
      PENDING_INVITE.role,
      pendingSent,
      `${appUrl}/invite?token=${jordanToken}`,
    ),
    inviter: "Priya Shah",
  });
  audit("invite_jordan", "invitation.created", pendingSent, {
    actor: "usr_demo_priya",
    ip: "198.51.100.23",
    target: ["invitation", PENDING_INVITE.id],
    metadata: { email: PENDING_INVITE.email, role: PENDING_INVITE.role },
  });
  const revokedSent = ago(REVOKED_INVITE.sentDaysAgo, REVOKED_INVITE.id);
  invitations.push({
    tenant_id: T,
    id: REVOKED_INVITE.id,
    email: REVOKED_INVITE.email,
    role: REVOKED_INVITE.role,
    token_hash: sha256(`demo-revoked-${randomBytes(8).toString("hex")}`),
    invited_by: OWNER_ID,
    expires_at: revokedSent + 7 * DAY,
    last_sent_at: revokedSent,
    send_count: 1,
    accepted_at: null,
    accepted_by: null,
    revoked_at: ago(REVOKED_INVITE.revokedDaysAgo, "revoke"),
    created_at: revokedSent,
  });
  invitationMails.push(
    inviteMail("msg_demo_invite_alex", REVOKED_INVITE.email, REVOKED_INVITE.role, revokedSent, `${appUrl}/invite?token=revoked`),
  );
  audit("invite_alex", "invitation.created", revokedSent, {
    target: ["invitation", REVOKED_INVITE.id],
    metadata: { email: REVOKED_INVITE.email, role: REVOKED_INVITE.role },
  });
  audit("revoke_alex", "invitation.revoked", ago(REVOKED_INVITE.revokedDaysAgo, "revoke"), {
    target: ["invitation", REVOKED_INVITE.id],
    metadata: { email: REVOKED_INVITE.email },
  });
  parts.push(insert("invitations", invitations));
  audit("role_lena", "member.role_changed", ago(30, "role"), {
    target: ["user", "usr_demo_lena"],
    metadata: { from: "viewer", to: "member" },
  });

  // API keys (a secret is shown once, on creation; only its hash is stored): one in use, one revoked.
  const keySecret = `wk_live_${randomBytes(24).toString("hex")}`;
  const oldSecret = `wk_live_${randomBytes(24).toString("hex")}`;
  parts.push(
    insert("api_keys", [
      {
        tenant_id: T,
        id: "key_demo_import_script",
        name: "Product import script",
        prefix: oldSecret.slice(0, 14),
        key_hash: sha256(oldSecret),
        scopes: ["knowledge:read"],
        created_by: "usr_demo_priya",
        last_used_at: ago(23, "oldkeyuse"),
        expires_at: null,
        revoked_at: ago(9, "revokekey"),
        created_at: ago(64, "oldkey"),
      },
      {
        tenant_id: T,
        id: "key_demo_shop_backend",
        name: "Shop backend",
        prefix: keySecret.slice(0, 14),
        key_hash: sha256(keySecret),
        scopes: ["members:read", "messages:send", "knowledge:read"],
        created_by: OWNER_ID,
        last_used_at: ago(0, "keyuse") - 2 * HOUR,
        expires_at: null,
        revoked_at: null,
        created_at: ago(58, "key"),
      },
    ]),
  );
  audit("api_key", "api_key.created", ago(58, "key"), {
    target: ["api_key", "key_demo_shop_backend"],
    metadata: { name: "Shop backend", scopes: ["members:read", "messages:send", "knowledge:read"], prefix: keySecret.slice(0, 14) },
  });
  audit("old_key", "api_key.created", ago(64, "oldkey"), {
    actor: "usr_demo_priya",
    ip: "198.51.100.23",
    target: ["api_key", "key_demo_import_script"],
    metadata: { name: "Product import script", scopes: ["knowledge:read"], prefix: oldSecret.slice(0, 14) },
  });
  audit("old_key_revoked", "api_key.revoked", ago(9, "revokekey"), {
    actor: "usr_demo_priya",
    ip: "198.51.100.23",
    target: ["api_key", "key_demo_import_script"],
    metadata: { name: "Product import script", prefix: oldSecret.slice(0, 14) },
  });
  audit("pk_updated", "publishable_key.updated", ago(6, "pku"), {
    target: ["publishable_key", "pk_localdemo"],
    metadata: { name: "Demo site (local)", allowed_origins_changed: true },
  });
  audit("chat_greeting", "chat.settings_updated", ago(3, "cs2"), {
    actor: "usr_demo_priya",
    ip: "198.51.100.23",
    metadata: { fields: ["greeting"] },
  });
  audit("pk", "publishable_key.created", ago(88, "pk"), {
    target: ["publishable_key", "pk_localdemo"],
    metadata: { name: "Demo site (local)" },
  });
  audit("tenant_updated", "tenant.updated", ago(95, "tu"), { target: ["tenant", T], metadata: { name: "Demo Co" } });
  audit("chat_settings", "chat.settings_updated", ago(87, "cs"), { metadata: { fields: ["title", "greeting", "color"] } });

  // ------------------------------------------------------------ billing: Enterprise on the payment simulator
  // (the plan with every feature, so each page of the dashboard — salesboard, calls, CRM sync, sales
  // knowledge, workflows, the AI safety console — shows the demo's data instead of an upgrade notice)
  const PLAN = "enterprise";
  const PLAN_NAME = "Enterprise";
  const SEATS = 6;
  const subStart = monthStart(now, -3) + 9 * DAY + 14 * HOUR + 32 * MIN; // signed up in the month three months back
  const subId = "sub_sim_demo00000000000001";
  const checkoutId = "simco_demo00000000000001";
  parts.push(
    insert("billing_simulator_checkouts", [
      {
        tenant_id: T,
        id: checkoutId,
        provider: "stripe",
        plan: PLAN,
        interval: "month",
        seats: SEATS,
        trial: false,
        status: "approved",
        payment_method: "card",
        return_url: `${appUrl}/settings/billing`,
        created_at: subStart - 3 * MIN,
        updated_at: subStart,
      },
    ]),
    insert("billing_subscriptions", [
      {
        tenant_id: T,
        plan: PLAN,
        interval: "month",
        status: "active",
        seats: SEATS,
        provider: "simulator",
        provider_customer_id: raw(`'cus_sim_' || substr(${TENANT}, 5)`),
        provider_subscription_id: subId,
        trial_ends_at: null,
        trial_used_at: null,
        period_start: monthStart(now),
        period_end: monthStart(now, 1),
        cancel_at_period_end: false,
        grace_ends_at: null,
        allow_overage: false,
        state_at: monthStart(now) + 2 * MIN,
        created_at: subStart,
        updated_at: monthStart(now) + 2 * MIN,
      },
    ]),
    // The simulator renews at period end on the billing cron; `npm start` has no cron, so a demo
    // subscription whose period ran out while nothing ran moves on to the current month here.
    `UPDATE billing_subscriptions SET period_start = ${monthStart(now)}, period_end = ${monthStart(now, 1)}, state_at = ${monthStart(now) + 2 * MIN}, updated_at = ${monthStart(now) + 2 * MIN}
WHERE tenant_id = ${TENANT} AND provider_subscription_id = '${subId}' AND status = 'active' AND period_end <= ${now};`,
    // Demo databases seeded before the demo moved to Enterprise keep their subscription row (inserts never overwrite).
    `UPDATE billing_subscriptions SET plan = '${PLAN}' WHERE tenant_id = ${TENANT} AND provider_subscription_id = '${subId}' AND plan = 'starter';`,
    insert("billing_provider_refs", [
      { provider: "stripe", ref: subId, tenant_id: T, created_at: subStart },
      { provider: "stripe", ref: raw(`'cus_sim_' || substr(${TENANT}, 5)`), tenant_id: T, created_at: subStart },
    ]),
  );
  audit("checkout", "billing.checkout_started", subStart - 3 * MIN, {
    target: ["subscription", checkoutId],
    metadata: { plan: PLAN, interval: "month", seats: SEATS, provider: "stripe", mode: "simulator", trial: false },
  });
  audit("sub_started", "billing.subscription_started", subStart, {
    actorType: "system",
    target: ["subscription", subId],
    metadata: { provider: "simulator", plan: PLAN, interval: "month", seats: SEATS, status: "active", from_plan: "free" },
  });

  const invoices = [];
  const lines = [];
  const [fee, included, seatCents] = [99_900, 25, 2_500]; // modules/billing/plans.ts
  const extra = Math.max(0, SEATS - included);
  // The first invoice charges the rest of the sign-up month; then one full invoice per month, paid on the 1st.
  const firstEnd = monthStart(subStart, 1);
  const share = (firstEnd - subStart) / (firstEnd - monthStart(subStart));
  const periods = [{ start: subStart, end: firstEnd, prorated: true }];
  for (let m = -2; m <= 0; m++) periods.push({ start: monthStart(now, m), end: monthStart(now, m + 1), prorated: false });
  for (const p of periods) {
    const id = `inv_demo_${ym(p.start).replace("-", "")}`;
    const items = p.prorated
      ? [
          [
            "proration",
            `${PLAN_NAME} plan (monthly), ${ym(p.start)} from day ${new Date(p.start).getUTCDate()}`,
            1,
            Math.round(fee * share),
          ],
          [
            "proration",
            `Additional seats (${included} included), ${ym(p.start)} from day ${new Date(p.start).getUTCDate()}`,
            extra,
            Math.round(seatCents * share),
          ],
        ].filter(([, , qty]) => qty > 0)
      : [
          ["platform_fee", `${PLAN_NAME} plan (monthly)`, 1, fee],
          ["seats", `Additional seats (${included} included)`, extra, seatCents],
        ].filter(([, , qty]) => qty > 0);
    const total = items.reduce((s, [, , qty, unit]) => s + qty * unit, 0);
    const paidAt = p.start + 2 * MIN + pick(id, 40_000);
    invoices.push({
      tenant_id: T,
      id,
      number: raw(`'W-' || upper(substr(${TENANT}, -6)) || '-${ym(p.start).replace("-", "")}'`),
      period_start: p.start,
      period_end: p.end,
      plan: PLAN,
      currency: "usd",
      subtotal_cents: total,
      total_cents: total,
      status: "paid",
      provider: "simulator",
      provider_invoice_id: `in_sim_${id.slice(4)}`,
      hosted_url: null,
      paid_at: paidAt,
      state_at: paidAt,
      created_at: p.start,
    });
    for (const [i, [kind, description, quantity, unit]] of items.entries())
      lines.push({
        tenant_id: T,
        id: `inl_demo_${id.slice(9)}_${i}`,
        invoice_id: id,
        kind,
        description,
        meter: null,
        quantity,
        unit_amount_cents: unit,
        unit_size: 1,
        amount_cents: quantity * unit,
        position: i,
      });
  }
  parts.push(insert("billing_invoices", invoices), insert("billing_invoice_lines", lines));

  // Usage: a daily series for the last 28 days, through usage_events like the Queue consumer writes it.
  const batch = `ub_demo_${randomBytes(6).toString("hex")}`;
  const events = [];
  const ev = (meter, k, quantity, user = null, suffix = "") => {
    const at = now - k * DAY - pick(`${meter}${k}${suffix}`, 8 * HOUR);
    events.push({
      tenant_id: T,
      event_id: `demo_use_${meter}_${k}${suffix}`,
      meter,
      quantity,
      period: ym(at),
      day: new Date(at).toISOString().slice(0, 10),
      user_id: user,
      batch_id: batch,
      occurred_at: at,
      created_at: at,
    });
  };
  for (let k = 0; k < 28; k++) {
    const weekend = [0, 6].includes(new Date(now - k * DAY).getUTCDay());
    ev("emails", k, (weekend ? 8 : 22) + pick(`e${k}`, 30), OWNER);
    ev("ai_tokens", k, (weekend ? 5_000 : 9_000) + pick(`a${k}`, 7_000));
    ev("ai_tokens", k, 600 + pick(`s${k}`, 1_500), "usr_demo_sam", "_sam");
    if (k % 2 === 0) ev("ai_tokens", k, 400 + pick(`p${k}`, 1_200), "usr_demo_priya", "_priya");
    ev("bandwidth_bytes", k, (weekend ? 90 : 160) * 1024 * 1024 + pick(`b${k}`, 120 * 1024 * 1024));
  }
  for (const [k, mb] of [
    [27, 860],
    [14, 410],
    [5, 236],
  ])
    ev("storage_bytes", k, mb * 1024 * 1024, "usr_demo_lena");
  // The owner's usage rows name the owner through a subquery; the others use fixed ids.
  for (const e of events) if (e.user_id === OWNER) e.user_id = OWNER_ID;
  const from = `FROM usage_events WHERE tenant_id = ${TENANT} AND batch_id = '${batch}'`;
  parts.push(
    insert("usage_events", events),
    `INSERT INTO usage_counters (tenant_id, meter, period, quantity, reported, updated_at)
SELECT tenant_id, meter, CASE WHEN meter IN ('storage_bytes','leads','campaigns','seats') THEN 'total' ELSE period END AS p, SUM(quantity), 0, ${now}
${from} GROUP BY tenant_id, meter, p
ON CONFLICT (tenant_id, meter, period) DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at;`,
    `INSERT INTO usage_daily (tenant_id, meter, day, quantity)
SELECT tenant_id, meter, day, SUM(quantity) ${from} GROUP BY tenant_id, meter, day
ON CONFLICT (tenant_id, meter, day) DO UPDATE SET quantity = quantity + excluded.quantity;`,
    `INSERT INTO usage_seats (tenant_id, period, user_id, meter, quantity)
SELECT tenant_id, period, user_id, meter, SUM(quantity) ${from} AND user_id IS NOT NULL GROUP BY tenant_id, period, user_id, meter
ON CONFLICT (tenant_id, period, user_id, meter) DO UPDATE SET quantity = quantity + excluded.quantity;`,
  );

  // ------------------------------------------------------------ messaging
  const templates = [
    ["tpl_demo_order_email", "order.shipped", "email", 1, TEMPLATES.orderEmail, "Sent when an order leaves the studio", 74],
    ["tpl_demo_order_sms", "order.shipped", "sms", 1, TEMPLATES.orderSms, "SMS version for customers who gave a phone number", 74],
    ["tpl_demo_news_v1", "newsletter.monthly", "email", 1, TEMPLATES.newsletterV1, "Monthly studio newsletter", 68],
    ["tpl_demo_news_v2", "newsletter.monthly", "email", 2, TEMPLATES.newsletterV2, "Monthly studio newsletter (new layout)", 31],
  ];
  parts.push(
    insert(
      "message_templates",
      templates.map(([id, key, channel, version, t, description, days]) => ({
        tenant_id: T,
        id,
        key,
        channel,
        version,
        subject: t.subject,
        body: t.body,
        html: t.html ?? null,
        description,
        created_by: "usr_demo_lena",
        created_at: ago(days, id),
      })),
    ),
  );
  for (const [id, key, channel, version, , , days] of templates)
    audit(id.slice(4), "message_template.saved", ago(days, id), {
      actor: "usr_demo_lena",
      ip: "198.51.100.41",
      target: ["message_template", `${key}:${channel}`],
      metadata: { key, channel, version },
    });

  const outbox = [];
  const attempts = [];
  const mailbox = [];
  const sms = [];
  const delivered = (m) => {
    const sentAt = m.at + 800 + pick(m.id, 2_500);
    outbox.push({
      id: m.id,
      tenant_id: T,
      channel: m.channel,
      recipient: m.recipient,
      template: m.template,
      data: m.data,
      category: m.category,
      idempotency_key: m.idempotencyKey ?? null,
      status: "delivered",
      attempts: 1,
      provider: m.channel === "sms" ? "dev-sms" : "dev-mailbox",
      provider_message_id: m.id,
      last_error: null,
      send_at: null,
      sent_at: sentAt,
      created_at: m.at,
      subject: m.subject,
      next_attempt_at: null,
      delivered_at: sentAt,
      updated_at: sentAt,
      batch_id: m.batchId ?? null,
    });
    attempts.push({
      id: `att_demo_${m.id.slice(9)}_1`,
      tenant_id: T,
      message_id: m.id,
      attempt: 1,
      provider: m.channel === "sms" ? "dev-sms" : "dev-mailbox",
      outcome: "success",
      status_code: null,
      response: m.channel === "sms" ? "stored in the local dev SMS inbox" : "stored in the local dev mailbox",
      error: null,
      duration_ms: 3 + pick(m.id, 25),
      created_at: sentAt,
    });
    if (m.channel === "sms")
      sms.push({ id: `sms_demo_${m.id.slice(9)}`, message_id: m.id, to_number: m.recipient, body: m.text, created_at: sentAt });
    else
      mailbox.push({
        id: `mbx_demo_${m.id.slice(9)}`,
        message_id: m.id,
        to_address: m.recipient,
        subject: m.subject,
        text: m.text,
        html: m.html,
        created_at: sentAt,
      });
  };

  for (const inv of invitationMails) {
    const data = { inviter: inv.inviter ?? "Demo Owner", workspace: "Demo Co", role: inv.role, link: inv.link };
    delivered({
      id: inv.id,
      at: inv.at,
      channel: "email",
      recipient: inv.email,
      template: "tenancy.invitation",
      data,
      category: "transactional",
      subject: fill(TEMPLATES.invitation.subject, data),
      text: fill(TEMPLATES.invitation.body, data),
      html: fill(TEMPLATES.invitation.html, Object.fromEntries(Object.entries(data).map(([k, v]) => [k, esc(v)]))),
    });
  }
  for (const o of ORDER_EMAILS) {
    const c = CUSTOMERS[o.customer];
    const data = {
      shop: "Demo Co",
      name: c.name.split(" ")[0],
      order: o.order,
      tracking_url: `https://track.example.com/p/DC${o.order.slice(1)}US`,
    };
    delivered({
      id: o.id,
      at: ago(o.daysAgo, o.id),
      channel: "email",
      recipient: c.email,
      template: "order.shipped",
      data,
      category: "transactional",
      idempotencyKey: `demo:order-shipped:${o.order}`,
      subject: fill(TEMPLATES.orderEmail.subject, data),
      text: fill(TEMPLATES.orderEmail.body, data),
      html: fill(TEMPLATES.orderEmail.html, data),
    });
  }
  for (const s of ORDER_SMS) {
    const data = { shop: "Demo Co", order: s.order, tracking_url: `https://track.example.com/p/DC${s.order.slice(1)}US` };
    const text = fill(TEMPLATES.orderSms.body, data);
    delivered({
      id: s.id,
      at: ago(s.daysAgo, s.id) + 4_000,
      channel: "sms",
      recipient: s.phone,
      template: "order.shipped",
      data,
      category: "transactional",
      idempotencyKey: `demo:order-shipped-sms:${s.order}`,
      subject: text.slice(0, 120),
      text,
    });
  }

  // Email lists and their broadcasts.
  const lists = [];
  const subscribers = [];
  for (const l of LISTS) {
    lists.push({
      tenant_id: T,
      id: l.id,
      name: l.name,
      description: l.description,
      double_opt_in: l.doubleOptIn,
      created_at: ago(l.createdDaysAgo, l.id),
      updated_at: l.id === "lst_demo_wholesale" ? ago(13, "lu") : ago(l.createdDaysAgo, l.id),
    });
    audit(`list_${l.id.slice(9)}`, "email_list.created", ago(l.createdDaysAgo, l.id), {
      actor: "usr_demo_lena",
      ip: "198.51.100.41",
      target: ["email_list", l.id],
      metadata: { name: l.name },
    });
    for (const [ci, status, days] of l.subscribers) {
      const c = CUSTOMERS[ci];
      const created = ago(days, `${l.id}${ci}`);
      subscribers.push({
        tenant_id: T,
        id: `sub_demo_${l.id.slice(9)}_${ci}`,
        list_id: l.id,
        email: c.email,
        name: c.name,
        status,
        confirm_token_hash: status === "pending" ? sha256(randomBytes(16).toString("hex")) : null,
        source: ci % 3 === 0 ? "dashboard" : "public_form",
        consent_ip: ci % 3 === 0 ? null : `198.51.100.${60 + ci}`,
        confirmed_at: status === "pending" ? null : created + 4 * MIN,
        unsubscribed_at: status === "unsubscribed" ? created + 10 * DAY : null,
        created_at: created,
        updated_at: status === "unsubscribed" ? created + 10 * DAY : created + 4 * MIN,
      });
    }
  }
  parts.push(insert("email_lists", lists), insert("list_subscribers", subscribers));
  audit("list_updated", "email_list.updated", ago(13, "lu"), {
    actor: "usr_demo_lena",
    ip: "198.51.100.41",
    target: ["email_list", "lst_demo_wholesale"],
    metadata: { fields: ["description"] },
  });
  for (const b of BROADCASTS) {
    const at = ago(b.daysAgo, b.id);
    const list = LISTS.find((l) => l.id === b.list);
    const version = at < ago(31) ? TEMPLATES.newsletterV1 : TEMPLATES.newsletterV2;
    let n = 0;
    for (const s of subscribers.filter((x) => x.list_id === b.list)) {
      if (!s.confirmed_at || s.confirmed_at > at || (s.unsubscribed_at && s.unsubscribed_at < at)) continue;
      const data = { headline: b.month, intro: INTROS[b.month], name: s.name.split(" ")[0], list: list.name, list_id: list.id };
      delivered({
        id: `msg_demo_${b.id.slice(9)}_${s.id.slice(-2).replace("_", "")}`,
        at: at + n++ * 1_500,
        channel: "email",
        recipient: s.email,
        template: "newsletter.monthly",
        data,
        category: "marketing",
        batchId: b.id,
        idempotencyKey: `${b.id}:${s.email}`,
        subject: fill(version.subject, data),
        text: `${fill(version.body, data)}\n\n—\nUnsubscribe: ${appUrl}/public/v1/unsubscribe?demo=1`,
        html: fill(version.html, data),
      });
    }
    audit(b.id.slice(4), "email_list.broadcast", at, {
      actor: "usr_demo_lena",
      ip: "198.51.100.41",
      target: ["email_list", b.list],
      metadata: { batch_id: b.id, template: "newsletter.monthly", recipients: n },
    });
  }

  // Webhook endpoint of the shop's backend, with its deliveries.
  const endpointId = "whe_demo_shop_backend";
  const epCreated = ago(50, endpointId);
  const hooks = [];
  for (const inv of invoices)
    if (inv.paid_at > epCreated)
      hooks.push({
        id: `evt_demo_paid_${inv.id.slice(9)}`,
        type: "invoice.paid",
        at: inv.paid_at + 1_000,
        data: { invoice_id: inv.id, amount_cents: inv.total_cents, currency: "usd" },
      });
  for (const e of WEBHOOK_MEMBER_EVENTS) {
    const u = TEAMMATES.find((t) => t.id === e.user);
    hooks.push({ id: e.id, type: e.type, at: ago(u.joinedDaysAgo, u.id) + 1_000, data: { user_id: u.id, role: u.invitedAs ?? u.role } });
  }
  hooks.sort((a, b) => a.at - b.at);
  const webhookEvents = [];
  hooks.forEach((h, i) => {
    const retried = i === 1; // the second delivery met a 503 once and went through on the retry
    const msgId = `msg_demo_wh_${h.id.slice(9)}`;
    const done = h.at + (retried ? 31_000 : 400) + pick(h.id, 300);
    webhookEvents.push({
      tenant_id: T,
      id: h.id,
      type: h.type,
      payload: JSON.stringify({ type: h.type, timestamp: new Date(h.at).toISOString(), data: h.data }),
      created_at: h.at,
    });
    outbox.push({
      id: msgId,
      tenant_id: T,
      channel: "webhook",
      recipient: endpointId,
      template: h.type,
      data: { event_id: h.id },
      category: "transactional",
      idempotency_key: raw(`${TENANT} || ':${h.id}:${endpointId}'`),
      status: "delivered",
      attempts: retried ? 2 : 1,
      provider: "webhook",
      provider_message_id: h.id,
      last_error: null,
      send_at: null,
      sent_at: done,
      created_at: h.at,
      subject: h.type,
      next_attempt_at: null,
      delivered_at: done,
      updated_at: done,
      batch_id: null,
    });
    if (retried)
      attempts.push({
        id: `att_demo_wh_${h.id.slice(9)}_1`,
        tenant_id: T,
        message_id: msgId,
        attempt: 1,
        provider: "webhook",
        outcome: "transient",
        status_code: 503,
        response: '{"error":"upstream deploy in progress"}',
        error: "HTTP 503",
        duration_ms: 212,
        created_at: h.at + 300,
      });
    attempts.push({
      id: `att_demo_wh_${h.id.slice(9)}_${retried ? 2 : 1}`,
      tenant_id: T,
      message_id: msgId,
      attempt: retried ? 2 : 1,
      provider: "webhook",
      outcome: "success",
      status_code: 200,
      response: '{"received":true}',
      error: null,
      duration_ms: 90 + pick(h.id, 150),
      created_at: done,
    });
  });
  const lastHook = hooks.at(-1);
  const rotated = ago(11, "rotate");
  audit("webhook_rotated", "webhook_endpoint.secret_rotated", rotated, { target: ["webhook_endpoint", endpointId] });
  parts.push(
    insert("webhook_endpoints", [
      {
        tenant_id: T,
        id: endpointId,
        url: webhookUrl,
        description: "Shop backend (the local demo site answers for it)",
        event_types: ["invoice.paid", "member.joined", "member.removed", "subscription.updated"],
        secret: sealSecret(`whsec_${randomBytes(24).toString("base64")}`, encryptionKey),
        previous_secret: sealSecret(`whsec_${randomBytes(24).toString("base64")}`, encryptionKey),
        previous_secret_expires_at: rotated + DAY, // both secrets signed for 24 h after the rotation
        status: "enabled",
        disabled_reason: null,
        failing_since: null,
        consecutive_failures: 0,
        last_success_at: lastHook ? lastHook.at + 500 : null,
        created_at: epCreated,
        updated_at: rotated,
      },
    ]),
    insert("webhook_events", webhookEvents),
  );
  audit("webhook", "webhook_endpoint.created", epCreated, {
    target: ["webhook_endpoint", endpointId],
    metadata: { url: webhookUrl, event_types: ["invoice.paid", "member.joined", "member.removed", "subscription.updated"] },
  });

  parts.push(
    insert("outbox_messages", outbox),
    insert("message_attempts", attempts),
    insert("dev_mailbox", mailbox),
    insert("dev_sms", sms),
  );
  parts.push(insert("audit_logs", audits));
  return parts.filter(Boolean).join("\n");
}

/**
 * Dates the knowledge sources seedLive() just created back to when the team "wrote" them (the
 * `daysAgo` of each item), with their chunks, vectors and `knowledge.source_created` audit events, so
 * the demo's history reads naturally. Touches only sources of those titles created in the last hour.
 */
export function backdateKnowledgeSql(now, items) {
  const fresh = now - HOUR;
  return items
    .map(({ title, daysAgo }) => {
      const at = now - daysAgo * DAY - pick(title, 5 * HOUR);
      const ids = `SELECT id FROM kb_sources WHERE tenant_id = ${TENANT} AND title = ${q(title)} AND created_at > ${fresh}`;
      return `UPDATE audit_logs SET created_at = ${at} WHERE tenant_id = ${TENANT} AND action = 'knowledge.source_created' AND target_id IN (${ids});
UPDATE kb_chunks SET created_at = ${at + 4_000} WHERE tenant_id = ${TENANT} AND source_id IN (${ids});
UPDATE kb_vectors SET created_at = ${at + 4_000} WHERE tenant_id = ${TENANT} AND source_id IN (${ids});
UPDATE kb_sources SET created_at = ${at}, updated_at = ${at + 4_000}, indexed_at = ${at + 4_000} WHERE tenant_id = ${TENANT} AND title = ${q(title)} AND created_at > ${fresh};`;
    })
    .join("\n");
}
