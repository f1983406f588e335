import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { salesActivities, salesCompanies, salesImports, salesLeads } from "../../../../schema/sales";
import { signUp } from "../../../../test/helpers";
import { providerTransport } from "../../billing";
import { getDb } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { detectDelimiter, parseCsv } from "../csv";
import { companyNameFromDomain } from "../domains";
import { clearbitEnricher, localDomainEnricher } from "../enrich";
import type { FieldDefRow } from "../fields.service";
import { runImport, writeStep } from "../import.consumer";
import { mapRow, rowMapper } from "../import.rows";
import { getImportRow } from "../import.service";
import { jsonBatches, STATEMENT_JSON_CHARS } from "../import.statements";
import { createTask, getLeadContext, listLeadIdsMatching, recordActivity, recordEngagement } from "../index";
import { as, postCsv, waitForImport } from "./crm-helpers";
import { referenceMapRow } from "./import-rows-reference";

const db = () => getDb(env.DB);

describe("csv", () => {
  it("reads quotes, embedded line breaks and quotes, CRLF, a BOM and detects ; and tab", () => {
    const text = '\ufeffname;note;city\r\n"Doe; Jane";"said ""hi""\nthen left";Berlin\r\n\r\nBob;;"Köln"\n';
    expect(detectDelimiter(text.slice(1))).toBe(";");
    expect(parseCsv(text)).toEqual([
      ["name", "note", "city"],
      ["Doe; Jane", 'said "hi"\nthen left', "Berlin"],
      ["Bob", "", "Köln"],
    ]);
    expect(detectDelimiter("a\tb\tc\n1\t2\t3")).toBe("\t");
    expect(parseCsv("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv('a,b\n"unterminated,x')).toEqual([["a", "b"], ["unterminated,x"]]);
  });

  it("names companies from domains; the local enricher knows nothing else", async () => {
    expect(companyNameFromDomain("acme-robotics.io")).toBe("Acme Robotics");
    expect(companyNameFromDomain("shop.example.co.uk")).toBe("Example");
    expect(await localDomainEnricher.enrich("acme-robotics.io")).toEqual({ name: "Acme Robotics" });
  });

  it("enriches through Clearbit's Company API wire format (local fake through the provider transport)", async () => {
    const saved = providerTransport.current;
    const seen: string[] = [];
    providerTransport.current = async (input, init) => {
      const url = new URL(String(input));
      seen.push(`${url.pathname}?${url.searchParams} ${new Headers(init?.headers).get("authorization")}`);
      if (url.searchParams.get("domain") === "unknown.io") return new Response("{}", { status: 404 });
      return Response.json({
        name: "Acme Robotics Inc.",
        domain: "acme-robotics.io",
        category: { sector: "Industrials", industry: "Machinery" },
        metrics: { employees: 250 },
        geo: { countryCode: "de" },
      });
    };
    try {
      const e = clearbitEnricher("sk_test_123", "https://clearbit.fake");
      expect(await e.enrich("acme-robotics.io")).toEqual({
        name: "Acme Robotics Inc.",
        industry: "Machinery",
        employees: 250,
        country: "DE",
      });
      expect(await e.enrich("unknown.io")).toEqual({ name: "Unknown" });
      expect(seen[0]).toBe("/v2/companies/find?domain=acme-robotics.io Bearer sk_test_123");
    } finally {
      providerTransport.current = saved;
    }
  });
});

describe("leads and companies", () => {
  it("creates leads: lower-cased email, company from a business domain (not free mail), 409 on a second email, 422 for a stranger owner", async () => {
    const u = await signUp();
    const api = as(u);
    const a = await api("POST", "/api/v1/sales/leads", {
      email: "Ada@Acme-Robotics.IO",
      first_name: "Ada",
      last_name: "Lovelace",
      title: "CTO",
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      email: "ada@acme-robotics.io",
      domain: "acme-robotics.io",
      company_name: "Acme Robotics",
      status: "new",
    });
    expect(a.body.company_id).toMatch(/^co_/);
    const b = await api("POST", "/api/v1/sales/leads", { email: "grace@acme-robotics.io", first_name: "Grace" });
    expect(b.body.company_id).toBe(a.body.company_id);
    const free = await api("POST", "/api/v1/sales/leads", { email: "someone@gmail.com" });
    expect(free.body).toMatchObject({ domain: null, company_id: null });
    const dup = await api("POST", "/api/v1/sales/leads", { email: "ADA@acme-robotics.io" });
    expect(dup.status).toBe(409);
    expect(dup.res.headers.get("content-type")).toContain("application/problem+json");
    const stranger = await signUp();
    const bad = await api("POST", "/api/v1/sales/leads", { email: "x@y-corp.com", owner_id: stranger.userId });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("owner_id");
    const mine = await api("POST", "/api/v1/sales/leads", { email: "x@y-corp.com", owner_id: u.userId });
    expect(mine.status).toBe(201);
    const co = await api("GET", `/api/v1/sales/companies/${a.body.company_id}`);
    expect(co.body).toMatchObject({ name: "Acme Robotics", domain: "acme-robotics.io", enriched_by: "local-domain", lead_count: 2 });
  });

  it("validates custom fields against their definitions", async () => {
    const u = await signUp();
    const api = as(u);
    expect((await api("POST", "/api/v1/sales/fields", { entity: "lead", key: "arr", label: "ARR", type: "number" })).status).toBe(201);
    expect((await api("POST", "/api/v1/sales/fields", { entity: "lead", key: "arr", label: "Again", type: "text" })).status).toBe(409);
    const bad = await api("POST", "/api/v1/sales/leads", { email: "a@b-co.com", custom_fields: { arr: "lots", nope: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["custom_fields.arr", "custom_fields.nope"]);
    const ok = await api("POST", "/api/v1/sales/leads", { email: "a@b-co.com", custom_fields: { arr: 1200 } });
    expect(ok.body.custom_fields).toEqual({ arr: 1200 });
  });

  it("lists with search, filters, sorting and keyset pages; the timeline is newest first", async () => {
    const u = await signUp();
    const api = as(u);
    const names = ["Carla", "Anna", "Bert", "Dora", "Emil"];
    const ids: string[] = [];
    for (const [i, n] of names.entries()) {
      const r = await api("POST", "/api/v1/sales/leads", {
        email: `${n.toLowerCase()}@listco.com`,
        first_name: n,
        title: i % 2 ? "VP Sales" : "Engineer",
        tags: i < 2 ? ["hot"] : [],
        source: i === 4 ? "event" : "manual",
      });
      ids.push(r.body.id);
    }
    const vp = await api("GET", "/api/v1/sales/leads?q=vp%20sales");
    expect(vp.body.data.map((l: { first_name: string }) => l.first_name).sort()).toEqual(["Anna", "Dora"]);
    const hot = await api("GET", "/api/v1/sales/leads?tag=hot");
    expect(hot.body.data).toHaveLength(2);
    expect((await api("GET", "/api/v1/sales/leads?source=event")).body.data[0].first_name).toBe("Emil");
    const p1 = await api("GET", "/api/v1/sales/leads?sort=name&limit=2");
    const p2 = await api("GET", `/api/v1/sales/leads?sort=name&limit=2&cursor=${p1.body.next_cursor}`);
    const p3 = await api("GET", `/api/v1/sales/leads?sort=name&limit=2&cursor=${p2.body.next_cursor}`);
    expect([...p1.body.data, ...p2.body.data, ...p3.body.data].map((l: { first_name: string }) => l.first_name)).toEqual([
      "Anna",
      "Bert",
      "Carla",
      "Dora",
      "Emil",
    ]);
    expect(p3.body.next_cursor).toBeNull();
    expect((await api("GET", "/api/v1/sales/leads?cursor=garbage!")).status).toBe(400);

    const lead = ids[0] as string;
    expect((await api("POST", `/api/v1/sales/leads/${lead}/notes`, { body: "Met at the fair" })).status).toBe(201);
    const call = await api("POST", `/api/v1/sales/leads/${lead}/calls`, { outcome: "connected", duration_s: 300, notes: "Wants a demo" });
    expect(call.body).toMatchObject({ kind: "call", summary: "Call: Connected (5 min)", data: { duration_s: 300 } });
    expect((await api("POST", `/api/v1/sales/leads/${lead}/calls`, { outcome: "nonsense" })).status).toBe(400);
    expect((await api("PATCH", `/api/v1/sales/leads/${lead}`, { status: "qualified" })).body.status).toBe("qualified");
    const tl = await api("GET", `/api/v1/sales/leads/${lead}/activities?limit=2`);
    expect(tl.body.data.map((a: { kind: string }) => a.kind)).toEqual(["status_changed", "call"]);
    const rest = await api("GET", `/api/v1/sales/leads/${lead}/activities?cursor=${tl.body.next_cursor}`);
    expect(rest.body.data.map((a: { kind: string }) => a.kind)).toEqual(["note"]);
  });
});

describe("pipeline and tasks", () => {
  it("creates the default stages, renumbers a column on move, closes a deal moved to Won and records stage_changed", async () => {
    const u = await signUp();
    const api = as(u);
    const stages = (await api("GET", "/api/v1/sales/stages")).body.data;
    expect(stages.map((s: { name: string }) => s.name)).toEqual(["Lead in", "Qualified", "Meeting booked", "Proposal", "Won", "Lost"]);
    expect(stages.map((s: { outcome: string }) => s.outcome).slice(4)).toEqual(["won", "lost"]);
    const lead = (await api("POST", "/api/v1/sales/leads", { email: "buyer@dealco.com" })).body.id;
    const d: string[] = [];
    for (const n of ["D1", "D2", "D3"])
      d.push((await api("POST", "/api/v1/sales/deals", { name: n, lead_id: lead, amount_minor: 1000 })).body.id);
    const moved = await api("POST", `/api/v1/sales/deals/${d[2]}/move`, { stage_id: stages[0].id, position: 0 });
    expect(moved.status).toBe(200);
    const col = async (i: number) =>
      (await api("GET", "/api/v1/sales/stages?deals=true")).body.data[i].deals.map(
        (x: { name: string; position: number }) => `${x.name}:${x.position}`,
      );
    expect(await col(0)).toEqual(["D3:0", "D1:1", "D2:2"]);
    const won = await api("POST", `/api/v1/sales/deals/${d[0]}/move`, { stage_id: stages[4].id });
    expect(won.body).toMatchObject({ outcome: "won", stage_id: stages[4].id, position: 0 });
    expect(won.body.closed_at).not.toBeNull();
    expect(await col(0)).toEqual(["D3:0", "D2:1"]);
    const tl = await api("GET", `/api/v1/sales/leads/${lead}/activities`);
    expect(tl.body.data[0]).toMatchObject({ kind: "stage_changed", deal_id: d[0], data: { outcome: "won" } });
    const reopened = await api("POST", `/api/v1/sales/deals/${d[0]}/move`, { stage_id: stages[1].id });
    expect(reopened.body).toMatchObject({ outcome: "open", closed_at: null });
    expect((await api("DELETE", `/api/v1/sales/stages/${stages[0].id}`)).status).toBe(409);
    expect((await api("POST", `/api/v1/sales/deals/${d[1]}/move`, { stage_id: "stg_nope" })).status).toBe(400);
  });

  it("tasks: mine, overdue, done records task_done once", async () => {
    const u = await signUp();
    const api = as(u);
    const lead = (await api("POST", "/api/v1/sales/leads", { email: "t@taskco.com" })).body.id;
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const t = await api("POST", "/api/v1/sales/tasks", { title: "Call back", lead_id: lead, due_at: past, kind: "call" });
    expect(t.body).toMatchObject({ owner_id: u.userId, overdue: true, done: false });
    await api("POST", "/api/v1/sales/tasks", { title: "Nobody's", owner_id: null });
    expect((await api("GET", "/api/v1/sales/tasks?mine=true")).body.data.map((x: { title: string }) => x.title)).toEqual(["Call back"]);
    expect((await api("GET", "/api/v1/sales/tasks?overdue=true")).body.data).toHaveLength(1);
    expect((await api("PATCH", `/api/v1/sales/tasks/${t.body.id}`, { done: true })).body).toMatchObject({ done: true, overdue: false });
    await api("PATCH", `/api/v1/sales/tasks/${t.body.id}`, { done: true });
    const kinds = (await api("GET", `/api/v1/sales/leads/${lead}/activities`)).body.data.map((a: { kind: string }) => a.kind);
    expect(kinds.filter((k: string) => k === "task_done")).toHaveLength(1);
    expect(kinds).toContain("task_created");
    expect((await api("GET", "/api/v1/sales/tasks?mine=true")).body.data).toHaveLength(0);
    expect((await api("POST", "/api/v1/sales/tasks", { title: "x", lead_id: "lead_nope" })).status).toBe(400);
  });
});

describe("duplicates and merge", () => {
  it("finds name + domain duplicates; merging moves activities, deals and tasks, picks fields, marks the others merged", async () => {
    const u = await signUp();
    const api = as(u);
    const a = (await api("POST", "/api/v1/sales/leads", { first_name: "Sam", last_name: "Lee", domain: "mergeco.com", title: "Buyer" }))
      .body;
    const b = (
      await api("POST", "/api/v1/sales/leads", {
        first_name: "sam",
        last_name: "lee",
        email: "sam@mergeco.com",
        title: "Head of Ops",
        tags: ["vip"],
      })
    ).body;
    const groups = (await api("GET", "/api/v1/sales/leads/duplicates")).body.data;
    expect(groups).toHaveLength(1);
    expect(groups[0].reason).toBe("name_domain");
    expect(groups[0].leads.map((l: { id: string }) => l.id).sort()).toEqual([a.id, b.id].sort());
    await api("POST", `/api/v1/sales/leads/${b.id}/notes`, { body: "note on b" });
    const deal = (await api("POST", "/api/v1/sales/deals", { name: "B deal", lead_id: b.id })).body;
    const task = (await api("POST", "/api/v1/sales/tasks", { title: "B task", lead_id: b.id })).body;
    const m = await api("POST", "/api/v1/sales/leads/merge", { survivor_id: a.id, merged_ids: [b.id], fields: { title: b.id } });
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ id: a.id, email: "sam@mergeco.com", title: "Head of Ops", tags: ["vip"] });
    const gone = (await api("GET", `/api/v1/sales/leads/${b.id}`)).body;
    expect(gone).toMatchObject({ merged_into: a.id, email: null });
    const tl = (await api("GET", `/api/v1/sales/leads/${a.id}/activities?limit=100`)).body.data.map((x: { kind: string }) => x.kind);
    expect(tl).toEqual(expect.arrayContaining(["merged", "note", "task_created"]));
    expect((await api("GET", `/api/v1/sales/deals/${deal.id}`)).body.lead_id).toBe(a.id);
    expect((await api("GET", `/api/v1/sales/tasks?lead_id=${a.id}`)).body.data.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect((await api("GET", "/api/v1/sales/leads")).body.data.map((l: { id: string }) => l.id)).toEqual([a.id]);
    expect((await api("GET", "/api/v1/sales/leads/duplicates")).body.data).toEqual([]);
    expect(await getLeadContext(db(), u.tenantId, b.id)).toBeNull();
    expect((await getLeadContext(db(), u.tenantId, a.id))?.lead.title).toBe("Head of Ops");
    const again = await api("POST", "/api/v1/sales/leads/merge", { survivor_id: a.id, merged_ids: [b.id] });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].path).toBe("merged_ids.0");
  });
});

describe("the service contract", () => {
  it("recordActivity dedupes, recordEngagement counts and moves status, listLeadIdsMatching filters, createTask writes the task", async () => {
    const u = await signUp();
    const api = as(u);
    const l1 = (await api("POST", "/api/v1/sales/leads", { email: "one@contract.io", tags: ["seq"] })).body.id;
    const l2 = (await api("POST", "/api/v1/sales/leads", { email: "two@contract.io", tags: ["seq"] })).body.id;
    await api("POST", "/api/v1/sales/leads", { first_name: "No email", tags: ["seq"] });
    const t = Date.now();
    const act = { leadId: l1, kind: "email_replied" as const, summary: "Re: hi", dedupeKey: `mg:${l1}:1` };
    await db().batch([recordActivity(db(), u.tenantId, act), ...recordEngagement(db(), u.tenantId, l1, "sent", t)]);
    await db().batch([recordActivity(db(), u.tenantId, act), ...recordEngagement(db(), u.tenantId, l1, "reply", t + 1)]);
    const rows = await db()
      .select()
      .from(salesActivities)
      .where(and(eq(salesActivities.tenantId, u.tenantId), eq(salesActivities.leadId, l1), eq(salesActivities.kind, "email_replied")));
    expect(rows).toHaveLength(1);
    const lead = await db().select().from(salesLeads).where(eq(salesLeads.id, l1)).get();
    expect(lead).toMatchObject({ emailsSent: 1, replies: 1, status: "engaged", lastContactedAt: t, lastRepliedAt: t + 1 });
    await db().batch([...recordEngagement(db(), u.tenantId, l2, "unsubscribe", t)] as [never]);
    expect(await listLeadIdsMatching(db(), u.tenantId, { tags: ["seq"] }, 10)).toEqual([l1]);
    expect(await listLeadIdsMatching(db(), u.tenantId, { tags: ["seq"], statuses: ["new"] }, 10)).toEqual([]);
    const task = await createTask(db(), u.tenantId, {
      title: "Step 2: call",
      kind: "call",
      leadId: l1,
      origin: "sequence",
      enrollmentId: "enr_x",
    });
    expect((await api("GET", `/api/v1/sales/tasks?lead_id=${l1}`)).body.data[0]).toMatchObject({
      id: task.id,
      origin: "sequence",
      enrollment_id: "enr_x",
    });
  });
});

describe("CSV import rows", () => {
  const def = (key: string, type: FieldDefRow["type"]) =>
    ({ tenantId: "t", id: `sfd_${key}`, entity: "lead", key, label: key, type, position: 0, createdAt: 0 }) as FieldDefRow;
  const defs = new Map(
    [def("seats", "number"), def("vip", "boolean"), def("since", "date"), def("site", "url"), def("note", "text")].map((d) => [d.key, d]),
  );
  const headers = [
    "E-mail",
    "First",
    "Last",
    "Full name",
    "Title",
    "Phone",
    "Company",
    "Website",
    "Industry",
    "Size",
    "Country",
    "State",
    "City",
    "TZ",
    "LinkedIn",
    "Source",
    "Status",
    "Tags",
    "Seats",
    "VIP",
    "Since",
    "Site",
    "Note",
    "Gone",
    "Title 2",
  ];
  const mapping: Record<string, string> = {
    "E-mail": "email",
    First: "first_name",
    Last: "last_name",
    "Full name": "name",
    Title: "title",
    Phone: "phone",
    Company: "company_name",
    Website: "domain",
    Industry: "industry",
    Size: "employees",
    Country: "country",
    State: "region",
    City: "city",
    TZ: "timezone",
    LinkedIn: "linkedin_url",
    Source: "source",
    Status: "status",
    Tags: "tags",
    Seats: "custom.seats",
    VIP: "custom.vip",
    Since: "custom.since",
    Site: "custom.site",
    Note: "custom.note",
    Gone: "custom.gone",
    "Title 2": "title",
    Missing: "city",
  };
  const columns = new Map(headers.map((h, i) => [h, i]));
  const pools: string[][] = [
    ["", " Ann@Acme.io ", "bob@gmail.com", "not-an-email", "x@y", "a@b@c.com", "dup@acme.io", "ceo@shop.example.co.uk"],
    ["", "Ann", " Bob ", "Ünal"],
    ["", "Lee", "van der Berg"],
    ["", "Jane Q Public", "Solo", "  spaced   out  "],
    ["", "Engineer", "x".repeat(250)],
    ["", "+1 555 0100"],
    ["", "Acme", "Shop Ltd"],
    ["", "https://www.Acme.io/about", "acme.io", "not a domain", "HTTP://Sub.Example.com:8080/x?y"],
    ["", "Software"],
    ["", "450", "1,000", "10-50", "10 – 20", "5 to 9", "500+", "lots", "-3", "1.5"],
    ["", "us", "DE", "USA", "x1"],
    ["", "CA"],
    ["", "Oslo", "y".repeat(120)],
    ["", "Europe/Berlin"],
    ["", "https://linkedin.com/in/ann"],
    ["", "Fair", "s".repeat(60)],
    ["", "qualified", "NEW", "sleeping", "customer"],
    ["", "a;b", "A | b, c", " ; ,", "Fair 2026"],
    ["", "12", "1,200", "many"],
    ["", "yes", "N", "maybe"],
    ["", "2026-01-31", "31.01.2026"],
    ["", "https://acme.io", "ftp://acme.io", "nope"],
    ["", "hello"],
    ["", "orphan"],
    ["", "CTO"],
  ];
  let seed = 7;
  const pick = <T>(xs: T[]) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return xs[Math.floor((seed / 2147483648) * xs.length)] as T;
  };
  const rows = Array.from({ length: 3000 }, () => pools.map((p) => pick(p)));

  it("rowMapper maps every row exactly as the reference mapping did (values, lead, the same errors in the same order)", () => {
    for (const tags of [[], ["Fair 2026", " fair 2026 ", ""]]) {
      const map = rowMapper(columns, mapping, defs, tags);
      for (const [i, cells] of rows.entries())
        expect(map(i + 1, cells), JSON.stringify(cells)).toEqual(referenceMapRow(i + 1, cells, columns, mapping, defs, tags));
      // Without custom fields mapped, and with a short row (missing cells read as empty).
      const plain = Object.fromEntries(Object.entries(mapping).filter(([, f]) => !f.startsWith("custom.")));
      const mapPlain = rowMapper(columns, plain, defs, tags, "api");
      for (const cells of [...rows.slice(0, 500), ["a@b.io"], []])
        expect(mapPlain(9, cells)).toEqual(referenceMapRow(9, cells, columns, plain, defs, tags, "api"));
    }
    const map = rowMapper(columns, mapping, defs, []);
    const errs = rows.flatMap((c, i) => map(i + 1, c).errors);
    // The corpus reaches every kind of row error.
    expect(new Set(errs.map((e) => e.field))).toEqual(
      new Set(["email", "employees", "country", "status", "custom.seats", "custom.vip", "custom.since", "custom.site", "custom.gone"]),
    );
  });

  it("splits statement rows into JSON arrays bounded by size (and by count when asked), keeping every row in order", () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ id: `lead_${i}`, email: `p${i}@x.io`, note: "é".repeat(i % 300) }));
    const parts = jsonBatches(rows, Number.POSITIVE_INFINITY, 50_000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(50_000);
    expect(parts.flatMap((p) => JSON.parse(p))).toEqual(rows);
    expect(jsonBatches(rows, 250).map((p) => JSON.parse(p).length)).toEqual([250, 250, 250, 250, 250, 250, 250, 250]);
    const wide = [{ id: "a" }, { id: "b", note: "x".repeat(100) }, { id: "c" }];
    expect(jsonBatches(wide, Number.POSITIVE_INFINITY, 40).map((p) => JSON.parse(p).map((r: { id: string }) => r.id))).toEqual([
      ["a"],
      ["b"],
      ["c"],
    ]);
    expect(jsonBatches([])).toEqual([]);
    // A step of the bench's rows (~470 characters each) fits in a handful of statements, well under D1's 2 MB per bound string.
    expect(STATEMENT_JSON_CHARS * 3).toBeLessThan(2_000_000);
  });

  it("maps one row: trims, splits a full name, parses sizes, tags, domains, and reports each bad value", () => {
    const m = { email: "email", name: "name", size: "employees", tags: "tags", site: "domain", country: "country", seats: "custom.seats" };
    const cols = new Map(Object.keys(m).map((h, i) => [h, i]));
    const ok = mapRow(4, [" Ann@Acme.IO ", "Ann van Dyk", "10-50", "B;a|b", "", "de", "1,200"], cols, m, defs, ["Fair"]);
    expect(ok.errors).toEqual([]);
    expect(ok.lead).toMatchObject({
      email: "ann@acme.io",
      firstName: "Ann",
      lastName: "van Dyk",
      employees: 30,
      country: "DE",
      domain: "acme.io",
    });
    expect(ok.lead?.tags).toEqual(["b", "a", "fair"]);
    expect(ok.lead?.customFields).toEqual({ seats: 1200 });
    expect(mapRow(5, ["x@gmail.com", "X", "", "", "https://www.Other.io/x"], cols, m, defs, []).lead?.domain).toBe("other.io");
    expect(mapRow(5, ["x@gmail.com", "X", "", "", ""], cols, m, defs, []).lead?.domain).toBeNull();
    const bad = mapRow(6, ["nope", "", "lots", "", "", "Germany", "many"], cols, m, defs, []);
    expect(bad.lead).toBeNull();
    expect(bad.errors).toEqual([
      { row: 6, field: "email", message: '"nope" is not a valid email address' },
      { row: 6, field: "employees", message: '"lots" is not a number of employees' },
      { row: 6, field: "country", message: '"Germany" is not a two-letter country code (ISO 3166-1)' },
      { row: 6, field: "custom.seats", message: '"many" must be a number' },
    ]);
    expect(mapRow(7, ["", "", "", "", "", "", ""], cols, m, defs, []).errors).toEqual([
      { row: 7, field: "email", message: "a lead needs an email or a name" },
    ]);
  });
});

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
    await subscribeViaSimulator(u, { plan: "professional" });
    const lines = Array.from({ length: 5_200 }, (_, i) => `p${i}@gone${i % 2}.example`);
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
    await expect(writeStep(env as Env, db(), imp, 5, ctx)).rejects.toThrow(/overflow/);
    expect((await getImportRow(db(), u.tenantId, up.body.id)).processedRows).toBe(5_000);
    expect(await lead("p5001@gone1.example")).toBeUndefined();
    ctx.companies.clear(); // what runImport does after a refused step
    imp = await writeStep(env as Env, db(), imp, 5, ctx);
    expect(imp).toMatchObject({ processedRows: 5_200, created: 5_200 });
    const again = ctx.companies.get("gone1.example");
    expect(again).toBeTruthy();
    expect(again).not.toBe(gone);
    expect((await lead("p5001@gone1.example"))?.companyId).toBe(again);
    expect((await lead("p5000@gone0.example"))?.companyId).toBe(ctx.companies.get("gone0.example"));
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
