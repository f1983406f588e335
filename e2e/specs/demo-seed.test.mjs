// The demo workspace `npm start` seeds (scripts/seed.mjs + scripts/seed/): seeded into the runner's
// stack, then every main area must show data through the API (team, inbox in each state with AI
// answers cited from the knowledge base, knowledge search, billing invoices and usage, delivery log,
// lists, webhook deliveries, audit log) and in the browser (home with the "Demo data" banner and the
// activity chart, an inbox conversation's transcript); a second seed run must insert and change
// nothing. Needs the runner's state dir (a stack of its own: see OWN_STACK in e2e/run.mjs).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO, seed, seedDemoLive, seedSql } from "../../scripts/seed.mjs";
import { KNOWLEDGE_FAQS, KNOWLEDGE_FILES } from "../../scripts/seed/content.mjs";
import { TENANT } from "../../scripts/seed/sql.mjs";
import { wrangler } from "../../scripts/local.mjs";
import { apiCall, axe, BASE, launch, newContext, STATE_DIR, screenshot } from "../lib/browser.mjs";

const stateDir = STATE_DIR;
const ORIGIN = "http://127.0.0.1:9"; // the demo site's origin as far as the publishable key is concerned
const IP = "127.0.60.1";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

/** Row counts (and a few sums) of everything the seed writes, as one SELECT. */
const COUNTS = (() => {
  const t = (table, where = "") => `(SELECT count(*) FROM ${table} WHERE tenant_id = ${TENANT}${where})`;
  const cols = {
    users: `(SELECT count(*) || ':' || group_concat(password_hash, '') FROM users WHERE email = 'demo@weft.local' OR email LIKE '%@demo.weft.local')`,
    memberships: t("memberships"),
    invitations: t("invitations"),
    api_keys: t("api_keys"),
    publishable_keys: t("publishable_keys"),
    chat_settings: t("chat_settings"),
    canned: t("chat_canned_responses"),
    subscriptions: `(SELECT count(*) || ':' || group_concat(period_end || status || seats) FROM billing_subscriptions WHERE tenant_id = ${TENANT})`,
    checkouts: t("billing_simulator_checkouts"),
    refs: t("billing_provider_refs"),
    invoices: t("billing_invoices"),
    invoice_lines: t("billing_invoice_lines"),
    usage_events: t("usage_events"),
    usage_counters: t("usage_counters"),
    usage_daily: t("usage_daily"),
    usage_seats: t("usage_seats"),
    usage_sum: `(SELECT sum(quantity) FROM usage_counters WHERE tenant_id = ${TENANT} AND meter <> 'ai_tokens')`,
    templates: t("message_templates"),
    outbox: t("outbox_messages"),
    attempts: t("message_attempts"),
    mailbox: `(SELECT count(*) FROM dev_mailbox WHERE message_id IN (SELECT id FROM outbox_messages WHERE tenant_id = ${TENANT}))`,
    sms: `(SELECT count(*) FROM dev_sms WHERE message_id IN (SELECT id FROM outbox_messages WHERE tenant_id = ${TENANT}))`,
    lists: t("email_lists"),
    subscribers: t("list_subscribers"),
    endpoints: t("webhook_endpoints"),
    webhook_events: t("webhook_events"),
    audit: t("audit_logs"),
    analytics_events: t("analytics_events"),
    analytics_daily: `(SELECT sum(count) FROM analytics_daily WHERE tenant_id = ${TENANT})`,
    analytics_persons: t("analytics_persons"),
    kb_sources: t("kb_sources"),
    kb_chunks: t("kb_chunks"),
    kb_vectors: t("kb_vectors"),
    conversations: t("chat_conversations"),
    chat_messages: t("chat_messages"),
    release_notes: `(SELECT count(*) || ':' || group_concat(status) FROM release_notes WHERE tenant_id = ${TENANT})`,
    orders: `(SELECT count(*) || ':' || sum(total) || ':' || sum(refunded) FROM commerce_orders WHERE tenant_id = ${TENANT})`,
    order_lines: t("commerce_order_lines"),
    order_events: t("commerce_order_events"),
    order_checkouts: t("commerce_checkouts"),
    refunds: t("commerce_refunds"),
    fulfilments: t("commerce_fulfilments"),
    coupon_uses: `(SELECT group_concat(code || '=' || redeemed_count) FROM commerce_coupons WHERE tenant_id = ${TENANT})`,
    shop_subscriptions: `(SELECT count(*) || ':' || group_concat(status) FROM commerce_subscriptions WHERE tenant_id = ${TENANT})`,
    subscription_invoices: t("commerce_subscription_invoices"),
    forum: `(SELECT count(*) || ':' || sum(post_count) FROM forum_topics WHERE tenant_id = ${TENANT})`,
    forum_posts: t("forum_posts"),
    forum_fts: `(SELECT count(*) FROM forum_posts_fts WHERE tenant_id = ${TENANT})`,
    forum_members: `(SELECT count(*) || ':' || sum(likes_received) FROM forum_members WHERE tenant_id = ${TENANT})`,
    forum_reactions: t("forum_reactions"),
    forum_flags: t("forum_flags"),
    forum_actions: t("forum_mod_actions"),
  };
  return `SELECT ${Object.entries(cols)
    .map(([k, v]) => `${v} AS ${k}`)
    .join(", ")};`;
})();

const call = (path, o = {}) => apiCall(path, { ip: IP, ...o });

test("demo seed: every main area has data, and a second seed changes nothing", {
  skip: !stateDir && "needs E2E_STATE_DIR (node e2e/run.mjs)",
}, async () => {
  const t0 = Date.now();
  const first = seed({ stateDir, appUrl: BASE, chatOrigins: [ORIGIN] });
  console.log(`demo seed: SQL seed took ${Date.now() - t0} ms`);
  assert.equal(first.live.knowledge.length, KNOWLEDGE_FILES.length + KNOWLEDGE_FAQS.length, "a fresh stack has no demo knowledge yet");
  const made = await seedDemoLive({ url: BASE, stateDir, live: first.live, origin: ORIGIN });
  assert.deepEqual(made, { knowledge: 11, chat: 6 });
  const tSeed = Date.now() - t0;
  const phase = (name) => console.log(`demo seed: ${name} after ${Date.now() - t0} ms`);
  phase("seed + live");

  const login = await call("/api/v1/auth/login", { method: "POST", body: { email: DEMO.email, password: DEMO.password } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = login.body.access_token;
  const me = await call("/api/v1/me", { token });
  const tenant = me.body.memberships.find((m) => m.tenant.slug === "demo").tenant.id;
  const get = async (path) => {
    const r = await call(path, { token, tenant });
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  // Team: every role, a pending invitation.
  const members = await get("/api/v1/members?limit=100");
  assert.deepEqual([...new Set(members.data.map((m) => m.role))].sort(), ["admin", "member", "owner", "viewer"]);
  assert.ok(members.data.length >= 5);
  const invitations = await get("/api/v1/invitations?status=pending&limit=100");
  assert.ok(invitations.data.some((i) => i.email === "jordan@demo.weft.local"));

  // Inbox: each state, once the ChatSessions' D1 mirrors have caught up (they flush within seconds).
  let convs;
  for (let i = 0; i < 40; i++) {
    convs = (await get("/api/v1/chat/conversations?view=all&limit=50")).data;
    const by = (s) => convs.filter((c) => c.status === s);
    if (
      by("open").length === 1 &&
      by("waiting").length === 2 &&
      by("assigned").length === 1 &&
      by("closed").filter((c) => c.csat_rating).length === 2
    )
      break;
    await sleep(500);
  }
  const state = Object.fromEntries(convs.map((c) => [c.visitor_name, `${c.status}${c.csat_rating ? `:${c.csat_rating}` : ""}`]));
  assert.deepEqual(state, {
    "Maya Chen": "open",
    "Daniel Ortiz": "waiting",
    "Aiko Tanaka": "waiting",
    "Grace Miller": "assigned",
    "Oliver Brown": "closed:5",
    "Sofia Rossi": "closed:4",
  });
  const maya = convs.find((c) => c.visitor_name === "Maya Chen");
  const transcript = (await get(`/api/v1/chat/conversations/${maya.id}/messages?limit=50`)).data;
  const ai = transcript.filter((m) => m.role === "ai");
  assert.equal(ai.length, 2, "the local AI answered both questions");
  assert.ok(
    ai.every((m) => m.citations?.length),
    "…citing the knowledge base",
  );

  // Knowledge: indexed by the real pipeline, found by hybrid search.
  const sources = (await get("/api/v1/knowledge/sources?limit=100")).data;
  assert.equal(sources.filter((s) => s.status === "ready" && s.chunk_count > 0).length, 11);
  assert.ok(
    sources.every((s) => Date.parse(s.created_at) < Date.now() - 86_400_000),
    "dated back to when the team wrote them",
  );
  const found = await call("/api/v1/knowledge/search", {
    method: "POST",
    token,
    tenant,
    body: { query: "how long does shipping to Canada take" },
  });
  assert.equal(found.status, 200);
  assert.match(found.body.data[0].source_title, /Shipping policy|ship internationally/);
  assert.ok(found.body.data[0].scores.fts > 0 && found.body.data[0].scores.vector > 0, "both FTS and vectors matched");

  // Billing: Enterprise on the simulator (so every Sell and Automation page has data), paid invoices, usage.
  const billing = await get("/api/v1/billing");
  assert.equal(billing.subscription.plan, "enterprise");
  assert.equal(billing.subscription.provider, "simulator");
  const used = Object.fromEntries(billing.usage.map((u) => [u.meter, u.used]));
  for (const m of ["emails", "ai_tokens", "bandwidth_bytes", "storage_bytes"]) assert.ok(used[m] > 0, `${m} usage`);
  const invoices = (await get("/api/v1/billing/invoices?limit=20")).data;
  assert.ok(invoices.length >= 4 && invoices.every((i) => i.status === "paid"));

  // Sell and Automation: the plan's features open the seeded salesboard history, calls, sales knowledge and workflows.
  const board = await get("/api/v1/salesboard");
  assert.ok(board.kpis.emails_sent > 0 && board.kpis.won_count > 0, "salesboard figures from the seeded history");
  assert.ok((await get("/api/v1/sales/calls")).data.length >= 2, "seeded calls");
  assert.ok((await get("/api/v1/sales/fusion/documents")).data.length >= 4, "seeded sales knowledge");
  assert.ok((await get("/api/v1/workflows")).data.length >= 1, "seeded workflows");

  // Messaging, lists, webhooks, audit.
  const messages = (await get("/api/v1/messages?limit=100")).data;
  assert.ok(messages.length >= 30);
  assert.deepEqual([...new Set(messages.map((m) => m.channel))].sort(), ["email", "sms", "webhook"]);
  const lists = (await get("/api/v1/email-lists?limit=20")).data;
  assert.ok(lists.some((l) => l.counts.subscribed >= 5));
  const deliveries = (await get("/api/v1/webhook-endpoints/whe_demo_shop_backend/deliveries?limit=20")).data;
  assert.ok(deliveries.length >= 2 && deliveries.every((d) => d.status === "delivered"));
  const audit = (await get("/api/v1/audit-logs?limit=100")).data;
  assert.ok(audit.length >= 36, `audit events: ${audit.length}`);
  assert.ok(new Set(audit.map((a) => a.action)).size >= 12, "varied audit actions");
  const days = new Set(audit.map((a) => a.created_at.slice(0, 10)));
  assert.ok(days.size >= 15, `spread over past weeks (${days.size} days)`);

  // Analytics: two months of traffic, a purchase funnel that narrows step by step, cohorts that return.
  const range = new URLSearchParams({ from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date().toISOString() });
  const overview = await get(`/api/v1/analytics/overview?${range}`);
  assert.ok(overview.current.pageviews > 1000 && overview.current.visitors > 300, JSON.stringify(overview.current));
  const funnel = await call("/api/v1/analytics/funnels/query", {
    method: "POST",
    token,
    tenant,
    body: {
      steps: ["product_viewed", "cart_added", "checkout_started", "order_paid"].map((event) => ({ event })),
      window_seconds: 86_400,
      ...Object.fromEntries(range),
    },
  });
  const counts = funnel.body.steps.map((s) => s.count);
  assert.ok(counts[3] > 0 && counts.every((c, i) => i === 0 || c < counts[i - 1]), `funnel ${counts}`);

  // Shop orders in every state, with customers and sales figures behind them.
  const orders = (await get("/api/v1/commerce/orders?limit=100")).data;
  assert.equal(orders.length, 28); // 25 one-off orders + the first orders of 3 subscriptions (scripts/seed/commerce-subscriptions.mjs)
  assert.deepEqual([...new Set(orders.map((o) => o.status))].sort(), [
    "cancelled",
    "expired",
    "fulfilled",
    "paid",
    "partially_refunded",
    "payment_failed",
    "pending",
    "refunded",
  ]);
  const subs = (await get("/api/v1/commerce/subscriptions?limit=100")).data;
  assert.deepEqual(subs.map((s) => s.status).sort(), ["active", "active", "past_due"]);
  assert.ok(subs.some((s) => s.cancel_at_period_end) && subs.every((s) => s.end_user_id), JSON.stringify(subs));
  const shipped = await get(`/api/v1/commerce/orders/${orders.find((o) => o.status === "fulfilled").id}`);
  assert.ok(shipped.fulfilments[0]?.tracking_number && shipped.events.some((e) => e.type === "fulfilled"), JSON.stringify(shipped));
  assert.ok((await get("/api/v1/commerce/customers?limit=50")).data.length >= 8);
  const sales = await get(
    `/api/v1/commerce/sales?interval=week&currency=USD&from=${new Date(Date.now() - 61 * 86_400_000).toISOString().slice(0, 10)}`,
  );
  assert.ok(sales.totals.orders > 5 && sales.totals.revenue > 0 && sales.totals.refunds > 0, JSON.stringify(sales.totals));

  // The community: on, a month of topics, answers accepted, flags and held posts waiting, a spammer suspended.
  const community = await get("/api/v1/forum/activity?days=90");
  assert.ok(community.enabled && community.totals.topics >= 15 && community.totals.solved >= 3, JSON.stringify(community.totals));
  assert.deepEqual(community.attention, { pending_flags: 3, pending_posts: 2 });
  assert.ok(new Set(community.series.filter((d) => d.posts > 0).map((d) => d.day)).size >= 10, "posts spread over many days");
  assert.equal((await get("/api/v1/forum/moderation/queue?kind=flagged")).data.length, 2);
  const aiHeld = (await get("/api/v1/forum/moderation/queue?kind=ai")).data;
  assert.ok(aiHeld.length === 1 && aiHeld[0].ai_review.labels.includes("spam"), JSON.stringify(aiHeld));
  const suspended = (await get("/api/v1/forum/members?sanctioned=true")).data;
  assert.deepEqual(
    suspended.map((m) => m.username),
    ["deals4u"],
  );
  const hosted = await fetch(`${BASE}/community/demo`);
  assert.equal(hosted.status, 200);
  assert.match(await hosted.text(), /Welcome to the Demo Co community/);

  // Second run: wait until the offline-message email is delivered (the only queued work the seed
  // caused), then before / seed / after in one wrangler call, so nothing else runs in between.
  for (let i = 0; i < 40 && !messages.some((m) => m.template === "chat.offline_message" && m.status === "delivered"); i++) {
    await sleep(500);
    messages.splice(0, messages.length, ...(await get("/api/v1/messages?limit=100")).data);
  }
  const dir = mkdtempSync(join(tmpdir(), "weft-demo-seed-"));
  const file = join(dir, "again.sql");
  writeFileSync(file, `${COUNTS}\n${seedSql(Date.now(), { appUrl: BASE, chatOrigins: [ORIGIN] })}\n${COUNTS}`);
  const out = wrangler(["d1", "execute", "DB", "--local", "--json", "--file", file], { stateDir, quiet: true });
  rmSync(dir, { recursive: true, force: true });
  const results = JSON.parse(out.slice(out.indexOf("[")));
  const before = results[0].results[0];
  const afterRun = results.at(-1).results[0];
  assert.ok(before.outbox > 0 && before.kb_chunks > 0 && before.chat_messages > 0, JSON.stringify(before));
  assert.deepEqual(afterRun, before, "the second seed run changed nothing");
  assert.deepEqual(
    results.slice(-3, -1).map((r) => JSON.parse(r.results[0].missing)),
    [[], []],
    "nothing left for the live step",
  );
  assert.deepEqual(await seedDemoLive({ url: BASE, stateDir, live: { knowledge: [], chat: [] }, origin: ORIGIN }), {
    knowledge: 0,
    chat: 0,
  });

  phase("API checks + second seed");
  // The browser: the pages a newcomer opens first are not empty states.
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await page.getByRole("complementary", { name: "Demo data" }).waitFor();
  await page.getByRole("img", { name: /Bar chart/ }).waitFor(); // the activity chart (loads lazily) has weeks of events
  assert.deepEqual(await axe(page), []);
  await screenshot(page, "demo-home");
  // The inbox lists every state, and a conversation opens with its transcript (held by its
  // ChatSession, delivered over the socket; knowledge, billing and the rest are checked above).
  await page.goto("/chat");
  await page.getByRole("main").getByText("Waiting for a person").first().waitFor();
  await page.getByRole("main").getByText("Grace Miller").first().click();
  await page.getByRole("log", { name: "Transcript" }).getByText("I'm Sam from the studio", { exact: false }).waitFor();
  await screenshot(page, "demo-inbox");
  await ctx.close();
  console.log(`demo seed: seed + live ${tSeed} ms, whole test ${Date.now() - t0} ms`);
});
