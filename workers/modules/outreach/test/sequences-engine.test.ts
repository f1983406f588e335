import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messagePreferences, messageSuppressions, outboxMessages } from "../../../../schema/messaging";
import { salesActivities, salesLeads, salesTasks } from "../../../../schema/sales";
import { salesStepVariants } from "../../../../schema/sales-sequences";
import { signUp, waitForMail, type TestUser } from "../../../../test/helpers";
import { runOutreachCron } from "../cron";
import { startOfNextDay } from "../schedule";
import { replyDomain } from "../send";
import { publishMessageFailed } from "../../messaging/failed-event";
import { CREDS, FakeProviders } from "../../messaging/test/fake-providers";
import {
  db,
  callAs,
  insertLead,
  emailOf,
  enrollmentOf,
  draftsOf,
  makeDue,
  mailbox,
  activeSequence,
  outboundWorkspace,
} from "./sequences.fixtures";

// Sequences in workerd: the engine (the cron run as the scheduler runs it), sending as the mailbox and bounces.
let u: TestUser;
const api = (method: string, path: string, body?: unknown, who: TestUser = u) => callAs(method, path, body, who);

beforeAll(async () => {
  u = await outboundWorkspace();
});

describe("the engine", () => {
  it("a cron run twice at once drafts and sends once; threading headers; then the task step waits for its task", async () => {
    const mbx = await mailbox(u, { signature: "Sam Seller\nSeller Inc" });
    const seq = await activeSequence(u, mbx);
    const lead = await insertLead(u.tenantId);
    await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [lead] });
    const e = await enrollmentOf(seq.id, lead);
    await makeDue(e?.id as string);

    const now = Date.now();
    await Promise.all([runOutreachCron(env, now), runOutreachCron(env, now)]);
    await Promise.all([runOutreachCron(env, now), runOutreachCron(env, now)]);
    const drafts = await draftsOf(e?.id as string);
    expect(drafts).toHaveLength(1);
    const d = drafts[0] as (typeof drafts)[number];
    expect(d.status).toBe("sent");
    const outbox = await db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.idempotencyKey, `${u.tenantId}:outreach:${d.id}:email`));
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.category).toBe("marketing");
    const headers = (outbox[0]?.data as { email_headers?: Record<string, string> } | undefined)?.email_headers ?? {};
    expect(headers["Message-ID"]).toBe(`<${d.id}@${replyDomain(env)}>`);
    expect(headers["Reply-To"]).toBe(`"Sam Seller" <reply+${d.id}@${replyDomain(env)}>`);
    const mail = await waitForMail(await emailOf(lead), d.subject);
    expect(mail.text).toContain("Seller Inc");
    expect(mail.text).toMatch(/Unsubscribe: https?:\/\/\S+unsubscribe\?token=/);

    const variant = await db.select().from(salesStepVariants).where(eq(salesStepVariants.id, d.variantId)).get();
    expect(variant?.sent).toBe(1);
    const l = await db.select().from(salesLeads).where(eq(salesLeads.id, lead)).get();
    expect(l).toMatchObject({ emailsSent: 1, status: "contacted" });
    expect(l?.lastContactedAt).toBe(now);
    let en = await enrollmentOf(seq.id, lead);
    expect(en).toMatchObject({ nextStep: 2, waitingOn: null, threadId: `<${d.id}@${replyDomain(env)}>`, lastSentAt: now });
    expect(en?.nextRunAt).toBe(now + 60 * 60_000); // the task step's delay (window always open)

    // Step 2 (task): a task for the lead; the enrolment waits until it is done.
    const later = now + 61 * 60_000;
    await runOutreachCron(env, later);
    en = await enrollmentOf(seq.id, lead);
    expect(en?.waitingOn).toMatch(/^task:/);
    const taskId = en?.waitingOn?.slice(5) as string;
    const task = await db.select().from(salesTasks).where(eq(salesTasks.id, taskId)).get();
    expect(task).toMatchObject({ title: "Call Grace", leadId: lead, enrollmentId: e?.id, origin: "sequence" });
    await runOutreachCron(env, (en?.nextRunAt ?? 0) + 1);
    expect((await enrollmentOf(seq.id, lead))?.status).toBe("active");
    await db.update(salesTasks).set({ doneAt: later }).where(eq(salesTasks.id, taskId));
    await makeDue(e?.id as string, later);
    await runOutreachCron(env, later + 1);
    en = await enrollmentOf(seq.id, lead);
    expect(en).toMatchObject({ status: "finished", stopReason: "completed" });
  });

  it("a step whose condition does not hold is skipped (opened_no_reply without opens → the sequence completes)", async () => {
    const mbx = await mailbox(u);
    const email = (subject: string) => ({ kind: "email", delay_minutes: 0, variants: [{ subject, body: "Hi {{first_name}}" }] });
    const seq = await activeSequence(u, mbx, { steps: [email("First"), { ...email("Only if opened"), condition: "opened_no_reply" }] });
    const lead = await insertLead(u.tenantId);
    await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [lead] });
    const e = (await enrollmentOf(seq.id, lead))?.id as string;
    await makeDue(e);
    const now = Date.now();
    await runOutreachCron(env, now);
    expect(await enrollmentOf(seq.id, lead)).toMatchObject({ nextStep: 2, nextRunAt: now });
    await runOutreachCron(env, now + 1);
    expect(await enrollmentOf(seq.id, lead)).toMatchObject({ status: "finished", stopReason: "completed" });
    expect(await draftsOf(e)).toHaveLength(1); // no draft for the skipped step
  });

  it("a mailbox's daily limit spills the next draft to its next day", async () => {
    const mbx = await mailbox(u, { daily_limit: 1, timezone: "America/New_York", window_start: "00:00", window_end: "24:00" });
    const seq = await activeSequence(u, mbx);
    const [a, b] = [await insertLead(u.tenantId), await insertLead(u.tenantId)];
    await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [a, b] });
    for (const l of [a, b]) await makeDue((await enrollmentOf(seq.id, l))?.id as string);
    const now = Date.now();
    await runOutreachCron(env, now);
    const rows = [
      ...(await draftsOf((await enrollmentOf(seq.id, a))?.id as string)),
      ...(await draftsOf((await enrollmentOf(seq.id, b))?.id as string)),
    ];
    expect(rows).toHaveLength(2);
    const sent = rows.filter((r) => r.status === "sent");
    const waiting = rows.filter((r) => r.status === "scheduled");
    expect(sent).toHaveLength(1);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.sendAt).toBe(startOfNextDay(now, "America/New_York"));
    const mb = (await api("GET", "/outreach/mailboxes?limit=100")).body.data.find((m: { id: string }) => m.id === mbx);
    expect(mb.sent_today).toBe(1);
  });

  it("stops on bounce and on unsubscribe (messaging's suppressions and one-click opt-outs), cancelling unsent drafts", async () => {
    const mbx = await mailbox(u);
    const seq = await activeSequence(u, mbx, { autoSend: false });
    const [bouncer, leaver] = [await insertLead(u.tenantId), await insertLead(u.tenantId)];
    await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [bouncer, leaver] });
    const eb = (await enrollmentOf(seq.id, bouncer))?.id as string;
    const el = (await enrollmentOf(seq.id, leaver))?.id as string;
    await makeDue(eb);
    await makeDue(el);
    await runOutreachCron(env, Date.now());
    expect((await draftsOf(el))[0]?.status).toBe("pending");
    await db.batch([
      db.insert(messageSuppressions).values({
        tenantId: u.tenantId,
        recipient: await emailOf(bouncer),
        channel: "email",
        reason: "hard_bounce",
        createdAt: Date.now(),
      }),
      db.insert(messagePreferences).values({
        tenantId: u.tenantId,
        recipient: await emailOf(leaver),
        category: "*",
        channel: "*",
        optedOut: true,
        source: "one_click",
        updatedAt: Date.now(),
      }),
    ]);
    await makeDue(eb);
    await makeDue(el);
    await runOutreachCron(env, Date.now());
    expect(await enrollmentOf(seq.id, bouncer)).toMatchObject({ status: "finished", stopReason: "bounced" });
    expect(await enrollmentOf(seq.id, leaver)).toMatchObject({ status: "finished", stopReason: "unsubscribed" });
    expect((await draftsOf(el))[0]?.status).toBe("cancelled");
    const stopped = await db
      .select()
      .from(salesActivities)
      .where(and(eq(salesActivities.leadId, leaver), eq(salesActivities.kind, "sequence_stopped")));
    expect(stopped).toHaveLength(1);
    // The CRM learns it too: the leads are flagged (never enrolled again) and their timelines say why.
    expect((await db.select().from(salesLeads).where(eq(salesLeads.id, bouncer)).get())?.bouncedAt).toBeTypeOf("number");
    expect((await db.select().from(salesLeads).where(eq(salesLeads.id, leaver)).get())?.unsubscribedAt).toBeTypeOf("number");
    const why = await db
      .select()
      .from(salesActivities)
      .where(and(eq(salesActivities.leadId, leaver), eq(salesActivities.kind, "unsubscribed")));
    expect(why).toHaveLength(1);
    expect((await api("GET", `/outreach/sequences/${seq.id}`)).body.counts).toMatchObject({ enrolled: 2, active: 0 });
  });
});

describe("sending as the mailbox; bounces", () => {
  it("the email goes out From the mailbox's name and address, not the provider account's default", async () => {
    const fake = new FakeProviders();
    fake.install();
    try {
      const own = await signUp({ workspace: "From Co" }); // the free plan's one campaign
      const p = await api(
        "POST",
        "/messaging/providers",
        {
          provider: "resend",
          from: "Workspace Default <noreply@fromco.test>",
          credentials: { api_key: CREDS.resend },
          rate_per_second: 100,
        },
        own,
      );
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      const mbx = await mailbox(own, { from_email: "rita@fromco.test", from_name: "Rita Rep" });
      const seq = await activeSequence(own, mbx);
      const lead = await insertLead(own.tenantId);
      await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [lead] }, own);
      await makeDue((await enrollmentOf(seq.id, lead))?.id as string);
      await runOutreachCron(env, Date.now());
      const to = await emailOf(lead);
      const deadline = Date.now() + 15_000;
      while (!fake.to("api.resend.com").some((r) => r.body.includes(to)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const sent = JSON.parse(fake.to("api.resend.com").find((r) => r.body.includes(to))?.body ?? "{}");
      expect(sent.from).toBe('"Rita Rep" <rita@fromco.test>');
      expect(sent.headers["Reply-To"]).toMatch(/^"Rita Rep" <reply\+drf_/);
    } finally {
      fake.uninstall();
    }
  });

  it("a bounce reported for a draft's email stops the lead's enrolments at once (no cron run); a transient failure does not", async () => {
    const mbx = await mailbox(u);
    const seq = await activeSequence(u, mbx);
    const [bouncer, flaky] = [await insertLead(u.tenantId), await insertLead(u.tenantId)];
    await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [bouncer, flaky] });
    for (const l of [bouncer, flaky]) await makeDue((await enrollmentOf(seq.id, l))?.id as string);
    await runOutreachCron(env, Date.now());
    const sentDraft = async (l: string) => (await draftsOf((await enrollmentOf(seq.id, l))?.id as string))[0];
    const [db1, db2] = [await sentDraft(bouncer), await sentDraft(flaky)];
    expect([db1?.status, db2?.status]).toEqual(["sent", "sent"]);
    const out = async (d: typeof db1) =>
      (await db
        .select()
        .from(outboxMessages)
        .where(eq(outboxMessages.id, d?.messageId as string))
        .get()) as typeof outboxMessages.$inferSelect;
    // What messaging's provider callback does for a hard bounce: the suppression, then message.failed.
    await db.insert(messageSuppressions).values({
      tenantId: u.tenantId,
      recipient: await emailOf(bouncer),
      channel: "email",
      reason: "hard_bounce",
      createdAt: Date.now(),
    });
    await publishMessageFailed(db, env, await out(db1), "resend: bounced");
    await publishMessageFailed(db, env, await out(db2), "resend: mailbox full (soft)");
    expect(await enrollmentOf(seq.id, bouncer)).toMatchObject({ status: "finished", stopReason: "bounced" });
    expect(await enrollmentOf(seq.id, flaky)).toMatchObject({ status: "active" });
    expect((await sentDraft(bouncer))?.outcome).toBe("bounced");
    expect((await db.select().from(salesLeads).where(eq(salesLeads.id, bouncer)).get())?.bouncedAt).toBeTypeOf("number");
    const lines = await db
      .select()
      .from(salesActivities)
      .where(and(eq(salesActivities.leadId, bouncer), eq(salesActivities.kind, "email_bounced")));
    expect(lines).toHaveLength(1);
  });
});
