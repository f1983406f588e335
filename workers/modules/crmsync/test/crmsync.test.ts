import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { crmConnections } from "../../../../schema/crm-sync";
import { call, signUp } from "../../../../test/helpers";
import { consumeQuotaOrThrow } from "../../billing";
import { getDb } from "../../../platform/db";
import { runCrmSyncCron } from "../cron";
import { signState, verifyState } from "../oauth";
import { FakeHubspot } from "./fakes/hubspot";
import { installCrmFakes } from "./fakes/common";
import { FakePipedrive } from "./fakes/pipedrive";
import { FakeSalesforce } from "./fakes/salesforce";
import { as, enterprise, syncNow } from "./crmsync-helpers";

const db = () => getDb(env.DB);
let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});
function install(...fakes: (FakeHubspot | FakeSalesforce | FakePipedrive)[]) {
  const t = installCrmFakes(fakes);
  restore = t.restore;
  return t;
}
interface LeadView {
  id: string;
  email: string | null;
  [k: string]: unknown;
}
const leadsOf = async (u: Parameters<typeof as>[0]) => (await as(u)("GET", "/api/v1/sales/leads?limit=100")).body.data as LeadView[];

describe("crm sync: connections", () => {
  it("402 without the custom_integrations feature; reading the hub works on any plan", async () => {
    const u = await signUp();
    const api = as(u);
    const list = await api("GET", "/api/v1/sales/integrations");
    expect(list.status).toBe(200);
    expect(list.body.providers.map((p: { id: string }) => p.id)).toEqual(["hubspot", "salesforce", "pipedrive"]);
    expect(list.body.connections).toEqual([]);
    const r = await api("POST", "/api/v1/sales/integrations", { provider: "hubspot", token: "pat-na1-whatever-123" });
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ feature: "custom_integrations", required_plan: "enterprise" });
    expect((await api("GET", "/api/v1/sales/integrations/hubspot/authorize")).status).toBe(402);
  });

  it("connects with a token checked against the CRM (a bad one is 422), never returns it, audits; bad input names the fields", async () => {
    const u = await enterprise();
    const api = as(u);
    const hs = new FakeHubspot();
    install(hs);
    const bad = await api("POST", "/api/v1/sales/integrations", { provider: "hubspot", token: "pat-na1-wrong-token" });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toMatch(/HubSpot refused the credentials \(HTTP 401/);
    const sf = await api("POST", "/api/v1/sales/integrations", { provider: "salesforce", token: "00Dabcdefgh" });
    expect(sf.status).toBe(400);
    expect(sf.body.errors).toEqual([{ path: "instance_url", message: "is required for Salesforce" }]);
    const invalid = await api("POST", "/api/v1/sales/integrations", { provider: "zoho", token: "x" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["provider", "token"]);

    const ok = await api("POST", "/api/v1/sales/integrations", { provider: "hubspot", token: hs.token });
    expect(ok.status).toBe(201);
    expect(JSON.stringify(ok.body)).not.toContain(hs.token);
    const row = await db().select().from(crmConnections).where(eq(crmConnections.id, ok.body.id)).get();
    expect(row?.credentials).not.toContain(hs.token); // sealed
    expect(ok.body).toMatchObject({
      provider: "hubspot",
      account_label: "Portal 4242",
      credentials_hint: `…${hs.token.slice(-4)}`,
      direction: "two_way",
      conflict_rule: "last_modified",
      interval_minutes: 60,
    });
    // Default stage map: labels that name a local stage ("Qualified") and won/lost by their words.
    const stages = Object.fromEntries(ok.body.local_stages.map((s: { id: string; name: string }) => [s.name, s.id]));
    expect(ok.body.stage_map).toEqual({ qualifiedtobuy: stages.Qualified, closedwon: stages.Won, closedlost: stages.Lost });
    expect((await api("POST", "/api/v1/sales/integrations", { provider: "hubspot", token: hs.token })).status).toBe(409);

    const patchBad = await api("PATCH", `/api/v1/sales/integrations/${ok.body.id}`, {
      lead_mapping: [{ remote: "email", local: "shoe_size" }],
      stage_map: { appointmentscheduled: "stg_nope" },
    });
    expect(patchBad.status).toBe(400);
    expect(patchBad.body.errors.map((e: { path: string }) => e.path)).toEqual(["lead_mapping.0.local", "stage_map.appointmentscheduled"]);
    const audit = await db()
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId), eq(auditLogs.targetId, ok.body.id)));
    expect(audit.map((a) => a.action)).toContain("crm.connection.created");

    const del = await api("DELETE", `/api/v1/sales/integrations/${ok.body.id}`);
    expect(del.status).toBe(204);
    expect((await api("GET", `/api/v1/sales/integrations/${ok.body.id}`)).status).toBe(404);
  });

  it("OAuth: no client configured → 409 with the way out; the state is signed, tenant-bound and expires; a forged one is refused", async () => {
    const u = await enterprise();
    const r = await as(u)("GET", "/api/v1/sales/integrations/pipedrive/authorize");
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/PIPEDRIVE_CLIENT_ID.*connect with a token/);
    const state = await signState(env, { t: u.tenantId, u: u.userId, p: "hubspot" });
    expect(await verifyState(env, state)).toMatchObject({ t: u.tenantId, p: "hubspot" });
    const [body, sig] = state.split(".");
    const forged = `${btoa(JSON.stringify({ t: "ten_other", u: null, p: "hubspot", exp: Date.now() + 60_000 })).replace(/=+$/, "")}.${sig}`;
    await expect(verifyState(env, forged)).rejects.toMatchObject({ status: 400 });
    await expect(verifyState(env, await signState(env, { t: u.tenantId, u: null, p: "hubspot" }, -1))).rejects.toMatchObject({
      status: 400,
    });
    expect(body).toBeTruthy();
    const cb = await call(`/api/v1/sales/integrations/oauth/callback?state=${encodeURIComponent(forged)}&code=abc`);
    expect(cb.status).toBe(400);
  });
});

describe("crm sync: HubSpot two-way", () => {
  it("pulls across pages (429 retried), pushes local edits, re-runs with 0 writes, resolves conflicts by the rule, reports unknown stages", async () => {
    const u = await enterprise();
    const api = as(u);
    const hs = new FakeHubspot();
    const t = install(hs);
    for (let i = 1; i <= 5; i++)
      hs.put("lead", { email: `Person${i}@Hub-Co.io`, firstname: `P${i}`, lastname: "Hub", jobtitle: "Engineer", company: "Hub Co" });
    hs.put("deal", { dealname: "Big deal", amount: "1250.50", dealstage: "qualifiedtobuy", closedate: "2027-03-01T00:00:00.000Z" });
    hs.put("deal", { dealname: "Odd deal", amount: "10", dealstage: "somecustomstage" });
    const conn = (await api("POST", "/api/v1/sales/integrations", { provider: "hubspot", token: hs.token })).body;
    hs.rateLimitNext = true;

    const run1 = await syncNow(u, conn.id);
    expect(run1.status).toBe("succeeded");
    expect(run1.counts).toMatchObject({ pulled: 7, created: 7, updated: 0, pushed: 0, errors: 0 });
    expect(hs.rateLimited).toBe(1);
    expect(t.waits).toEqual([2000]); // Retry-After: 2
    // The 429 hit the run's first call (the pipelines); 5 contacts at 2 per page: three list calls with `after`.
    expect(hs.requests.find((r) => r.url.pathname === "/crm/v3/pipelines/deals" && hs.requests.indexOf(r) > 1)).toBeTruthy();
    const listCalls = hs.requests.filter((r) => r.url.pathname === "/crm/v3/objects/contacts" && r.method === "GET");
    expect(listCalls.map((r) => r.url.searchParams.get("after"))).toEqual([null, "2", "4"]);
    expect(run1.records).toEqual([
      expect.objectContaining({ kind: "stage", remote_id: expect.any(String), message: expect.stringMatching(/somecustomstage.*Lead in/) }),
    ]);
    const leads = await leadsOf(u);
    const p1 = leads.find((l) => l.email === "person1@hub-co.io") as LeadView;
    expect(p1).toMatchObject({ first_name: "P1", last_name: "Hub", title: "Engineer", company_name: "Hub Co", source: "crm:hubspot" });
    const deals = (await api("GET", "/api/v1/sales/deals?limit=100")).body.data;
    const big = deals.find((d: { name: string }) => d.name === "Big deal");
    expect(big).toMatchObject({
      amount_minor: 125050,
      stage_id: conn.stage_map.qualifiedtobuy,
      expected_close_at: "2027-03-01T00:00:00.000Z",
    });

    // Nothing changed anywhere: the second run writes nothing on either side.
    const writes = hs.writes;
    const run2 = await syncNow(u, conn.id);
    expect(run2.counts).toMatchObject({ created: 0, updated: 0, pushed: 0, conflicts: 0, errors: 0 });
    expect(hs.writes).toBe(writes);

    // A local edit and a new local lead are pushed (batch update + batch create).
    expect((await api("PATCH", `/api/v1/sales/leads/${p1.id}`, { title: "CTO" })).status).toBe(200);
    const fresh = await api("POST", "/api/v1/sales/leads", { email: "new@weft-local.io", first_name: "Nia", last_name: "Local" });
    const run3 = await syncNow(u, conn.id);
    expect(run3.counts).toMatchObject({ pushed: 2, created: 0, updated: 0, errors: 0 });
    const remoteP1 = [...hs.store.lead.values()].find((s) => s.props.email === "person1@hub-co.io");
    expect(remoteP1?.props.jobtitle).toBe("CTO");
    const remoteNew = [...hs.store.lead.values()].find((s) => s.props.email === "new@weft-local.io");
    expect(remoteNew?.props).toMatchObject({ firstname: "Nia", lastname: "Local" });
    expect(hs.requests.some((r) => r.url.pathname === "/crm/v3/objects/contacts/batch/create")).toBe(true);
    // …and what was pushed does not come back as a change.
    const run4 = await syncNow(u, conn.id);
    expect(run4.counts).toMatchObject({ created: 0, updated: 0, pushed: 0, conflicts: 0 });

    // A change in HubSpot only is pulled.
    hs.put("lead", { jobtitle: "Head of Platform" }, remoteNew?.id);
    const run5 = await syncNow(u, conn.id);
    expect(run5.counts).toMatchObject({ updated: 1, pushed: 0, conflicts: 0 });
    expect((await api("GET", `/api/v1/sales/leads/${fresh.body.id}`)).body.title).toBe("Head of Platform");

    // Both sides changed, last modified wins: HubSpot first, then Weft → Weft's value is kept and pushed.
    const crmEdit = hs.put("lead", { jobtitle: "CRM title" }, remoteP1?.id);
    while (Date.now() <= crmEdit.modifiedAt) await Promise.resolve(); // Weft's edit must be the later one (ms clock)
    await api("PATCH", `/api/v1/sales/leads/${p1.id}`, { title: "Weft title" });
    const run6 = await syncNow(u, conn.id);
    expect(run6.counts).toMatchObject({ conflicts: 1, pushed: 1, updated: 0 });
    expect(run6.records[0]).toMatchObject({ kind: "conflict", local_id: p1.id, message: expect.stringMatching(/Weft's version kept/) });
    expect(hs.store.lead.get(remoteP1?.id as string)?.props.jobtitle).toBe("Weft title");

    // Rule "CRM wins": even though Weft's edit is newer, HubSpot's value comes in and nothing is pushed.
    expect((await api("PATCH", `/api/v1/sales/integrations/${conn.id}`, { conflict_rule: "crm_wins" })).status).toBe(200);
    hs.put("lead", { jobtitle: "From HubSpot" }, remoteP1?.id);
    await api("PATCH", `/api/v1/sales/leads/${p1.id}`, { title: "From Weft" });
    const run7 = await syncNow(u, conn.id);
    expect(run7.counts).toMatchObject({ conflicts: 1, updated: 1, pushed: 0 });
    expect((await api("GET", `/api/v1/sales/leads/${p1.id}`)).body.title).toBe("From HubSpot");
    expect(hs.store.lead.get(remoteP1?.id as string)?.props.jobtitle).toBe("From HubSpot");

    const log = await api("GET", `/api/v1/sales/integrations/${conn.id}/runs?limit=3`);
    expect(log.body.data).toHaveLength(3);
    expect(log.body.data[0].id).toBe(run7.id);
    expect(log.body.next_cursor).toBeTruthy();
  });

  it("the leads limit holds on pull: contacts past it are per-record errors, nothing is counted twice on a re-run", async () => {
    const u = await enterprise();
    const hs = new FakeHubspot();
    install(hs);
    for (let i = 1; i <= 4; i++) hs.put("lead", { email: `q${i}@quota-co.io`, firstname: `Q${i}` });
    await consumeQuotaOrThrow(env, u.tenantId, "leads", 100_000 - 2); // Enterprise: 100,000 leads
    const conn = (await as(u)("POST", "/api/v1/sales/integrations", { provider: "hubspot", token: hs.token })).body;
    const run = await syncNow(u, conn.id);
    expect(run.status).toBe("partial");
    expect(run.counts).toMatchObject({ created: 2, errors: 2 });
    expect(run.records.filter((r: { kind: string }) => r.kind === "error")[0].message).toMatch(/limit/i);
    expect((await leadsOf(u)).length).toBe(2);
    const again = await syncNow(u, conn.id);
    expect(again.counts).toMatchObject({ created: 0, errors: 2 });
    expect((await leadsOf(u)).length).toBe(2);
  });
});

describe("crm sync: Salesforce and Pipedrive", () => {
  it("Salesforce: SOQL pages through nextRecordsUrl, creates contacts and opportunities; a push Salesforce refuses is a per-record error", async () => {
    const u = await enterprise();
    const api = as(u);
    const sf = new FakeSalesforce();
    install(sf);
    for (let i = 1; i <= 3; i++)
      sf.put("lead", { Email: `sf${i}@force-co.io`, FirstName: `S${i}`, LastName: "Force", Title: "VP" }, `003FAKE${i}`);
    sf.put("deal", { Name: "Renewal", Amount: 5000, StageName: "Closed Won", CloseDate: "2027-01-15" }, "006FAKE1");
    const conn = await api("POST", "/api/v1/sales/integrations", {
      provider: "salesforce",
      token: sf.token,
      instance_url: FakeSalesforce.INSTANCE,
    });
    expect(conn.status).toBe(201);
    expect(conn.body.account_label).toBe("Fake Org Inc.");
    await api("POST", "/api/v1/sales/leads", { email: "nolast@weft-local.io", first_name: "Only" }); // Salesforce needs LastName
    const run = await syncNow(u, conn.body.id);
    expect(run.counts).toMatchObject({ pulled: 4, created: 4, pushed: 0, errors: 1 });
    expect(run.status).toBe("partial");
    expect(run.records).toEqual([
      expect.objectContaining({
        kind: "error",
        entity: "lead",
        message: expect.stringMatching(/Required fields are missing: \[LastName\]/),
      }),
    ]);
    expect(sf.requests.filter((r) => /\/query\/01g/.test(r.url.pathname)).length).toBeGreaterThanOrEqual(1); // nextRecordsUrl followed
    const won = (await api("GET", "/api/v1/sales/deals?limit=100")).body.data.find((d: { name: string }) => d.name === "Renewal");
    expect(won).toMatchObject({ outcome: "won", amount_minor: 500000 });
    // Second run: the incremental SOQL (LastModifiedDate >=) finds nothing new to write.
    const run2 = await syncNow(u, conn.body.id);
    expect(run2.counts).toMatchObject({ created: 0, updated: 0, pushed: 0 });
    expect(sf.requests.some((r) => /LastModifiedDate >= \d{4}-/.test(r.url.searchParams.get("q") ?? ""))).toBe(true);
  });

  it("Pipedrive: pulls persons and deals, pushes with arrays for email; a revoked token marks the connection `error` with a clear message", async () => {
    const u = await enterprise();
    const api = as(u);
    const pd = new FakePipedrive();
    install(pd);
    pd.put("lead", { first_name: "Pia", last_name: "Drive", email: [{ value: "pia@drive-co.io", primary: true }], job_title: "COO" });
    pd.put("lead", { first_name: "Pat", last_name: "Drive", email: [{ value: "pat@drive-co.io", primary: true }] });
    pd.put("lead", { first_name: "Per", last_name: "Drive", email: [] });
    pd.put("deal", { title: "Pilot", value: 900, currency: "EUR", stage_id: 2 });
    const conn = (await api("POST", "/api/v1/sales/integrations", { provider: "pipedrive", token: pd.token, direction: "two_way" })).body;
    const run = await syncNow(u, conn.id);
    expect(run.counts).toMatchObject({ pulled: 4, created: 4, errors: 0 });
    const pia = (await leadsOf(u)).find((l) => l.email === "pia@drive-co.io") as LeadView;
    expect(pia).toMatchObject({ first_name: "Pia", title: "COO" });
    await api("PATCH", `/api/v1/sales/leads/${pia.id}`, { email: "pia@new-drive.io" });
    const run2 = await syncNow(u, conn.id);
    expect(run2.counts).toMatchObject({ pushed: 1, created: 0, updated: 0 });
    const put = pd.requests.find((r) => r.method === "PUT");
    expect(JSON.parse(put?.body ?? "{}").email).toEqual([{ value: "pia@new-drive.io", primary: true, label: "work" }]);

    pd.token = "rotated-token-0000000000"; // the workspace's token was revoked in Pipedrive
    const run3 = await syncNow(u, conn.id);
    expect(run3.status).toBe("failed");
    expect(run3.error).toMatch(/Pipedrive refused the credentials \(HTTP 401: unauthorized access\)/);
    const after = (await api("GET", `/api/v1/sales/integrations/${conn.id}`)).body;
    expect(after).toMatchObject({ status: "error", last_error: expect.stringMatching(/Reconnect/) });
  });

  it("the cron runs connections whose interval is due, once per due time", async () => {
    const u = await enterprise();
    const pd = new FakePipedrive();
    install(pd);
    pd.put("lead", { first_name: "Cron", last_name: "Job", email: [{ value: "cron@drive-co.io", primary: true }] });
    const conn = (await as(u)("POST", "/api/v1/sales/integrations", { provider: "pipedrive", token: pd.token, interval_minutes: 60 })).body;
    const now = Date.now();
    await db()
      .update(crmConnections)
      .set({ nextSyncAt: now - 1 })
      .where(eq(crmConnections.id, conn.id));
    const r = await runCrmSyncCron(env, now);
    expect(r.ran).toBeGreaterThanOrEqual(1);
    const runs = (await as(u)("GET", `/api/v1/sales/integrations/${conn.id}/runs`)).body.data;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", status: "succeeded", counts: expect.objectContaining({ created: 1 }) });
    const next = await db().select().from(crmConnections).where(eq(crmConnections.id, conn.id)).get();
    expect(next?.nextSyncAt).toBe(now + 60 * 60_000);
    await runCrmSyncCron(env, now); // not due again
    expect((await as(u)("GET", `/api/v1/sales/integrations/${conn.id}/runs`)).body.data).toHaveLength(1);
  });
});
