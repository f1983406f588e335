import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { analyticsDestinations } from "../../../../schema/analytics-forwarding";
import { and, eq } from "drizzle-orm";
import { getDb } from "../../../platform/db";
import { callJson, signUp } from "../../../../test/helpers";
import { FakeForwardApis } from "./forwarding-fakes";
import { addDestination, as, owner, uniq } from "./forwarding-helpers";

/** /api/v1/analytics/destinations: CRUD, validation, sealed credentials, audit, test connection. */
const fake = new FakeForwardApis();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

const MP_SECRET = "mixpanel-sa-secret-VERY-SECRET-9f3a";
const GA_SECRET = "ga4-api-secret-TOP-SECRET-7c1d";

describe("analytics destinations API", () => {
  it("creates, lists, reads, updates and deletes; credentials never appear in any response; every change is audited", async () => {
    const u = await owner();
    const mp = await addDestination(u, {
      provider: "mixpanel",
      name: "Product Mixpanel",
      project_id: "123456",
      region: "eu",
      service_account_username: "weft.1234.mp-service-account",
      secret: MP_SECRET,
      event_names: ["Signed Up", "$pageview"],
    });
    expect(mp).toMatchObject({
      provider: "mixpanel",
      name: "Product Mixpanel",
      enabled: true,
      event_names: ["Signed Up", "$pageview"],
      settings: { project_id: "123456", region: "eu", auth: "service_account", service_account_username: "weft.1234.mp-service-account" },
      credential_hint: "…9f3a",
      status: "idle",
      sent_today: 0,
    });
    const ga = await addDestination(u, { provider: "ga4", name: "GA4", measurement_id: "G-ABC123XYZ", api_secret: GA_SECRET });
    expect(ga).toMatchObject({ settings: { measurement_id: "G-ABC123XYZ" }, credential_hint: "…7c1d", event_names: null });

    const list = await as(u, "GET", "/api/v1/analytics/destinations");
    expect(list.status).toBe(200);
    expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([mp.id, ga.id]);
    const one = await as(u, "GET", `/api/v1/analytics/destinations/${mp.id}`);
    expect(one.body.daily).toEqual([]);

    const patched = await as(u, "PATCH", `/api/v1/analytics/destinations/${mp.id}`, {
      name: "Mixpanel EU",
      enabled: false,
      secret: "rotated-secret-abcd",
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ name: "Mixpanel EU", enabled: false, status: "disabled", credential_hint: "…abcd" });

    // Nothing that went out over the API carries a secret.
    const everything = JSON.stringify([
      mp,
      ga,
      list.body,
      one.body,
      patched.body,
      (await as(u, "GET", "/api/v1/analytics/destinations")).body,
    ]);
    for (const s of [MP_SECRET, GA_SECRET, "rotated-secret-abcd"]) expect(everything).not.toContain(s);
    // At rest it is sealed, not plain.
    const row = await getDb(env.DB)
      .select()
      .from(analyticsDestinations)
      .where(and(eq(analyticsDestinations.tenantId, u.tenantId), eq(analyticsDestinations.id, ga.id)))
      .get();
    expect(row?.secret).toMatch(/^v1\./);
    expect(row?.secret).not.toContain(GA_SECRET);

    expect((await as(u, "DELETE", `/api/v1/analytics/destinations/${ga.id}`)).status).toBe(204);
    expect((await as(u, "GET", `/api/v1/analytics/destinations/${ga.id}`)).status).toBe(404);

    const audit = await getDb(env.DB).select().from(auditLogs).where(eq(auditLogs.tenantId, u.tenantId));
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === "analytics.destination_created")).toHaveLength(2);
    expect(actions).toContain("analytics.destination_updated");
    expect(actions).toContain("analytics.destination_deleted");
    expect(JSON.stringify(audit)).not.toContain("rotated-secret-abcd");
  });

  it("validation errors are problem+json with the failing fields", async () => {
    const u = await owner();
    const bad = await as(u, "POST", "/api/v1/analytics/destinations", {
      provider: "ga4",
      name: "",
      measurement_id: "UA-1234",
      api_secret: "short",
    });
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get("content-type")).toContain("application/problem+json");
    const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "measurement_id", "api_secret"]));

    const unknownProvider = await as(u, "POST", "/api/v1/analytics/destinations", { provider: "segment", name: "x" });
    expect(unknownProvider.status).toBe(400);

    const noEndpoint = await as(u, "POST", "/api/v1/analytics/destinations", {
      provider: "webhook",
      name: "Hook",
      endpoint_ids: ["whe_nope"],
    });
    expect(noEndpoint.status).toBe(400);
    expect(noEndpoint.body.detail).toContain("whe_nope");

    const ga = await addDestination(u, { provider: "ga4", name: "GA4", measurement_id: "G-ABC123XYZ", api_secret: GA_SECRET });
    const foreign = await as(u, "PATCH", `/api/v1/analytics/destinations/${ga.id}`, { project_id: "42" });
    expect(foreign.status).toBe(400);
    expect(foreign.body.detail).toContain("project_id");
  });

  it("viewers can see destinations but not change or test them", async () => {
    const u = await owner();
    const d = await addDestination(u, { provider: "ga4", name: "GA4", measurement_id: "G-VIEW0001", api_secret: GA_SECRET });
    const viewer = await signUp();
    const inv = await as(u, "POST", "/api/v1/invitations", { email: viewer.email, role: "viewer" });
    expect(inv.status).toBe(201);
    // Accept through the token in the invitation mail.
    const { waitForMail, tokenFromMail } = await import("../../../../test/helpers");
    const token = tokenFromMail(await waitForMail(viewer.email, "invit"));
    expect((await callJson("/api/v1/invitations/accept", { token: viewer.accessToken, body: { token }, ip: viewer.ip })).status).toBe(200);
    const v = { ...viewer, tenantId: u.tenantId };
    expect((await as(v, "GET", "/api/v1/analytics/destinations")).status).toBe(200);
    expect((await as(v, "GET", `/api/v1/analytics/destinations/${d.id}/deliveries`)).status).toBe(200);
    expect((await as(v, "PATCH", `/api/v1/analytics/destinations/${d.id}`, { enabled: false })).status).toBe(403);
    expect((await as(v, "POST", `/api/v1/analytics/destinations/${d.id}/test`)).status).toBe(403);
  });

  it("test connection: GA4 through the validation server, Mixpanel with one deduplicated event, bad credentials reported", async () => {
    const u = await owner();
    const ga = await addDestination(u, { provider: "ga4", name: "GA4", measurement_id: "G-TESTCONN1", api_secret: GA_SECRET });
    const t = await as(u, "POST", `/api/v1/analytics/destinations/${ga.id}/test`);
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ ok: true, status: 200, validation_messages: [] });
    expect(fake.ga4For("G-TESTCONN1", true)).toHaveLength(1);
    expect(fake.ga4For("G-TESTCONN1", false)).toHaveLength(0); // nothing reached collection

    const project = `${700000 + Number(uniq().replace(/\D/g, "").slice(-5))}`;
    fake.mixpanelProjects.set(project, { serviceAccounts: new Map([["sa.user", MP_SECRET]]), apiSecret: "other" });
    const mp = await addDestination(u, {
      provider: "mixpanel",
      name: "MP",
      project_id: project,
      service_account_username: "sa.user",
      secret: MP_SECRET,
    });
    const ok = await as(u, "POST", `/api/v1/analytics/destinations/${mp.id}/test`);
    expect(ok.body).toMatchObject({ ok: true, status: 200 });
    await as(u, "POST", `/api/v1/analytics/destinations/${mp.id}/test`);
    expect([...fake.mixpanelImported.values()].filter((v) => v.project === project)).toHaveLength(1); // same $insert_id both times

    await as(u, "PATCH", `/api/v1/analytics/destinations/${mp.id}`, { secret: "not-the-right-secret" });
    const bad = await as(u, "POST", `/api/v1/analytics/destinations/${mp.id}/test`);
    expect(bad.body).toMatchObject({ ok: false, status: 401 });
    expect(bad.body.message).toContain("refused the credentials");
    expect(JSON.stringify(bad.body)).not.toContain("not-the-right-secret");
  });
});
