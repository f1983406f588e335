import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { salesActivities, salesLeads } from "../../../../schema/sales";
import { signUp } from "../../../../test/helpers";
import { createTask, getLeadContext, listLeadIdsMatching, recordActivity, recordEngagement } from "../index";
import { as } from "./crm-helpers";
import { db } from "./crm.fixtures";

// Leads and companies, the pipeline and tasks, duplicates and merge, and the service contract other modules call.
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
