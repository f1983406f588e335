// Sales AI in the dashboard: leads (created through the API) are scored against a saved ICP; the
// leads list shows score bands, the lead page the explanation lines and a logged note; a sequence is
// created and built in the UI; the drafts queue, pipeline, import wizard and the AI safety console
// render. axe on each page; screenshots e2e/artifacts/sales-*.png (light, dark, 390 px).
// The last test runs the flow: a CSV imported in the wizard, the leads enrolled in a two-step sequence,
// "Run due steps now" (the local stack's cron run) drafts the first emails, a person approves one, it is
// sent, and a reply from the dev inbox stops that lead's sequence; the salesboard (on Professional),
// cached from before the reply, shows the reply after "Sync now" (screenshots sales-board-*.png).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { subscribeViaSimulator } from "../lib/billing.mjs";
import {
  apiCall,
  ARTIFACTS,
  axe,
  dismissToasts,
  horizontalOverflow,
  launch,
  liveTheme,
  loginUI,
  newContext,
  onFail,
  PASSWORD,
  screenshot,
  uniqueEmail,
} from "../lib/browser.mjs";

let browser;
const owner = { email: uniqueEmail("sales-owner") };
const IP = "127.8.71.1";
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });
let hot; // the lead that matches the ICP

before(async () => {
  browser = await launch();
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Sam Seller", workspace_name: "Seller Co" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  Object.assign(owner, { token: r.body.access_token, tenant: r.body.tenant.id });
  const icp = await staff("PUT", "/api/v1/sales/icp", {
    industries: ["Software"],
    sizes: ["51-200"],
    titles: ["VP"],
    regions: ["US"],
    required: [],
    excluded: ["domain:gmail.com"],
  });
  assert.equal(icp.status, 200, JSON.stringify(icp.body));
  const leads = [
    {
      email: "vera@acme-soft.example",
      first_name: "Vera",
      last_name: "Vance",
      title: "VP Sales",
      company_name: "Acme Soft",
      industry: "Software",
      employees: 120,
      country: "US",
    },
    {
      email: "colin@bakery.example",
      first_name: "Colin",
      last_name: "Crumb",
      title: "Owner",
      company_name: "Crumb Bakery",
      industry: "Food",
      employees: 4,
      country: "GB",
    },
  ];
  for (const l of leads) {
    const c = await staff("POST", "/api/v1/sales/leads", l);
    assert.equal(c.status, 201, JSON.stringify(c.body));
    if (l.first_name === "Vera") hot = c.body;
  }
  // Score them now (the cron would within minutes).
  const rescore = await staff("POST", "/api/v1/sales/scoring/rescore", { all: true });
  assert.equal(rescore.status, 200, JSON.stringify(rescore.body));
  assert.equal(rescore.body.rescored, 2, JSON.stringify(rescore.body));
});
after(async () => browser?.close());

async function signedIn(opts = {}) {
  const ctx = await newContext(browser, opts);
  const page = await ctx.newPage();
  await loginUI(page, { email: owner.email });
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { ctx, page };
}
async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}
/**
 * Light screenshot + axe, then the dark screenshot on the same loaded page; axe in dark too when
 * `darkAxe` (the pages with the most colour: the leads list, the lead, the builder) — each axe run
 * costs seconds on a loaded machine.
 */
async function both(page, name, darkAxe = false) {
  await a11y(page, `${name} (light)`);
  await screenshot(page, `sales-${name}-light`);
  await liveTheme(page, "dark");
  if (darkAxe) await a11y(page, `${name} (dark)`);
  await screenshot(page, `sales-${name}-dark`);
  await liveTheme(page, "light");
}

test("leads are listed best score first with bands; the lead page explains the score and logs a note", async () => {
  const { ctx, page } = await signedIn();
  await onFail(page, "sales-leads", async () => {
    await page.goto("/sales/leads");
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    const vera = page.getByRole("row", { name: /Vera Vance/ });
    await vera.waitFor();
    const rows = page.getByRole("row");
    // Header row first, then Vera (scored higher) before Colin.
    assert.match((await rows.nth(1).textContent()) ?? "", /Vera Vance/);
    await both(page, "leads", true);
    await vera.getByRole("link", { name: "Vera Vance" }).click();
    await page.getByRole("heading", { name: "Vera Vance", level: 1 }).waitFor();
    await page.getByText("Industry", { exact: false }).first().waitFor();
    await page.getByRole("textbox", { name: "Note" }).fill("Asked for a demo next week.");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByText("Asked for a demo next week.").waitFor();
    await both(page, "lead", true);
  });
  await ctx.close();
});

test("a sequence is created and built in the UI; drafts, pipeline, import and the AI safety console render", async () => {
  const { ctx, page } = await signedIn();
  await onFail(page, "sales-sequences", async () => {
    await page.goto("/outreach/sequences");
    await page.getByRole("heading", { name: "Sequences", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New sequence" }).click();
    await page.getByRole("dialog", { name: "New sequence" }).getByLabel("Name").fill("VP outreach");
    await page.getByRole("dialog", { name: "New sequence" }).getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "VP outreach", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Add email step" }).click();
    await page.getByRole("button", { name: "Add variant B" }).click();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Sequence saved.").waitFor();
    await both(page, "sequence", true);
    for (const [path, heading, name] of [
      ["/outreach/drafts", "Drafts", "drafts"],
      ["/sales/pipeline", "Pipeline", "pipeline"],
      ["/sales/import", "Import leads", "import"],
      ["/sales/scoring", "ICP & scoring", "scoring"],
      ["/ai-safety", "AI safety", "ai-safety"],
      ["/ai-safety/guardrails", "Guardrails", "guardrails"],
      ["/ai-safety/calls", "Call log", "calls"],
    ]) {
      await page.goto(path);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await both(page, name);
    }
  });
  await ctx.close();
});

test("at phone width the leads list and the lead page fit", async () => {
  const { ctx, page } = await signedIn({ viewport: { width: 390, height: 844 } });
  await onFail(page, "sales-phone", async () => {
    await page.goto("/sales/leads");
    await page.getByRole("row", { name: /Vera Vance/ }).waitFor();
    await screenshot(page, "sales-leads-390");
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await page.goto(`/sales/leads/${hot.id}`);
    await page.getByRole("heading", { name: "Vera Vance", level: 1 }).waitFor();
    await screenshot(page, "sales-lead-390");
    await page.goto("/outreach/drafts");
    await page.getByRole("heading", { name: "Drafts", level: 1 }).waitFor();
    await screenshot(page, "sales-drafts-390");
  });
  await ctx.close();
});

test("a CSV import → enrolled in a two-step sequence → first drafts approved and sent → a reply stops the sequence", async () => {
  // A mailbox that may send at any hour (the window is the lead's time zone, else the mailbox's).
  const mbx = await staff("POST", "/api/v1/outreach/mailboxes", {
    from_email: `sdr-${Date.now().toString(36)}@seller.example`,
    from_name: "Sam Seller",
    window_start: "00:00",
    window_end: "23:59",
    send_days: [0, 1, 2, 3, 4, 5, 6],
    timezone: "UTC",
    daily_limit: 50,
  });
  assert.equal(mbx.status, 201, JSON.stringify(mbx.body));
  const seq = await staff("POST", "/api/v1/outreach/sequences", {
    name: "CSV follow-up",
    mailbox_id: mbx.body.id,
    steps: [
      {
        kind: "email",
        delay_minutes: 0,
        variants: [{ subject: "Hello {{first_name}}", body: "Hi {{first_name}}, a quick question about {{company}}." }],
      },
      {
        kind: "email",
        delay_minutes: 2 * 24 * 60,
        condition: "no_reply",
        variants: [{ subject: "Following up", body: "Hi {{first_name}}, following up." }],
      },
    ],
  });
  assert.equal(seq.status, 201, JSON.stringify(seq.body));
  assert.equal((await staff("POST", `/api/v1/outreach/sequences/${seq.body.id}/activate`)).status, 200);

  const csv = join(ARTIFACTS, "sales-import.csv");
  writeFileSync(
    csv,
    "Email,First name,Last name,Title,Company,Industry,Employees,Country\n" +
      "nina@nimbus-data.example,Nina,North,VP Engineering,Nimbus Data,Software,150,US\n" +
      "omar@orbit-labs.example,Omar,Ortiz,Head of Sales,Orbit Labs,Software,80,US\n" +
      "not-an-email,Bad,Row,CEO,Nowhere,Retail,5,FR\n",
  );
  const { ctx, page } = await signedIn();
  await onFail(page, "sales-flow", async () => {
    // Import in the wizard: upload → mapping (suggested) → preview (the bad row flagged) → import.
    await page.goto("/sales/import");
    await page.getByRole("heading", { name: "Import leads", level: 1 }).waitFor();
    await page.locator('input[type="file"]').setInputFiles(csv);
    await page.getByRole("button", { name: "Preview", exact: true }).click();
    await page.getByRole("table", { name: "Import preview" }).waitFor();
    await page.getByRole("button", { name: /^Import 3 rows/ }).click();
    await page.getByText("Finished", { exact: true }).waitFor({ timeout: 30_000 });
    await page
      .getByText(/Row \d+ · email/)
      .first()
      .waitFor();

    const leads = await staff("GET", "/api/v1/sales/leads?q=example&limit=50");
    const ids = leads.body.data.filter((l) => /nimbus-data|orbit-labs/.test(l.email ?? "")).map((l) => l.id);
    assert.equal(ids.length, 2, JSON.stringify(leads.body));
    const enrol = await staff("POST", `/api/v1/outreach/sequences/${seq.body.id}/enrol`, { lead_ids: ids });
    assert.equal(enrol.body.enrolled, 2, JSON.stringify(enrol.body));

    // The cron's work, now: two first-step drafts wait for a person.
    await page.goto("/outreach/drafts");
    await page.getByRole("heading", { name: "Drafts", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Run due steps now" }).click();
    await page.getByText("Due steps run: 2 drafted, 0 sent.").waitFor();
    const drafts = page.getByRole("list", { name: "Drafts" }).getByRole("button");
    await drafts.filter({ hasText: "Nina" }).click();
    await page.getByRole("button", { name: /^Approve/ }).click();
    await page
      .getByText(/Approved/)
      .first()
      .waitFor();
    await dismissToasts(page);
    await page.getByRole("button", { name: "Run due steps now" }).click();
    await page.getByText("Due steps run: 0 drafted, 1 sent.").waitFor();
    // The salesboard needs Professional; computed now (one email sent, no reply) it stays cached for minutes.
    await subscribeViaSimulator({ token: owner.token, tenant: owner.tenant, ip: IP }, { plan: "professional", seats: 5 });
    const before = await staff("GET", "/api/v1/salesboard");
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.deepEqual([before.body.kpis.emails_sent, before.body.kpis.replies], [1, 0]);

    // The sent email, answered as the lead from the dev inbox: reply detection stops the sequence.
    await page.getByRole("tab", { name: "Sent" }).click();
    await page.getByRole("list", { name: "Drafts" }).getByRole("button").filter({ hasText: "Nina" }).click();
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByText(/the lead's sequence stopped/).waitFor();

    // The salesboard was computed (and cached) before the reply: it shows the reply after "Sync now".
    await page.goto("/salesboard");
    await page.getByRole("heading", { name: "Salesboard", level: 1 }).waitFor();
    const replyTile = page.locator('[data-kpi="Reply rate"]');
    await replyTile.getByText("0 of 1 emails answered").waitFor();
    await page.getByText(/Computed .* \(cached\)/).waitFor();
    await page.getByRole("button", { name: "Sync now" }).click();
    await replyTile.getByText("1 of 1 emails answered").waitFor();
    assert.equal(await replyTile.locator("dd > span").first().textContent(), "100.0 %");
    await page.getByText("Computed just now").waitFor();
    await both(page, "board");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "sales-board-390");
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow <= 1, `the salesboard scrolls sideways by ${overflow}px`);
  });
  await ctx.close();
  const enrolments = await staff("GET", `/api/v1/outreach/sequences/${seq.body.id}/enrollments?limit=10`);
  const nina = enrolments.body.data.find((e) => e.stop_reason === "replied");
  assert.ok(nina, `one enrolment stopped by the reply: ${JSON.stringify(enrolments.body.data)}`);
  assert.equal(enrolments.body.data.filter((e) => e.status === "active").length, 1, "the other lead's sequence goes on");
  const timeline = await staff("GET", `/api/v1/sales/leads/${nina.lead_id}/activities?limit=20`);
  const kinds = timeline.body.data.map((a) => a.kind);
  assert.ok(kinds.includes("email_sent") && kinds.includes("email_replied"), JSON.stringify(kinds));
});
