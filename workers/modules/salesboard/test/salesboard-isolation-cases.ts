import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { salesboardCache } from "../../../../schema/salesboard";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { WINDOW } from "./salesboard-fixture";

/**
 * Tenant-isolation cases for the salesboard (spread into CASES in tenant-isolation.test.ts). A has a
 * sequence, an enrolled lead with a send, and a cached board. The salesboard needs Professional, and the suite's B is on
 * Free (other cases rely on that), so "another workspace" here is C, a Professional workspace of its
 * own: it sees none of A's figures, and naming A's sequence or A's member answers 404.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const db = getDb(env.DB);
const range = `from=${WINDOW.from}&to=${WINDOW.to}`;

let fixture: Promise<{ c: TestUser; seq: string; payload: string }> | null = null;
function world(w: AB) {
  fixture ??= (async () => {
    // A's sequence, a lead enrolled in it and an email sent to it (the rows the engine leaves), inside the window.
    const t = w.a.tenantId;
    const seeded = { seq: `seq_sbiso${t.slice(-8)}` };
    const lead = `lead_sbiso${t.slice(-8)}`;
    const at = Date.parse(`${WINDOW.from}T10:00:00Z`);
    for (const q of [
      sql`insert into sales_sequences (tenant_id, id, name, status, created_at, updated_at) values (${t}, ${seeded.seq}, 'A board seq', 'paused', ${at}, ${at})`,
      sql`insert into sales_leads (tenant_id, id, email, owner_id, created_at, updated_at) values (${t}, ${lead}, ${`${lead}@a.test`}, ${w.a.userId}, ${at}, ${at})`,
      sql`insert into sales_activities (tenant_id, id, lead_id, kind, summary, data, occurred_at, created_at) values
        (${t}, ${`act_sbiso1${t.slice(-8)}`}, ${lead}, 'enrolled', 'Enrolled', ${JSON.stringify({ sequence_id: seeded.seq })}, ${at}, ${at}),
        (${t}, ${`act_sbiso2${t.slice(-8)}`}, ${lead}, 'email_sent', 'Sent', ${JSON.stringify({ draft_id: "drf_x", sequence_id: seeded.seq, variant_id: "svar_x" })}, ${at}, ${at})`,
    ])
      await db.run(q);
    const c = await signUp({ workspace: "Salesboard C" });
    await subscribeViaSimulator(c, { plan: "professional", seats: 5 });
    // A's board as A's cache row holds it (written directly: A is on Starter, which has no salesboard).
    await db.insert(salesboardCache).values({
      tenantId: w.a.tenantId,
      key: JSON.stringify(["56d", null, null, null, null]),
      payload: `{"marker":"A-board ${seeded.seq}"}`,
      computedAt: Date.now(),
    });
    return { c, seq: seeded.seq, payload: `A-board ${seeded.seq}` };
  })();
  return fixture;
}
const asC = (c: TestUser, method: string, query: string) =>
  callJson(`/api/v1/salesboard${method === "POST" ? "/refresh" : ""}?${query}`, {
    method,
    token: c.accessToken,
    tenant: c.tenantId,
    ip: c.ip,
  });

const noneOfA = async (w: AB, method: string) => {
  const { c, seq, payload } = await world(w);
  const own = await asC(c, method, range);
  expect(own.status).toBe(200);
  const text = JSON.stringify(own.body);
  for (const s of [seq, w.a.userId, payload]) expect(text, `leaked ${s}`).not.toContain(s);
  expect(own.body.kpis.emails_sent).toBe(0);
  expect((await asC(c, method, `${range}&sequence=${seq}`)).status).toBe(404);
  expect((await asC(c, method, `${range}&owner=${w.a.userId}`)).status).toBe(404);
  // B (Free) gets the plan's answer, never A's figures.
  expect(
    (await callJson(`/api/v1/salesboard${method === "POST" ? "/refresh" : ""}`, { method, token: w.b.accessToken, tenant: w.b.tenantId }))
      .status,
  ).toBe(402);
  // A's cached board is still there: C's "Sync now" drops only C's rows.
  const row = await db.select().from(salesboardCache).where(eq(salesboardCache.tenantId, w.a.tenantId)).get();
  expect(row?.payload).toContain(payload);
};

export const SALESBOARD_CASES: Record<string, Case> = {
  "GET /api/v1/salesboard": (w) => noneOfA(w, "GET"),
  "POST /api/v1/salesboard/refresh": (w) => noneOfA(w, "POST"),
};
