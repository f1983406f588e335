import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { salesLeads } from "../../../../schema/sales";
import { salesDrafts, salesEnrollments } from "../../../../schema/sales-sequences";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";

// Fixtures of the sequences tests (sequences-*.test.ts), end to end inside workerd: API, the cron run as the
// scheduler runs it, messaging's real outbox queue and dev mailbox, Mailgun's inbound form with signatures
// computed for real.
export const db = getDb(env.DB);
export const KEY = "key-mailgun-signing-0123456789abcdef";
export const mailgunEnv = { ...env, MAILGUN_WEBHOOK_SIGNING_KEY: KEY } as typeof env;
export const ALWAYS_OPEN = { window_start: "00:00", window_end: "24:00", send_days: [0, 1, 2, 3, 4, 5, 6], timezone: "UTC" };

/** The API as `who` (each test file binds its own workspace as the default). */
export const callAs = (method: string, path: string, body: unknown, who: TestUser) =>
  callJson(`/api/v1${path}`, { method, token: who.accessToken, tenant: who.tenantId, ip: who.ip, body });

export async function insertLead(tenantId: string, over: Partial<typeof salesLeads.$inferInsert> = {}) {
  const id = newId("lead");
  const now = Date.now();
  await db.insert(salesLeads).values({
    tenantId,
    id,
    email: `lead-${id.slice(-8)}@prospect.test`,
    firstName: "Grace",
    lastName: "Hopper",
    companyName: "Compilers Inc",
    createdAt: now,
    updatedAt: now,
    ...over,
  });
  return id;
}
export const emailOf = async (leadId: string) =>
  (await db.select().from(salesLeads).where(eq(salesLeads.id, leadId)).get())?.email as string;
export const enrollmentOf = (sequenceId: string, leadId: string) =>
  db
    .select()
    .from(salesEnrollments)
    .where(and(eq(salesEnrollments.sequenceId, sequenceId), eq(salesEnrollments.leadId, leadId)))
    .get();
export const draftsOf = (enrollmentId: string) => db.select().from(salesDrafts).where(eq(salesDrafts.enrollmentId, enrollmentId));
/** Makes an enrolment due now (the cron takes due rows of every workspace: tests only make their own due). */
export const makeDue = (id: string, at = Date.now() - 1000) =>
  db.update(salesEnrollments).set({ nextRunAt: at }).where(eq(salesEnrollments.id, id));

export async function mailbox(who: TestUser, over: Record<string, unknown> = {}) {
  const r = await callAs(
    "POST",
    "/outreach/mailboxes",
    {
      from_email: `sdr-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@seller.test`,
      from_name: "Sam Seller",
      ...ALWAYS_OPEN,
      ...over,
    },
    who,
  );
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** An auto-send sequence: an email step (variants A/B) then a manual task step, active. */
export async function activeSequence(who: TestUser, mailboxId: string, opts: { autoSend?: boolean; steps?: unknown[] } = {}) {
  const r = await callAs(
    "POST",
    "/outreach/sequences",
    {
      name: `Seq ${Date.now()}`,
      mailbox_id: mailboxId,
      auto_send: opts.autoSend ?? true,
      steps: opts.steps ?? [
        {
          kind: "email",
          delay_minutes: 0,
          variants: [
            { subject: "Quick question, {{first_name}}", body: "Hi {{first_name}},\n\nWould a short call about {{company}} make sense?" },
            { subject: "Idea for {{company}}", body: "Hi {{first_name}},\n\nOne idea for {{company}}: shorter release cycles." },
          ],
        },
        { kind: "task", delay_minutes: 60, condition: "no_reply", task_title: "Call Grace" },
      ],
    },
    who,
  );
  expect(r.status).toBe(201);
  const act = await callAs("POST", `/outreach/sequences/${r.body.id}/activate`, undefined, who);
  expect(act.status).toBe(200);
  return act.body as { id: string; steps: { id: string; variants: { id: string }[] }[] };
}

/** The workspace a test file works in: Professional, for 100 campaigns (the free plan's 1 is tested on its own workspace). */
export async function outboundWorkspace(): Promise<TestUser> {
  const u = await signUp({ workspace: "Outbound Co" });
  await subscribeViaSimulator(u, { plan: "professional", seats: 5 });
  return u;
}
