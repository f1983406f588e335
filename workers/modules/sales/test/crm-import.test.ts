import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { salesCompanies, salesImports, salesLeads } from "../../../../schema/sales";
import { signUp } from "../../../../test/helpers";
import type { Env } from "../../../platform/env";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { parseCsv } from "../csv";
import { runImport, writeStep } from "../import.consumer";
import { rowMapper } from "../import.rows";
import { CHUNK_ROWS, getImportRow, STEP_CHUNKS } from "../import.service";
import { as, postCsv, waitForImport } from "./crm-helpers";
import { db } from "./crm.fixtures";

// CSV import end to end in workerd: upload, mapping, apply modes, the leads meter, redelivered messages, export.
describe("CSV import", () => {
  it("uploads, suggests a mapping, previews errors and matches, applies with update; counts, row errors, in-file duplicates", async () => {
    const u = await signUp();
    const api = as(u);
    await api("POST", "/api/v1/sales/fields", { entity: "lead", key: "seats", label: "Seats", type: "number" });
    const existing = (await api("POST", "/api/v1/sales/leads", { email: "old@importco.com", first_name: "Old", title: "Intern" })).body.id;
    const csv = [
      "\ufeffE-mail;First Name;Last Name;Job Title;Company;Seats;Status",
      "old@importco.com;Olga;;Director;Importco;12;",
      'new1@importco.com;"Nina; N.";New;"Head of\nGrowth";Importco;3;qualified',
      "not-an-email;Bad;Row;;;;",
      "new2@other-biz.io;Otto;;CEO;Other Biz;lots;",
      "new3@gmail.com;Gina;;;;;sleeping",
      "NEW1@importco.com;;;VP Growth;;;",
      ";Paul;Noemail;;;;",
    ].join("\r\n");
    const up = await postCsv(u, csv);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ status: "uploaded", total_rows: 7 });
    expect(up.body.headers).toEqual(["E-mail", "First Name", "Last Name", "Job Title", "Company", "Seats", "Status"]);
    expect(up.body.suggested_mapping).toEqual({
      "E-mail": "email",
      "First Name": "first_name",
      "Last Name": "last_name",
      "Job Title": "title",
      Company: "company_name",
      Seats: "custom.seats",
      Status: "status",
    });
    const pv = await api("GET", `/api/v1/sales/imports/${up.body.id}/preview`);
    expect(pv.status).toBe(200);
    const rows = pv.body.rows;
    expect(rows[0]).toMatchObject({ row: 1, duplicate_of: existing, errors: [] });
    expect(rows[1].values).toMatchObject({ first_name: "Nina; N.", title: "Head of\nGrowth" });
    expect(rows[2].errors[0]).toMatchObject({ field: "email" });
    expect(rows[3].errors[0]).toMatchObject({ field: "custom.seats" });
    expect(rows[4].errors[0]).toMatchObject({ field: "status" });
    expect(rows[5]).toMatchObject({ duplicate_of: null, duplicate_of_row: 2 });
    const badMap = await api("GET", `/api/v1/sales/imports/${up.body.id}/preview?mapping=${encodeURIComponent('{"Seats":"custom.nope"}')}`);
    expect(badMap.status).toBe(400);

    const ap = await api("POST", `/api/v1/sales/imports/${up.body.id}/apply`, { duplicates: "update", tags: ["Fair 2026"] });
    expect(ap.status).toBe(202);
    expect((await api("POST", `/api/v1/sales/imports/${up.body.id}/apply`, { duplicates: "update" })).status).toBe(409);
    const done = await waitForImport(u, up.body.id);
    expect(done).toMatchObject({ status: "done", processed_rows: 7, created: 2, updated: 2, skipped: 0, failed: 3 });
    expect(done.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5]);
    const old = (await api("GET", `/api/v1/sales/leads/${existing}`)).body;
    expect(old).toMatchObject({ first_name: "Olga", title: "Director", custom_fields: { seats: 12 }, tags: ["fair 2026"] });
    const list = (await api("GET", "/api/v1/sales/leads?limit=100&tag=fair%202026")).body.data;
    const nina = list.find((l: { email: string }) => l.email === "new1@importco.com");
    expect(nina).toMatchObject({ title: "VP Growth", status: "qualified", company_name: "Importco", import_id: up.body.id });
    const paul = list.find((l: { first_name: string }) => l.first_name === "Paul");
    expect(paul).toMatchObject({ email: null, last_name: "Noemail" });
    expect((await api("GET", `/api/v1/sales/leads/${nina.id}/activities`)).body.data).toEqual([]); // import_id says where it came from
  });

  it("skip keeps existing leads as they are; merge fills only what they lack", async () => {
    const u = await signUp();
    const api = as(u);
    const l = (await api("POST", "/api/v1/sales/leads", { email: "keep@dupco.com", title: "Owner" })).body.id;
    const run = async (mode: string) => {
      const up = await postCsv(u, `email,title,city\nkeep@dupco.com,Intern,Oslo\n`);
      await api("POST", `/api/v1/sales/imports/${up.body.id}/apply`, { duplicates: mode });
      return waitForImport(u, up.body.id);
    };
    expect(await run("skip")).toMatchObject({ skipped: 1, created: 0, updated: 0 });
    expect((await api("GET", `/api/v1/sales/leads/${l}`)).body).toMatchObject({ title: "Owner", city: null });
    expect(await run("merge")).toMatchObject({ updated: 1 });
    expect((await api("GET", `/api/v1/sales/leads/${l}`)).body).toMatchObject({ title: "Owner", city: "Oslo" });
    // A row without email matches a lead by name + domain (the same de-duplication query as emails).
    const named = (await api("POST", "/api/v1/sales/leads", { first_name: "Nora", last_name: "Name", domain: "dupco.com" })).body.id;
    const up = await postCsv(u, "email,first_name,last_name,domain,title\n,nora,NAME,dupco.com,CFO\n,Nora,Other,dupco.com,CTO\n");
    await api("POST", `/api/v1/sales/imports/${up.body.id}/apply`, { duplicates: "merge" });
    expect(await waitForImport(u, up.body.id)).toMatchObject({ updated: 1, created: 1 });
    expect((await api("GET", `/api/v1/sales/leads/${named}`)).body).toMatchObject({ first_name: "Nora", title: "CFO" });
  });

  it("the leads meter: an import stops at the plan's limit with row errors and an upgrade link; POST answers 402; a delete gives one back", async () => {
    const u = await signUp();
    const api = as(u);
    const lines = Array.from({ length: 55 }, (_, i) => `lead${i}@meterco.com,Lead ${i}`);
    const up = await postCsv(u, `email,name\n${lines.join("\n")}\n`);
    await api("POST", `/api/v1/sales/imports/${up.body.id}/apply`, { duplicates: "update" });
    const done = await waitForImport(u, up.body.id);
    expect(done).toMatchObject({ created: 50, failed: 5 });
    expect(done.errors[0].message).toMatch(/Lead limit reached: the free plan allows 50 leads\. Upgrade: .*\/settings\/billing/);
    const over = await api("POST", "/api/v1/sales/leads", { email: "one-more@meterco.com" });
    expect(over.status).toBe(402);
    expect(over.body).toMatchObject({ meter: "leads", limit: 50 });
    expect(over.body.upgrade_url).toContain("/settings/billing");
    const some = (await api("GET", "/api/v1/sales/leads?limit=1")).body.data[0].id;
    expect((await api("DELETE", `/api/v1/sales/leads/${some}`)).status).toBe(204);
    expect((await api("POST", "/api/v1/sales/leads", { email: "one-more@meterco.com" })).status).toBe(201);
  });

  it("a message delivered more than once writes each step once: leads, companies, updates and counters", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "professional" }); // 10,000 leads
    const api = as(u);
    const created = await api("POST", "/api/v1/sales/leads", { email: "p7@co0.example", title: "Intern" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const old = created.body.id;
    // 10,500 rows (three steps): every tenth repeats the row nine before it, in upper case; 7 company domains.
    const lines = Array.from({ length: 10_500 }, (_, i) => {
      const k = i % 10 === 9 ? i - 9 : i;
      const email = `p${k}@co${k % 7}.example`;
      return `${i % 10 === 9 ? email.toUpperCase() : email},Title ${i}`;
    });
    const up = await postCsv(u, `email,title\n${lines.join("\n")}\n`);
    expect(up.body.total_rows).toBe(10_500);
    expect((await api("POST", `/api/v1/sales/imports/${up.body.id}/apply`, { duplicates: "update" })).status).toBe(202);
    // The queued message, and two more deliveries of it racing each other from the same starting row.
    const msg = { tenantId: u.tenantId, importId: up.body.id };
    const runs = await Promise.all([
      runImport(env as Env, msg, Number.POSITIVE_INFINITY),
      runImport(env as Env, msg, Number.POSITIVE_INFINITY),
    ]);
    expect(runs).toContain("done");
    const done = await waitForImport(u, up.body.id);
    expect(done).toMatchObject({ status: "done", processed_rows: 10_500, created: 9_449, updated: 1_051, skipped: 0, failed: 0 });
    const count = async (where: ReturnType<typeof and>) => (await db().select({ id: salesLeads.id }).from(salesLeads).where(where)).length;
    expect(await count(and(eq(salesLeads.tenantId, u.tenantId), eq(salesLeads.importId, up.body.id)))).toBe(9_449);
    const companies = await db().select().from(salesCompanies).where(eq(salesCompanies.tenantId, u.tenantId));
    expect(companies.map((c) => c.domain).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `co${i}.example`));
    expect((await api("GET", `/api/v1/sales/leads/${old}`)).body).toMatchObject({
      title: "Title 7",
      company_id: companies.find((c) => c.domain === "co0.example")?.id,
    });
  });

  it("a company deleted between two steps of a message: the next step linking to it rolls back, then links to a new one", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "enterprise", seats: 25 }); // room for more than one step's leads
    const step = STEP_CHUNKS * CHUNK_ROWS; // the rows of the first step (even, so row `step` is at gone0)
    const lines = Array.from({ length: step + 200 }, (_, i) => `p${i}@gone${i % 2}.example`);
    const up = await postCsv(u, `email\n${lines.join("\n")}\n`);
    // Started as apply starts it, but written here step by step with one message's context instead of by the queue.
    await db()
      .update(salesImports)
      .set({ status: "running" })
      .where(and(eq(salesImports.tenantId, u.tenantId), eq(salesImports.id, up.body.id)));
    let imp = await getImportRow(db(), u.tenantId, up.body.id);
    const ctx = {
      mapRow: rowMapper(new Map(imp.headers.map((h, i) => [h, i])), imp.mapping, new Map(), []),
      companies: new Map<string, string>(),
    };
    imp = await writeStep(env as Env, db(), imp, 0, ctx);
    expect([...ctx.companies.keys()].sort()).toEqual(["gone0.example", "gone1.example"]);
    const gone = ctx.companies.get("gone1.example");
    expect((await as(u)("DELETE", `/api/v1/sales/companies/${gone}`)).status).toBe(204);
    const lead = (email: string) =>
      db()
        .select()
        .from(salesLeads)
        .where(and(eq(salesLeads.tenantId, u.tenantId), eq(salesLeads.email, email)))
        .get();
    expect((await lead("p1@gone1.example"))?.companyId).toBeNull();
    // The step still knows gone1's old id: its batch is refused and nothing of it is written.
    await expect(writeStep(env as Env, db(), imp, STEP_CHUNKS, ctx)).rejects.toThrow(/overflow/);
    expect((await getImportRow(db(), u.tenantId, up.body.id)).processedRows).toBe(step);
    expect(await lead(`p${step + 1}@gone1.example`)).toBeUndefined();
    ctx.companies.clear(); // what runImport does after a refused step
    imp = await writeStep(env as Env, db(), imp, STEP_CHUNKS, ctx);
    expect(imp).toMatchObject({ processedRows: step + 200, created: step + 200 });
    const again = ctx.companies.get("gone1.example");
    expect(again).toBeTruthy();
    expect(again).not.toBe(gone);
    expect((await lead(`p${step + 1}@gone1.example`))?.companyId).toBe(again);
    expect((await lead(`p${step}@gone0.example`))?.companyId).toBe(ctx.companies.get("gone0.example"));
  });

  it("exports the filtered leads as CSV with formulas defused", async () => {
    const u = await signUp();
    const api = as(u);
    await api("POST", "/api/v1/sales/leads", { email: "x@exportco.com", first_name: "=HYPERLINK(1)", tags: ["a", "b"] });
    await api("POST", "/api/v1/sales/leads", { email: "y@exportco.com", first_name: "Yan", status: "customer" });
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch("http://weft.test/api/v1/sales/leads/export?status=new", {
      headers: { "CF-Connecting-IP": u.ip, Authorization: `Bearer ${u.accessToken}`, "X-Tenant-ID": u.tenantId },
    });
    expect(res.headers.get("content-type")).toContain("text/csv");
    const rows = parseCsv(await res.text());
    expect(rows[0]?.slice(0, 3)).toEqual(["id", "email", "first_name"]);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(1, 3)).toEqual(["x@exportco.com", "'=HYPERLINK(1)"]);
    expect(rows[1]?.[18]).toBe("a;b");
  });
});
