import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, signUp, type TestUser, tokenFromMail, uniqueEmail, waitForMail } from "../../../../test/helpers";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { appendUtm } from "../../outreach";

// The store, campaign, analytics and workflow wizards through the engine's HTTP routes (issue 18):
// each ends in real objects read back through their modules' own routes.

const api = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, body, token: u.accessToken, tenant: u.tenantId, ip: u.ip });

/** Submits each step in order and finishes; returns the finished run. */
async function runWizard(u: TestUser, kind: string, answers: [string, Record<string, unknown>][]) {
  const call = api(u);
  for (const [step, body] of answers) {
    const r = await call("POST", `/api/v1/wizards/${kind}/steps/${step}`, body);
    expect(r.status, `${kind}/${step}: ${JSON.stringify(r.body)}`).toBe(200);
  }
  const done = await call("POST", `/api/v1/wizards/${kind}/complete`);
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body;
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: timed out; last ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("store set-up wizard", () => {
  const storeAnswers = (price: string, rate: number): [string, Record<string, unknown>][] => [
    ["currency", { currency: "eur" }],
    ["tax", { rates: [{ country: "de", name: "MwSt", rate_percent: rate, inclusive: true }] }],
    ["product", { title: "Blue Mug", price, description: "Stoneware, 350 ml" }],
    ["payment", { provider: "stripe", secret_key: "sk_test_wizard1234567890", publishable_key: "pk_test_wizard123" }],
    ["review", {}],
  ];

  it("sets currency, tax, first product and Stripe keys; a second run updates them instead of duplicating", async () => {
    const u = await signUp();
    const call = api(u);
    const bad = await call("POST", "/api/v1/wizards/store/steps/currency", { currency: "euro" });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("currency");

    const run = await runWizard(u, "store", storeAnswers("19.90", 19));
    const types = run.objects.map((o: { type: string }) => o.type);
    expect(types).toEqual(["commerce_settings", "commerce_tax_rate", "commerce_product", "commerce_payment_provider"]);
    const product = run.objects.find((o: { type: string }) => o.type === "commerce_product");
    expect(product.href).toBe(`/commerce/products/${product.id}`);

    const settings = await call("GET", "/api/v1/commerce/settings");
    expect(settings.body).toMatchObject({ default_currency: "EUR" });
    expect(settings.body.currencies).toContain("EUR");
    const rates = (await call("GET", "/api/v1/commerce/tax-rates")).body.data;
    expect(rates).toEqual([expect.objectContaining({ country: "DE", name: "MwSt", rate_ppm: 190_000, inclusive: true })]);
    const p = await call("GET", `/api/v1/commerce/products/${product.id}`);
    expect(p.body).toMatchObject({ title: "Blue Mug", description: "Stoneware, 350 ml" });
    expect(p.body.variants[0]).toMatchObject({ sku: "BLUE-MUG-1", prices: { EUR: 1990 } });
    const providers = (await call("GET", "/api/v1/commerce/payment-providers")).body;
    expect(providers.stripe).toMatchObject({ configured: true, enabled: true, publishable_key: "pk_test_wizard123" });

    // Finishing again answers the stored objects; running it again with new answers updates in place.
    const again = await call("POST", "/api/v1/wizards/store/complete");
    expect(again.body.objects).toEqual(run.objects);
    expect((await call("POST", "/api/v1/wizards/store/restart")).status).toBe(200);
    const rerun = await runWizard(u, "store", storeAnswers("24.50", 7));
    expect(rerun.objects.find((o: { type: string }) => o.type === "commerce_product").id).toBe(product.id);
    expect((await call("GET", "/api/v1/commerce/tax-rates")).body.data).toEqual([
      expect.objectContaining({ country: "DE", rate_ppm: 70_000 }),
    ]);
    const p2 = await call("GET", `/api/v1/commerce/products/${product.id}`);
    expect(p2.body.variants).toHaveLength(1);
    expect(p2.body.variants[0].prices).toEqual({ EUR: 2450 });
  });

  it("refuses a price that is not an amount and a Stripe key of the wrong shape, naming the fields", async () => {
    const u = await signUp();
    const call = api(u);
    await call("POST", "/api/v1/wizards/store/steps/currency", { currency: "USD" });
    await call("POST", "/api/v1/wizards/store/steps/tax", { rates: [] });
    const price = await call("POST", "/api/v1/wizards/store/steps/product", { title: "Mug", price: "ten" });
    expect(price.status).toBe(422);
    expect(JSON.stringify(price.body)).toContain("price");
    await call("POST", "/api/v1/wizards/store/steps/product", { skip: true });
    const key = await call("POST", "/api/v1/wizards/store/steps/payment", { provider: "stripe", secret_key: "pk_live_oops" });
    expect(key.status).toBe(422);
    expect(JSON.stringify(key.body)).toContain("secret_key");
  });
});

describe("marketing campaign wizard", () => {
  const lead = (call: ReturnType<typeof api>, email: string, tags: string[]) =>
    call("POST", "/api/v1/sales/leads", { email, first_name: email.split("@")[0], tags });

  it("saves the ICP, creates a draft sequence with UTM-tagged links and enrols the chosen leads once", async () => {
    const u = await signUp();
    const call = api(u);
    for (const [email, tags] of [
      ["ana@acme.test", ["spring"]],
      ["bo@acme.test", ["spring", "vip"]],
      ["cy@other.test", ["autumn"]],
    ] as const)
      expect((await lead(call, email, [...tags])).status).toBe(201);

    const steps: [string, Record<string, unknown>][] = [
      ["icp", { industries: ["Software"], sizes: [], titles: ["founder"], regions: ["DE"] }],
      ["leads", { mode: "filter", tags: ["spring"] }],
      [
        "sequence",
        {
          name: "Spring launch",
          steps: [
            {
              kind: "email",
              delay_days: 0,
              subject: "Hello {{first_name}}",
              body: "See https://example.com/pricing. Or https://example.com/?utm_source=kept",
            },
            { kind: "task", delay_days: 3, task_title: "Call if no reply" },
          ],
        },
      ],
      ["utm", { source: "newsletter", medium: "email", campaign: "spring-launch" }],
    ];
    const call2 = api(u);
    for (const [step, body] of steps) expect((await call2("POST", `/api/v1/wizards/campaign/steps/${step}`, body)).status).toBe(200);
    const review = await call("GET", "/api/v1/wizards/campaign/steps/review/status");
    expect(review.body.detail).toMatchObject({ leads: 2, steps: 2, emails: 1 });
    expect(review.body.detail.first_draft).toMatchObject({ to: "ana@acme.test", subject: "Hello ana" });
    expect(review.body.detail.first_draft.body).toContain("utm_campaign=spring-launch");
    expect(review.body.detail.first_email.body).toContain(
      "https://example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring-launch.",
    );
    expect((await call("POST", "/api/v1/wizards/campaign/steps/review", {})).status).toBe(200);
    const done = await call("POST", "/api/v1/wizards/campaign/complete");
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const seqObj = done.body.objects.find((o: { type: string }) => o.type === "sales_sequence");
    expect(done.body.objects.find((o: { type: string }) => o.type === "sales_enrollments").label).toBe("2 leads enrolled");

    const seq = (await call("GET", `/api/v1/outreach/sequences/${seqObj.id}`)).body;
    expect(seq).toMatchObject({ name: "Spring launch", status: "draft", auto_send: false, enrol_filter: { tags: ["spring"] } });
    expect(seq.counts.enrolled).toBe(2);
    expect(seq.steps.map((s: { kind: string; delay_minutes: number }) => [s.kind, s.delay_minutes])).toEqual([
      ["email", 0],
      ["task", 3 * 1440],
    ]);
    const body = seq.steps[0].variants[0].body;
    expect(body).toContain("utm_campaign=spring-launch");
    expect(body).toContain("https://example.com/?utm_source=kept"); // a link with its own UTM is left alone
    const icp = (await call("GET", "/api/v1/sales/icp")).body;
    expect(icp).toMatchObject({ industries: ["Software"], titles: ["founder"], regions: ["DE"] });

    // Run again with the same name: the draft is updated, nobody is enrolled twice.
    await call("POST", "/api/v1/wizards/campaign/restart");
    for (const [step, body] of [...steps, ["review", {}] as [string, Record<string, unknown>]])
      expect((await call("POST", `/api/v1/wizards/campaign/steps/${step}`, body)).status).toBe(200);
    const again = await call("POST", "/api/v1/wizards/campaign/complete");
    expect(again.body.objects.find((o: { type: string }) => o.type === "sales_sequence").id).toBe(seqObj.id);
    expect((await call("GET", `/api/v1/outreach/sequences/${seqObj.id}`)).body.counts.enrolled).toBe(2);
    expect((await call("GET", "/api/v1/outreach/sequences?status=draft")).body.data).toHaveLength(1);
  });

  it("imports a small CSV with the campaign tag, waits for it, and enrols the imported leads", async () => {
    const u = await signUp();
    const call = api(u);
    const csv = "Email,First name,Company\nli@csv.test,Li,Csvco\nmo@csv.test,Mo,Csvco\nnot-an-email,Bad,Csvco\n";
    const steps: [string, Record<string, unknown>][] = [
      ["icp", { industries: [], sizes: [], titles: [], regions: [] }],
      ["leads", { mode: "csv", file_name: "fair.csv", csv, tag: "Fair-2026" }],
    ];
    for (const [step, body] of [
      ...steps,
      [
        "sequence",
        {
          name: "Fair follow-up",
          steps: [{ kind: "email", delay_days: 1, subject: "Nice to meet you", body: "Slides: https://example.com/s" }],
        },
      ],
      ["utm", { source: "fair", medium: "email", campaign: "fair-2026" }],
    ] as [string, Record<string, unknown>][])
      expect((await call("POST", `/api/v1/wizards/campaign/steps/${step}`, body)).status).toBe(200);
    // The import runs while the rest is filled in; the review (and so the finish) waits for it.
    const review = await until(
      () => call("GET", "/api/v1/wizards/campaign/steps/review/status").then((r) => r.body),
      (s) => s.ready,
      "import",
    );
    expect(review.detail).toMatchObject({ leads: 2, import: { status: "done", processed_rows: 3 } });
    const leadsStatus = (await call("GET", "/api/v1/wizards/campaign/steps/leads/status")).body;
    expect(leadsStatus.detail.import).toMatchObject({ status: "done", created: 2, failed: 1 });
    expect((await call("POST", "/api/v1/wizards/campaign/steps/review", {})).status).toBe(200);
    const done = await call("POST", "/api/v1/wizards/campaign/complete");
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const seq = done.body.objects.find((o: { type: string }) => o.type === "sales_sequence");
    expect((await call("GET", `/api/v1/outreach/sequences/${seq.id}`)).body).toMatchObject({
      counts: { enrolled: 2 },
      enrol_filter: { tags: ["fair-2026"] },
    });
    expect(done.body.objects.map((o: { type: string }) => o.type)).toContain("sales_import");
  });

  it("appendUtm tags bare links, keeps trailing punctuation and links that already carry utm_source", () => {
    const utm = { source: "s", medium: "m", campaign: "c" };
    expect(appendUtm("Go to https://a.test/x?y=1, then http://b.test.", utm)).toBe(
      "Go to https://a.test/x?y=1&utm_source=s&utm_medium=m&utm_campaign=c, then http://b.test/?utm_source=s&utm_medium=m&utm_campaign=c.",
    );
    expect(appendUtm("https://a.test/?utm_source=z", utm)).toBe("https://a.test/?utm_source=z");
  });
});

describe("analytics set-up wizard", () => {
  it("creates the key, shows the snippet, turns ready on the first tracker event, then saves the options", async () => {
    const u = await signUp();
    const call = api(u);
    const badOrigin = await call("POST", "/api/v1/wizards/analytics/steps/origins", { origins: ["https://shop.test/path"] });
    expect(badOrigin.status).toBe(422);
    // Another workspace's publishable key cannot be picked: 404, and nothing of it changes.
    const other = await signUp();
    const theirs = await api(other)("POST", "/api/v1/publishable-keys", { name: "theirs", allowed_origins: ["https://their.test"] });
    const steal = await call("POST", "/api/v1/wizards/analytics/steps/origins", { origins: ["https://shop.test"], key_id: theirs.body.id });
    expect(steal.status).toBe(404);
    expect((await api(other)("GET", "/api/v1/publishable-keys")).body.data[0].allowed_origins).toEqual(["https://their.test"]);
    expect((await call("POST", "/api/v1/wizards/analytics/steps/origins", { origins: ["https://shop.test"] })).status).toBe(200);
    // Pressing Next twice keeps one key.
    const second = await call("POST", "/api/v1/wizards/analytics/steps/origins", { origins: ["https://shop.test"] });
    const key = second.body.run.state.tracker_key;
    const keys = (await call("GET", "/api/v1/publishable-keys")).body.data;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ id: key.id, key: key.key, allowed_origins: ["https://shop.test", "http://weft.test"] });

    const waiting = await call("GET", "/api/v1/wizards/analytics/steps/install/status");
    expect(waiting.body).toMatchObject({ ready: false, detail: { first_event: null } });
    expect(waiting.body.detail.snippet).toBe(`<script src="http://weft.test/a.js" data-key="${key.key}" defer></script>`);
    const early = await call("POST", "/api/v1/wizards/analytics/steps/install", {});
    expect(early.status).toBe(409);

    // The "Send a test event" button: one event posted with the key from the dashboard's origin.
    const sent = await exports.default.fetch(`http://weft.test/public/v1/events?key=${encodeURIComponent(key.key)}`, {
      method: "POST",
      headers: { "Content-Type": "text/plain", Origin: "http://weft.test", "CF-Connecting-IP": u.ip },
      body: JSON.stringify({
        events: [{ name: "wizard_test_event", distinct_id: "wizard-test", props: { $current_url: "http://weft.test/wizards/analytics" } }],
      }),
    });
    expect(sent.status).toBe(202);
    const ready = await until(
      () => call("GET", "/api/v1/wizards/analytics/steps/install/status").then((r) => r.body),
      (s) => s.ready,
      "first event",
    );
    expect(ready.detail.first_event).toMatchObject({ name: "wizard_test_event" });
    expect((await call("POST", "/api/v1/wizards/analytics/steps/install", {})).status).toBe(200);
    const opts = { autocapture_links: false, autocapture_forms: true, require_consent: true, respect_dnt: true };
    expect((await call("POST", "/api/v1/wizards/analytics/steps/options", opts)).status).toBe(200);
    const done = await call("POST", "/api/v1/wizards/analytics/complete");
    expect(done.body.objects[0]).toMatchObject({ type: "publishable_key", id: key.id });
    expect((await call("GET", "/api/v1/analytics/settings")).body).toMatchObject(opts);
  });
});

describe("workflow creation wizard", () => {
  it("is a paid feature: 402 on a plan without workflows", async () => {
    const u = await signUp();
    const r = await api(u)("POST", "/api/v1/wizards/workflow/steps/template", { template_id: "weekly_analytics_report" });
    expect(r.status).toBe(402);
  });

  it("creates the draft from the template with the chosen settings, publishes it once, links to the builder", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "professional", seats: 10 });
    const call = api(u);
    expect((await call("POST", "/api/v1/wizards/workflow/steps/template", { template_id: "weekly_analytics_report" })).status).toBe(200);
    const defaults = await call("GET", "/api/v1/wizards/workflow/steps/settings/status");
    expect(defaults.body.detail.settings).toMatchObject({
      recipients: { send: "role:owner", no_data: "role:owner" },
      schedule: { cron: "0 9 * * 1" },
    });
    const badCron = await call("POST", "/api/v1/wizards/workflow/steps/settings", {
      name: "Weekly report",
      schedule: { cron: "every monday", timezone: "UTC" },
    });
    expect(badCron.status).toBe(400);
    expect(JSON.stringify(badCron.body)).toContain("schedule.cron");
    const settings = {
      name: "Weekly report",
      recipients: { send: "role:admin" },
      schedule: { cron: "0 8 * * 2", timezone: "Europe/Berlin" },
    };
    expect((await call("POST", "/api/v1/wizards/workflow/steps/settings", settings)).status).toBe(200);
    const saved = await call("POST", "/api/v1/wizards/workflow/steps/settings", settings); // Next twice: one draft
    const id = saved.body.run.state.workflow_id;
    expect((await call("GET", "/api/v1/workflows")).body.data).toHaveLength(1);
    expect((await call("POST", "/api/v1/wizards/workflow/steps/publish", { publish: true })).status).toBe(200);
    const done = await call("POST", "/api/v1/wizards/workflow/complete");
    expect(done.body.objects).toEqual([{ type: "workflow", id, label: "Weekly report (published, version 1)", href: `/workflows/${id}` }]);

    const wf = (await call("GET", `/api/v1/workflows/${id}`)).body;
    expect(wf).toMatchObject({ status: "published", published_version: 1, template_id: "weekly_analytics_report" });
    expect(wf.definition.trigger).toEqual({ type: "schedule", cron: "0 8 * * 2", timezone: "Europe/Berlin" });
    const send = wf.definition.nodes.find((n: { id: string }) => n.id === "send");
    expect(send.config.to).toBe("role:admin");
    expect((await call("GET", `/api/v1/workflows/${id}/versions`)).body.data).toHaveLength(1);
  });
});

describe("what a member may not do through the wizards", () => {
  it("a member can run the campaign and workflow wizards but not change the ICP (403) nor publish (403); nothing is half-made", async () => {
    const owner = await signUp();
    await subscribeViaSimulator(owner, { plan: "professional", seats: 10 });
    const email = uniqueEmail("member");
    expect((await api(owner)("POST", "/api/v1/invitations", { email, role: "member" })).status).toBe(201);
    const joined = await signUp({ email, inviteToken: tokenFromMail(await waitForMail(email, "invited")) });
    const member = { ...joined, tenantId: owner.tenantId };
    const call = api(member);

    const icp = await call("GET", "/api/v1/wizards/campaign/steps/icp/status");
    expect(icp.body.detail.can_edit).toBe(false);
    for (const [step, body] of [
      ["icp", { industries: ["Gambling"], sizes: [], titles: [], regions: [] }],
      ["leads", { mode: "filter", tags: [] }],
      ["sequence", { name: "Member campaign", steps: [{ kind: "email", delay_days: 0, subject: "Hi", body: "Hello" }] }],
      ["utm", { source: "a", medium: "b", campaign: "c" }],
      ["review", {}],
    ] as [string, Record<string, unknown>][])
      expect((await call("POST", `/api/v1/wizards/campaign/steps/${step}`, body)).status).toBe(200);
    const refused = await call("POST", "/api/v1/wizards/campaign/complete");
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("sales:manage");
    expect((await call("GET", "/api/v1/outreach/sequences")).body.data).toHaveLength(0);
    // Keeping the ICP as it is lets the member finish.
    await call("POST", "/api/v1/wizards/campaign/restart");
    const current = icp.body.detail.current;
    for (const [step, body] of [
      ["icp", current],
      ["leads", { mode: "filter", tags: [] }],
      ["sequence", { name: "Member campaign", steps: [{ kind: "email", delay_days: 0, subject: "Hi", body: "Hello" }] }],
      ["utm", { source: "a", medium: "b", campaign: "c" }],
      ["review", {}],
    ] as [string, Record<string, unknown>][])
      expect((await call("POST", `/api/v1/wizards/campaign/steps/${step}`, body)).status).toBe(200);
    expect((await call("POST", "/api/v1/wizards/campaign/complete")).status).toBe(200);

    expect((await call("POST", "/api/v1/wizards/workflow/steps/template", { template_id: "integration_setup" })).status).toBe(200);
    expect((await call("POST", "/api/v1/wizards/workflow/steps/settings", { name: "Member flow" })).status).toBe(200);
    const publish = await call("POST", "/api/v1/wizards/workflow/steps/publish", { publish: true });
    expect(publish.status).toBe(403);
    expect((await call("POST", "/api/v1/wizards/workflow/steps/publish", { publish: false })).status).toBe(200);
    const done = await call("POST", "/api/v1/wizards/workflow/complete");
    expect(done.body.objects[0].label).toBe("Member flow (draft)");
  });
});
