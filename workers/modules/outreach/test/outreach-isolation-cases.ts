import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { salesLeads } from "../../../../schema/sales";
import { salesDrafts, salesEnrollments, salesSequences } from "../../../../schema/sales-sequences";
import { callJson, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";

/**
 * Tenant-isolation cases for the sequences routes (mailboxes, sequences, enrolment, the dev inbox),
 * spread into CASES in tenant-isolation.test.ts. A has a mailbox, an active sequence and an enrolled
 * lead (made once, lazily); B must get 404 for A's ids, see none of A's rows, and change nothing of A's.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Quokka Outbound";
const db = getDb(env.DB);

let fixture: Promise<{ mailbox: string; sequence: string; enrollment: string; lead: string; draft: string }> | null = null;
export function aOutreach(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(`/api/v1${path}`, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const mbx = await asA("POST", "/outreach/mailboxes", { from_email: `quokka-${Date.now()}@a.test`, from_name: MARK });
    expect(mbx.status).toBe(201);
    const seq = await asA("POST", "/outreach/sequences", {
      name: MARK,
      mailbox_id: mbx.body.id,
      steps: [{ kind: "email", delay_minutes: 0, variants: [{ subject: `${MARK} hello`, body: "Hi" }] }],
    });
    expect(seq.status).toBe(201);
    expect((await asA("POST", `/outreach/sequences/${seq.body.id}/activate`)).status).toBe(200);
    const lead = newId("lead");
    const now = Date.now();
    await db
      .insert(salesLeads)
      .values({ tenantId: w.a.tenantId, id: lead, email: `${lead}@quokka.test`, firstName: MARK, createdAt: now, updatedAt: now });
    const enrol = await asA("POST", `/outreach/sequences/${seq.body.id}/enrol`, { lead_ids: [lead] });
    expect(enrol.body.enrolled).toBe(1);
    const e = await db.select().from(salesEnrollments).where(eq(salesEnrollments.leadId, lead)).get();
    // A sent email of A's, as the engine leaves it (the dev inbox answers sent drafts).
    const draft = newId("drf");
    await db.insert(salesDrafts).values({
      tenantId: w.a.tenantId,
      id: draft,
      enrollmentId: e?.id as string,
      sequenceId: seq.body.id,
      stepId: seq.body.steps[0].id,
      variantId: seq.body.steps[0].variants[0].id,
      leadId: lead,
      subject: `${MARK} hello`,
      body: "Hi",
      writer: "local-writer-v1",
      status: "sent",
      sentAt: now,
      createdAt: now,
      updatedAt: now,
    });
    return { mailbox: mbx.body.id as string, sequence: seq.body.id as string, enrollment: e?.id as string, lead, draft };
  })();
  return fixture;
}

const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(`/api/v1${path}`, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aOutreach(w);
  const text = JSON.stringify(payload);
  for (const s of [ids.mailbox, ids.sequence, ids.enrollment, ids.lead, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
/** A's sequence and enrolment are as the fixture left them. */
const aUnchanged = async (w: AB) => {
  const ids = await aOutreach(w);
  const seq = await db.select().from(salesSequences).where(eq(salesSequences.id, ids.sequence)).get();
  const e = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, ids.enrollment)).get();
  expect(seq).toMatchObject({ tenantId: w.a.tenantId, status: "active", name: MARK, enrolled: 1 });
  expect(e).toMatchObject({ status: "active" });
};
const seq404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const { sequence } = await aOutreach(w);
    expect((await asB(w, method, `/outreach/sequences/${sequence}${suffix}`, body)).status).toBe(404);
    await aUnchanged(w);
  };

export const OUTREACH_CASES: Record<string, Case> = {
  "GET /api/v1/outreach/mailboxes": async (w) => {
    const r = await asB(w, "GET", "/outreach/mailboxes?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "POST /api/v1/outreach/mailboxes": async (w) => {
    await aOutreach(w);
    expect((await asB(w, "POST", "/outreach/mailboxes", { from_email: `b-${Date.now()}@b.test`, from_name: "B" })).status).toBe(201);
  },
  "PATCH /api/v1/outreach/mailboxes/{id}": async (w) => {
    const { mailbox } = await aOutreach(w);
    expect((await asB(w, "PATCH", `/outreach/mailboxes/${mailbox}`, { from_name: "B was here" })).status).toBe(404);
  },
  "DELETE /api/v1/outreach/mailboxes/{id}": async (w) => {
    const { mailbox } = await aOutreach(w);
    expect((await asB(w, "DELETE", `/outreach/mailboxes/${mailbox}`)).status).toBe(404);
  },
  "GET /api/v1/outreach/sequences": async (w) => {
    const r = await asB(w, "GET", "/outreach/sequences?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "POST /api/v1/outreach/sequences": async (w) => {
    const { mailbox } = await aOutreach(w);
    // A's mailbox cannot be named by B: 404, nothing created.
    expect((await asB(w, "POST", "/outreach/sequences", { name: "B", mailbox_id: mailbox })).status).toBe(404);
    expect((await asB(w, "POST", "/outreach/sequences", { name: "B's own" })).status).toBe(201);
  },
  "GET /api/v1/outreach/sequences/{id}": seq404("GET", ""),
  "PATCH /api/v1/outreach/sequences/{id}": seq404("PATCH", "", { name: "B renamed" }),
  "DELETE /api/v1/outreach/sequences/{id}": seq404("DELETE", ""),
  "POST /api/v1/outreach/sequences/{id}/activate": seq404("POST", "/activate"),
  "POST /api/v1/outreach/sequences/{id}/pause": seq404("POST", "/pause"),
  "POST /api/v1/outreach/sequences/{id}/archive": seq404("POST", "/archive"),
  "GET /api/v1/outreach/sequences/{id}/enrollments": seq404("GET", "/enrollments"),
  "POST /api/v1/outreach/sequences/{id}/enrol": async (w) => {
    const ids = await aOutreach(w);
    expect((await asB(w, "POST", `/outreach/sequences/${ids.sequence}/enrol`, { lead_ids: [ids.lead] })).status).toBe(404);
    // B's own sequence cannot enrol A's lead: it does not exist in B's workspace.
    const own = await asB(w, "POST", "/outreach/sequences", {
      name: "B enrol",
      steps: [{ kind: "task", delay_minutes: 0, task_title: "t" }],
    });
    const r = await asB(w, "POST", `/outreach/sequences/${own.body.id}/enrol`, { lead_ids: [ids.lead] });
    expect(r.body).toMatchObject({ enrolled: 0, skipped: { merged_or_missing: 1 } });
    await aUnchanged(w);
  },
  "POST /api/v1/outreach/enrollments/{id}/stop": async (w) => {
    const { enrollment } = await aOutreach(w);
    expect((await asB(w, "POST", `/outreach/enrollments/${enrollment}/stop`)).status).toBe(404);
    await aUnchanged(w);
  },
  "POST /api/v1/outreach/dev-inbox/reply": async (w) => {
    const { draft } = await aOutreach(w);
    // A's draft cannot be answered from B's workspace (matched within B only): no reply stored, A's enrolment goes on.
    expect((await asB(w, "POST", "/outreach/dev-inbox/reply", { draft_id: draft, text: "Interested, let's talk" })).status).toBe(404);
    await aUnchanged(w);
  },
  "POST /api/v1/outreach/dev/run-due": async (w) => {
    await aOutreach(w); // A's enrolment is due now
    // B's run works on B's workspace only: A's due enrolment gets no draft and keeps its state.
    const r = await asB(w, "POST", "/outreach/dev/run-due");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ drafted: 0, sent: 0 });
    await aUnchanged(w);
  },
};
