import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { memberships, tenants } from "../../../../schema/tenancy";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { chatWorld, newConversation, newVisitor, openVisitor } from "../../chat/test/chat-helpers";
import { dohTransport } from "../../endusers/domain-verification";
import { waitForSource } from "../../knowledge/test/knowledge-helpers";

const as = (u: TestUser, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, body, ip: u.ip });
const step = (u: TestUser, kind: string, id: string, body: unknown) => as(u, "POST", `/api/v1/wizards/${kind}/steps/${id}`, body);

/**
 * A fake DNS-over-HTTPS resolver speaking the JSON API (RFC 8484 resolvers' application/dns-json:
 * `?name=&type=TXT`, `Status` 0 / 3 NXDOMAIN, TXT `data` quoted). workerd cannot listen on a port,
 * so the domain check's transport is pointed at it; `records` is the zone.
 */
function fakeDoh(records: Map<string, string[]>, seen: URL[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    seen.push(url);
    const accept = new Headers(init?.headers).get("Accept");
    if (accept !== "application/dns-json") return new Response("unsupported media type", { status: 415 });
    const name = url.searchParams.get("name") ?? "";
    if (url.searchParams.get("type") !== "TXT") return Response.json({ Status: 0, Answer: [] });
    const values = records.get(name.replace(/\.$/, ""));
    if (!values)
      return Response.json({ Status: 3, Question: [{ name, type: 16 }] }, { headers: { "content-type": "application/dns-json" } });
    return Response.json(
      { Status: 0, Question: [{ name, type: 16 }], Answer: values.map((v) => ({ name, type: 16, TTL: 300, data: `"${v}"` })) },
      { headers: { "content-type": "application/dns-json" } },
    );
  };
}
const realDoh = dohTransport.current;
afterEach(() => {
  dohTransport.current = realDoh;
});

describe("custom dashboard wizard and saved dashboards", () => {
  it("saves the picked charts in the arranged order and sizes, once; another workspace gets 404", async () => {
    const owner = await signUp();
    const funnel = await as(owner, "POST", "/api/v1/analytics/funnels", {
      name: "Checkout",
      definition: { steps: [{ event: "cart_added" }, { event: "order_paid" }], window_seconds: 3600, order: "sequential" },
    });
    expect(funnel.status).toBe(201);
    const key = `funnel:${funnel.body.id}`;

    expect((await step(owner, "dashboard", "name", { name: "Weekly marketing" })).status).toBe(200);
    const none = await step(owner, "dashboard", "charts", { picks: [] });
    expect(none.status).toBe(422);
    expect(none.body.errors[0].path).toBe("picks");
    expect(
      (await step(owner, "dashboard", "charts", { picks: ["pageviews", "top_pages", key], funnel_titles: { [key]: "Checkout" } })).status,
    ).toBe(200);
    const stray = await step(owner, "dashboard", "arrange", { layout: [{ key: "countries", size: "small" }] });
    expect(stray.status).toBe(400); // validationFailed: 400 with the failing field
    expect(stray.body.errors[0].path).toBe("layout.0.key");
    const arranged = await step(owner, "dashboard", "arrange", {
      layout: [
        { key, size: "large" },
        { key: "top_pages", size: "small", title: "Landing pages" },
        { key: "pageviews", size: "medium" },
      ],
    });
    expect(arranged.status).toBe(200);

    const done = await as(owner, "POST", "/api/v1/wizards/dashboard/complete");
    expect(done.status).toBe(200);
    const [obj] = done.body.objects;
    expect(obj).toMatchObject({ type: "analytics_dashboard", href: `/analytics/dashboards/${obj.id}` });
    const again = await as(owner, "POST", "/api/v1/wizards/dashboard/complete");
    expect(again.body.objects).toEqual(done.body.objects);

    const saved = await as(owner, "GET", `/api/v1/analytics/dashboards/${obj.id}`);
    expect(saved.status).toBe(200);
    expect(saved.body.name).toBe("Weekly marketing");
    expect(saved.body.charts.map((c: { title: string; size: string }) => [c.title, c.size])).toEqual([
      ["Checkout", "large"],
      ["Landing pages", "small"],
      ["Page views", "medium"],
    ]);
    expect(saved.body.charts[0].query).toEqual({ kind: "funnel", funnel_id: funnel.body.id });
    expect(saved.body.charts[2].query).toMatchObject({ kind: "trends", event: "$pageview", measure: "count" });
    const list = await as(owner, "GET", "/api/v1/analytics/dashboards?limit=100&q=Weekly");
    expect(list.body.data.filter((d: { id: string }) => d.id === obj.id)).toHaveLength(1);
    expect(list.body.data).toHaveLength(1); // a second Finish saved nothing more

    const other = await signUp();
    expect((await as(other, "GET", `/api/v1/analytics/dashboards/${obj.id}`)).status).toBe(404);
    // A chart naming another workspace's saved funnel is refused with the failing field.
    const foreign = await as(other, "POST", "/api/v1/analytics/dashboards", {
      name: "Borrowed",
      charts: [{ title: "Theirs", query: { kind: "funnel", funnel_id: funnel.body.id }, chart: "funnel" }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe("charts.0.query.funnel_id");
  });

  it("CRUD: validation with fields, rename and reorder, delete (audited)", async () => {
    const owner = await signUp();
    const bad = await as(owner, "POST", "/api/v1/analytics/dashboards", {
      name: "Bad",
      charts: [{ title: "No question", query: { kind: "top", dimension: "planet" }, chart: "table" }],
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(JSON.stringify(bad.body)).toContain("dimension");
    const noFunnel = await as(owner, "POST", "/api/v1/analytics/dashboards", {
      name: "Empty funnel",
      charts: [{ title: "F", query: { kind: "funnel" }, chart: "funnel" }],
    });
    expect(noFunnel.status).toBe(400);
    expect(noFunnel.body.errors[0].path).toBe("charts.0.query");
    const created = await as(owner, "POST", "/api/v1/analytics/dashboards", {
      name: "Ops",
      charts: [
        { title: "Visitors", query: { kind: "overview", metric: "visitors" }, chart: "number", size: "small" },
        { title: "Countries", query: { kind: "top", dimension: "country" }, chart: "bar" },
      ],
    });
    expect(created.status).toBe(201);
    const ids = created.body.charts.map((c: { id: string }) => c.id);
    expect(created.body.charts[1]).toMatchObject({ size: "medium", range_days: 30, query: { limit: 5 } });
    const patched = await as(owner, "PATCH", `/api/v1/analytics/dashboards/${created.body.id}`, {
      name: "Operations",
      charts: [created.body.charts[1], created.body.charts[0]],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.charts.map((c: { id: string }) => c.id)).toEqual([ids[1], ids[0]]);
    expect((await as(owner, "DELETE", `/api/v1/analytics/dashboards/${created.body.id}`)).status).toBe(204);
    expect((await as(owner, "GET", `/api/v1/analytics/dashboards/${created.body.id}`)).status).toBe(404);
    const audit = await as(owner, "GET", "/api/v1/audit-logs?action=analytics.dashboard_deleted&limit=5");
    expect(audit.body.data[0].target_id ?? audit.body.data[0].target?.id).toBe(created.body.id);
  });
});

describe("AI agent configuration wizard", () => {
  it("adds a document, saves tone and hand-off rules, answers a test question with them (local answerer, labelled)", async () => {
    const owner = await signUp();
    const today = new Date().getUTCDay();
    const k = await step(owner, "ai-agent", "knowledge", {
      collection: "support",
      document: {
        title: "Refund policy",
        text: "Refunds: you can return any product within 30 days of delivery for a full refund. Contact support with your order number.",
      },
    });
    expect(k.status).toBe(200);
    const sources = Object.values(k.body.run.state.created_sources) as { id: string; title: string }[];
    expect(sources).toHaveLength(1);
    // A retried submit adds nothing twice.
    const retry = await step(owner, "ai-agent", "knowledge", k.body.run.state.knowledge);
    expect(Object.values(retry.body.run.state.created_sources)).toEqual(sources);
    await waitForSource(owner, sources[0]?.id ?? "");

    const tone = await step(owner, "ai-agent", "tone", {
      persona: "You are Ada, friendly and brief.",
      greeting: "Hi, I'm Ada!",
      ai_enabled: true,
    });
    expect(tone.status).toBe(200);
    const badHours = await step(owner, "ai-agent", "handoff", { outside_hours: true });
    expect(badHours.status).toBe(422);
    expect(badHours.body.errors[0].path).toBe("hours");
    const handoff = await step(owner, "ai-agent", "handoff", {
      keywords: ["Refund", "lawyer"],
      low_confidence: true,
      min_confidence: 0.3,
      outside_hours: true,
      // Open only on a day that is not today (UTC): every message now is outside hours.
      hours: { timezone: "UTC", days: [(today + 3) % 7], start: "09:00", end: "17:00" },
    });
    expect(handoff.status).toBe(200);

    const test = await step(owner, "ai-agent", "test", { question: "What is your refund policy?" });
    expect(test.status).toBe(200);
    const answer = test.body.run.state.test_answer;
    expect(answer.local).toBe(true);
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toContain("30 days");
    expect(answer.citations[0].title).toBe("Refund policy");
    expect(answer.handoff.offered).toBe(true);
    expect(answer.handoff.reasons).toEqual(expect.arrayContaining([{ rule: "keyword", keyword: "refund" }, { rule: "outside_hours" }]));
    const unknown = await step(owner, "ai-agent", "test", { question: "Do you sell zeppelin spare parts?" });
    expect(unknown.body.run.state.test_answer.grounded).toBe(false);
    expect(unknown.body.run.state.test_answer.handoff.reasons).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: "low_confidence" })]),
    );

    const done = await as(owner, "POST", "/api/v1/wizards/ai-agent/complete");
    expect(done.status).toBe(200);
    expect(done.body.objects.map((o: { type: string }) => o.type)).toEqual(["knowledge_source", "ai_settings", "chat_handoff_rules"]);
    expect((await as(owner, "POST", "/api/v1/wizards/ai-agent/complete")).body.objects).toEqual(done.body.objects);
    // The settings live in their modules, read back through their own routes.
    expect((await as(owner, "GET", "/api/v1/ai/settings")).body.persona).toBe("You are Ada, friendly and brief.");
    expect((await as(owner, "GET", "/api/v1/chat/settings")).body.greeting).toBe("Hi, I'm Ada!");
    const src = await as(owner, "GET", `/api/v1/knowledge/sources/${sources[0]?.id ?? ""}`);
    expect(src.body).toMatchObject({ title: "Refund policy", collection: "support", status: "ready" });
  });
});

describe("hand-off rules in a live chat", () => {
  it("the widget's AI offers a person after an answer when a saved rule fires, and not before rules exist", async () => {
    const w = await chatWorld();
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c = await openVisitor(w, conv, v);
    const offered = () => c.events.filter((e) => e.type === "message" && e.message.system?.code === "handoff_offered");
    // No rules saved: an answer is just an answer.
    c.send({ type: "message", client_id: "q1", body: "I want a refund" });
    const first = await c.waitFor((e) => e.type === "ai_start");
    await c.waitFor((e) => e.type === "message" && e.message.id === first.reply_id);
    expect(offered()).toHaveLength(0);

    const owner = { ...w.owner };
    expect((await step(owner, "ai-agent", "knowledge", {})).status).toBe(200);
    expect((await step(owner, "ai-agent", "tone", { persona: "", greeting: "Hello", ai_enabled: true })).status).toBe(200);
    expect((await step(owner, "ai-agent", "handoff", { keywords: ["refund"], low_confidence: false })).status).toBe(200);
    c.send({ type: "message", client_id: "q2", body: "Refund please, the mug broke" });
    const line = await c.waitFor((e) => e.type === "message" && e.message.system?.code === "handoff_offered");
    expect(line.message.body).toContain("Talk to a person");
    // A message no rule matches gets no offer.
    c.send({ type: "message", client_id: "q3", body: "What colours do you have?" });
    const aiAnswers = () => c.events.filter((e) => e.type === "message" && e.message.role === "ai").length;
    await c.waitFor(() => aiAnswers() === 3);
    // Another keyword message: its offer is the second; nothing came between q3's answer and q4.
    c.send({ type: "message", client_id: "q4", body: "refund!" });
    await c.waitFor(() => offered().length === 2);
    const q4 = (await c.waitFor((e) => e.type === "ack" && e.client_id === "q4")).seq as number;
    const q3Answer = c.events.filter((e) => e.type === "message" && e.message.role === "ai")[2].message.seq as number;
    expect(
      offered()
        .map((e) => e.message.seq as number)
        .filter((seq) => seq > q3Answer && seq < q4),
    ).toEqual([]);
    c.close();
  });
});

describe("multi-tenant configuration wizard", () => {
  it("sub-workspaces need Enterprise (402); on it the owner owns each child with the parent link, created once", async () => {
    const free = await signUp();
    const refused = await step(free, "workspaces", "sub_workspaces", { children: [{ name: "Client One" }] });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ feature: "sub_workspaces", required_plan: "enterprise" });
    // Skipping (no children) is fine on any plan.
    expect((await step(free, "workspaces", "sub_workspaces", { children: [] })).status).toBe(200);

    const owner = await signUp();
    await subscribeViaSimulator(owner, { plan: "enterprise", seats: 25 });
    const made = await step(owner, "workspaces", "sub_workspaces", { children: [{ name: "Client One" }, { name: "Client Two" }] });
    expect(made.status).toBe(200);
    const children = made.body.run.state.children_created as { id: string; name: string }[];
    expect(children.map((c) => c.name)).toEqual(["Client One", "Client Two"]);
    const again = await step(owner, "workspaces", "sub_workspaces", { children: [{ name: "Client One" }, { name: "Client Two" }] });
    expect(again.body.run.state.children_created).toEqual(children);

    const db = getDb(env.DB);
    const rows = await db.select().from(tenants).where(eq(tenants.parentTenantId, owner.tenantId)).all();
    expect(rows.map((r) => r.name).sort()).toEqual(["Client One", "Client Two"]);
    for (const c of children) {
      const m = await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.tenantId, c.id), eq(memberships.userId, owner.userId)))
        .get();
      expect(m?.role).toBe("owner");
      const t = await callJson("/api/v1/tenant", { token: owner.accessToken, tenant: c.id, ip: owner.ip });
      expect(t.body.id).toBe(c.id);
    }
    const status = await as(owner, "GET", "/api/v1/wizards/workspaces/steps/sub_workspaces/status");
    expect(status.body.detail).toMatchObject({ plan_allows: true, children: [{ name: "Client One" }, { name: "Client Two" }] });
    // A child cannot have children of its own.
    const child = { ...owner, tenantId: children[0]?.id ?? "" };
    await subscribeViaSimulator(child, { plan: "enterprise", seats: 25 });
    const nested = await step(child, "workspaces", "sub_workspaces", { children: [{ name: "Grandchild" }] });
    expect(nested.status).toBe(409);
    expect(nested.body.type).toContain("nested-sub-workspace");

    // Custom domain: a TXT record to create; the check through a fake DoH resolver.
    const domain = await step(owner, "workspaces", "domain", { domain: "https://Help.Example-Shop.com/" });
    expect(domain.status).toBe(200);
    const v = domain.body.run.state.domain_verification;
    expect(v).toMatchObject({
      domain: "help.example-shop.com",
      status: "pending",
      record_type: "TXT",
      record_name: "_weft-verify.help.example-shop.com",
    });
    expect(v.record_value).toMatch(/^weft-verify=/);
    const badDomain = await step(owner, "workspaces", "domain", { domain: "not a domain" });
    expect(badDomain.status).toBe(400);
    expect(badDomain.body.errors[0].path).toBe("domain");

    const check = () => as(owner, "GET", "/api/v1/wizards/workspaces/steps/verify/status");
    // Offline: the resolver cannot be reached — said so, and the domain stays pending.
    dohTransport.current = async () => {
      throw new TypeError("fetch failed");
    };
    let r = await check();
    expect(r.body.detail.verification).toMatchObject({ status: "pending" });
    expect(r.body.detail.verification.last_result).toContain("cannot reach DNS");

    const zone = new Map<string, string[]>();
    const seen: URL[] = [];
    dohTransport.current = fakeDoh(zone, seen);
    r = await check();
    expect(r.body.detail.verification).toMatchObject({
      status: "pending",
      last_result: "no TXT record yet at _weft-verify.help.example-shop.com",
    });
    zone.set("_weft-verify.help.example-shop.com", ["weft-verify=someone-elses-token"]);
    r = await check();
    expect(r.body.detail.verification.status).toBe("pending");
    expect(r.body.detail.verification.last_result).toContain("found 1 other TXT value");
    zone.set("_weft-verify.help.example-shop.com", ["google-site-verification=abc", v.record_value]);
    r = await check();
    expect(r.body.detail.verification).toMatchObject({ status: "verified", last_result: "TXT record found" });
    expect(seen.at(-1)?.searchParams.get("name")).toBe("_weft-verify.help.example-shop.com");
    expect(seen.at(-1)?.searchParams.get("type")).toBe("TXT");
    expect((await as(owner, "POST", "/api/v1/wizards/workspaces/steps/verify", {})).status).toBe(200);

    const brand = await step(owner, "workspaces", "branding", { brand_name: "Example Shop", primary_color: "#0f766e", accent_color: null });
    expect(brand.status).toBe(200);
    const portal = await as(owner, "GET", "/api/v1/end-users/portal-settings");
    expect(portal.body).toMatchObject({ brand_name: "Example Shop", primary_color: "#0f766e", custom_domain: "help.example-shop.com" });

    const done = await as(owner, "POST", "/api/v1/wizards/workspaces/complete");
    expect(done.status).toBe(200);
    expect(done.body.objects.map((o: { type: string }) => o.type)).toEqual([
      "sub_workspace",
      "sub_workspace",
      "custom_domain",
      "portal_brand",
    ]);
    expect(done.body.objects[2].label).toContain("verified");
    expect((await as(owner, "POST", "/api/v1/wizards/workspaces/complete")).body.objects).toEqual(done.body.objects);
    expect(await db.select().from(tenants).where(eq(tenants.parentTenantId, owner.tenantId)).all()).toHaveLength(2);
  });
});
