import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messagePreferences, messageSuppressions, outboxMessages } from "../../../../schema/messaging";
import { salesActivities, salesLeads, salesTasks } from "../../../../schema/sales";
import { salesDrafts, salesEnrollments, salesInbound, salesStepVariants } from "../../../../schema/sales-sequences";
import { callJson, signUp, waitForMail, type TestUser } from "../../../../test/helpers";
import worker from "../../../index";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { runOutreachCron } from "../cron";
import { mailgunSignature } from "../inbound";
import { startOfNextDay } from "../schedule";
import { openToken } from "../opens";
import { replyDomain } from "../send";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { publishMessageFailed } from "../../messaging/failed-event";
import { CREDS, FakeProviders } from "../../messaging/test/fake-providers";

// The sequences part end to end inside workerd: API, the cron run as the scheduler runs it, messaging's
// real outbox queue and dev mailbox, Mailgun's inbound form with signatures computed for real.
const db = getDb(env.DB);
const KEY = "key-mailgun-signing-0123456789abcdef";
const mailgunEnv = { ...env, MAILGUN_WEBHOOK_SIGNING_KEY: KEY } as typeof env;
const ALWAYS_OPEN = { window_start: "00:00", window_end: "24:00", send_days: [0, 1, 2, 3, 4, 5, 6], timezone: "UTC" };

let u: TestUser;
const api = (method: string, path: string, body?: unknown, who: TestUser = u) =>
  callJson(`/api/v1${path}`, { method, token: who.accessToken, tenant: who.tenantId, ip: who.ip, body });

async function insertLead(tenantId: string, over: Partial<typeof salesLeads.$inferInsert> = {}) {
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
const emailOf = async (leadId: string) => (await db.select().from(salesLeads).where(eq(salesLeads.id, leadId)).get())?.email as string;
const enrollmentOf = (sequenceId: string, leadId: string) =>
  db
    .select()
    .from(salesEnrollments)
    .where(and(eq(salesEnrollments.sequenceId, sequenceId), eq(salesEnrollments.leadId, leadId)))
    .get();
const draftsOf = (enrollmentId: string) => db.select().from(salesDrafts).where(eq(salesDrafts.enrollmentId, enrollmentId));
/** Makes an enrolment due now (the cron takes due rows of every workspace: tests only make their own due). */
const makeDue = (id: string, at = Date.now() - 1000) =>
  db.update(salesEnrollments).set({ nextRunAt: at }).where(eq(salesEnrollments.id, id));

async function mailbox(who: TestUser, over: Record<string, unknown> = {}) {
  const r = await api(
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
async function activeSequence(who: TestUser, mailboxId: string, opts: { autoSend?: boolean; steps?: unknown[] } = {}) {
  const r = await api(
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
  const act = await api("POST", `/outreach/sequences/${r.body.id}/activate`, undefined, who);
  expect(act.status).toBe(200);
  return act.body as { id: string; steps: { id: string; variants: { id: string }[] }[] };
}

beforeAll(async () => {
  u = await signUp({ workspace: "Outbound Co" });
  await subscribeViaSimulator(u, { plan: "professional", seats: 5 }); // 100 campaigns; the free plan's 1 is tested on its own workspace
});

describe("mailboxes and sequences API", () => {
  it("validates mailboxes field by field", async () => {
    const bad = await api("POST", "/outreach/mailboxes", {
      from_email: "nope",
      from_name: "",
      timezone: "Mars/Olympus",
      window_start: "17:00",
      window_end: "09:00",
      send_days: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get("content-type")).toContain("application/problem+json");
    const paths = JSON.stringify(bad.body);
    for (const f of ["from_email", "from_name", "timezone", "send_days"]) expect(paths).toContain(f);
    const id = await mailbox(u, { timezone: "Asia/Tokyo", daily_limit: 20, signature: "— Sam" });
    const list = await api("GET", "/outreach/mailboxes");
    const row = list.body.data.find((m: { id: string }) => m.id === id);
    expect(row).toMatchObject({ timezone: "Asia/Tokyo", daily_limit: 20, window_start: "00:00", window_end: "24:00", sent_today: 0 });
    const dup = await api("POST", "/outreach/mailboxes", { from_email: row.from_email, from_name: "Again" });
    expect(dup.status).toBe(409);
    expect((await api("PATCH", `/outreach/mailboxes/${id}`, { window_start: "10:00", window_end: "16:30" })).body).toMatchObject({
      window_start: "10:00",
      window_end: "16:30",
    });
  });

  it("edits steps in place (counters kept), refuses archived edits, and the campaigns meter gates activation (402) and archive gives it back", async () => {
    const w = await signUp({ workspace: "Free Plan Outbound" });
    const mbx = await mailbox(w);
    const first = await activeSequence(w, mbx);
    const [step1] = first.steps;
    await db
      .update(salesStepVariants)
      .set({ sent: 7 })
      .where(eq(salesStepVariants.id, step1?.variants[0]?.id as string));
    const edited = await api(
      "PATCH",
      `/outreach/sequences/${first.id}`,
      {
        steps: [
          {
            id: step1?.id,
            kind: "email",
            delay_minutes: 5,
            variants: [{ id: step1?.variants[0]?.id, subject: "New subject", body: "New body" }],
          },
          {
            kind: "email",
            delay_minutes: 2880,
            condition: "opened_no_reply",
            variants: [{ label: "a", subject: "Bump", body: "Bumping this." }],
          },
        ],
      },
      w,
    );
    expect(edited.status).toBe(200);
    expect(edited.body.steps).toHaveLength(2);
    expect(edited.body.steps[0]).toMatchObject({
      id: step1?.id,
      delay_minutes: 5,
      variants: [{ subject: "New subject", sent: 7, label: "A" }],
    });
    expect(edited.body.steps[1]).toMatchObject({ position: 2, condition: "opened_no_reply" });

    const bad = await api(
      "POST",
      "/outreach/sequences",
      {
        name: "x",
        steps: [
          { kind: "email", delay_minutes: -1 },
          { kind: "task", delay_minutes: 0 },
        ],
      },
      w,
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("steps.0.delay_minutes");

    const second = await api(
      "POST",
      "/outreach/sequences",
      { name: "Second", mailbox_id: mbx, steps: [{ kind: "task", delay_minutes: 0, task_title: "Research" }] },
      w,
    );
    const over = await api("POST", `/outreach/sequences/${second.body.id}/activate`, undefined, w);
    expect(over.status).toBe(402);
    expect(over.body).toMatchObject({ meter: "campaigns", limit: 1 });
    expect(over.body.upgrade_url).toContain("/settings/billing");

    // Pause and re-activate: the same campaign, nothing new counted.
    expect((await api("POST", `/outreach/sequences/${first.id}/pause`, undefined, w)).body.status).toBe("paused");
    expect((await api("POST", `/outreach/sequences/${first.id}/activate`, undefined, w)).status).toBe(200);
    expect((await api("POST", `/outreach/sequences/${first.id}/archive`, undefined, w)).body.status).toBe("archived");
    expect((await api("PATCH", `/outreach/sequences/${first.id}`, { name: "Nope" }, w)).status).toBe(409);
    expect((await api("POST", `/outreach/sequences/${second.body.id}/activate`, undefined, w)).status).toBe(200);
    // The mailbox is in use by the active one; the archived one no longer holds it.
    expect((await api("DELETE", `/outreach/mailboxes/${mbx}`, undefined, w)).status).toBe(409);
    expect((await api("DELETE", `/outreach/sequences/${second.body.id}`, undefined, w)).status).toBe(409);
  });
});

describe("enrolment", () => {
  it("enrols by ids and counts every skip reason; a second enrolment skips the enrolled", async () => {
    const mbx = await mailbox(u, { timezone: "UTC", window_start: "09:00", window_end: "17:00", send_days: [1, 2, 3, 4, 5] });
    const seq = await activeSequence(u, mbx, { autoSend: false });
    const ok = await insertLead(u.tenantId, { timezone: "Asia/Tokyo" });
    const noEmail = await insertLead(u.tenantId, { email: null });
    const unsub = await insertLead(u.tenantId, { unsubscribedAt: Date.now() });
    const merged = await insertLead(u.tenantId, { mergedInto: ok });
    const bounced = await insertLead(u.tenantId);
    const optedOut = await insertLead(u.tenantId);
    await db.batch([
      db.insert(messageSuppressions).values({
        tenantId: u.tenantId,
        recipient: await emailOf(bounced),
        channel: "email",
        reason: "hard_bounce",
        createdAt: Date.now(),
      }),
      db.insert(messagePreferences).values({
        tenantId: u.tenantId,
        recipient: await emailOf(optedOut),
        category: "marketing",
        channel: "email",
        optedOut: true,
        source: "one_click",
        updatedAt: Date.now(),
      }),
    ]);
    const r = await api("POST", `/outreach/sequences/${seq.id}/enrol`, {
      lead_ids: [ok, noEmail, unsub, merged, bounced, optedOut, "lead_missing"],
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      enrolled: 1,
      skipped: { already_enrolled: 0, unsubscribed: 2, bounced: 1, merged_or_missing: 2, no_email: 1 },
    });
    const again = await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [ok] });
    expect(again.body).toMatchObject({ enrolled: 0, skipped: { already_enrolled: 1 } });

    // The first step is due at the next 09:00 in the lead's zone (Tokyo) on a weekday.
    const e = await enrollmentOf(seq.id, ok);
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Tokyo",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    }).format(new Date(e?.nextRunAt ?? 0));
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) (09|1[0-6]):\d\d$/);
    const acts = await db
      .select()
      .from(salesActivities)
      .where(and(eq(salesActivities.leadId, ok), eq(salesActivities.kind, "enrolled")));
    expect(acts).toHaveLength(1);
    const list = await api("GET", `/outreach/sequences/${seq.id}/enrollments`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ lead_id: ok, status: "active", next_step: 1, lead_name: "Grace Hopper" });
    expect((await api("GET", `/outreach/sequences/${seq.id}`)).body.counts).toEqual({ enrolled: 1, active: 1, replied: 0 });

    // By filter (default: the sequence's own enrol_filter): only tagged leads with an email, not yet enrolled.
    const tag = `vip-${Date.now()}`;
    const [t1, t2] = [await insertLead(u.tenantId, { tags: [tag] }), await insertLead(u.tenantId, { tags: [tag, "x"] })];
    await insertLead(u.tenantId, { tags: [tag], email: null });
    await insertLead(u.tenantId, { tags: ["other"] });
    await api("PATCH", `/outreach/sequences/${seq.id}`, { enrol_filter: { tags: [tag] } });
    expect((await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [t1] })).body.enrolled).toBe(1);
    const byFilter = await api("POST", `/outreach/sequences/${seq.id}/enrol`, {});
    expect(byFilter.body).toMatchObject({ enrolled: 1, skipped: { already_enrolled: 1 } });
    expect(await enrollmentOf(seq.id, t2)).toMatchObject({ status: "active", nextStep: 1 });

    const stop = await api("POST", `/outreach/enrollments/${e?.id}/stop`);
    expect(stop.body).toMatchObject({ status: "finished", stop_reason: "manual" });
    expect((await api("POST", `/outreach/enrollments/${e?.id}/stop`)).status).toBe(409);
  });
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

describe("inbound replies", () => {
  async function sentDraft() {
    const mbx = await mailbox(u);
    const seq = await activeSequence(u, mbx);
    const lead = await insertLead(u.tenantId);
    await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [lead] });
    const e = await enrollmentOf(seq.id, lead);
    await makeDue(e?.id as string);
    await runOutreachCron(env, Date.now());
    const d = (await draftsOf(e?.id as string))[0];
    expect(d?.status).toBe("sent");
    return { seq, lead, enrollmentId: e?.id as string, draft: d as NonNullable<typeof d> };
  }

  async function postMailgun(fields: Record<string, string>, opts: { key?: string; timestamp?: number } = {}) {
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const token = crypto.randomUUID().replace(/-/g, "");
    const signature = await mailgunSignature(opts.key ?? KEY, timestamp, token);
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...fields, timestamp, token, signature })) form.set(k, v);
    const res = await worker.fetch(
      new Request("http://weft.test/webhooks/outreach/mailgun", { method: "POST", body: form }),
      mailgunEnv,
      createExecutionContext(),
    );
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get("content-type") };
  }

  it("a signed Mailgun reply stops the enrolment, counts on the lead and the variant; a replay changes nothing", async () => {
    const { seq, lead, enrollmentId, draft } = await sentDraft();
    const email = await emailOf(lead);
    const fields = {
      sender: email,
      from: `Grace Hopper <${email}>`,
      recipient: `reply+${draft.id}@reply.weft.test`,
      subject: `Re: ${draft.subject}`,
      "body-plain": "Interested — let's talk Tuesday.\n\n> On Monday Sam wrote:\n> ...",
      "stripped-text": "Interested — let's talk Tuesday.",
      "Message-Id": `<reply-${draft.id}@mail.prospect.test>`,
      "In-Reply-To": `<${draft.id}@reply.weft.test>`,
      References: `<${draft.id}@reply.weft.test>`,
    };
    const r = await postMailgun(fields);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ matched: true, duplicate: false, sentiment: "positive", enrollment_stopped: true });
    expect(await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, enrollmentId)).get()).toMatchObject({
      status: "finished",
      stopReason: "replied",
    });
    const v = await db.select().from(salesStepVariants).where(eq(salesStepVariants.id, draft.variantId)).get();
    expect(v).toMatchObject({ replies: 1, positiveReplies: 1 });
    expect(await db.select().from(salesLeads).where(eq(salesLeads.id, lead)).get()).toMatchObject({ replies: 1, status: "engaged" });
    expect((await db.select().from(salesDrafts).where(eq(salesDrafts.id, draft.id)).get())?.outcome).toBe("positive");
    expect((await api("GET", `/outreach/sequences/${seq.id}`)).body.counts).toMatchObject({ replied: 1, active: 0 });

    const replay = await postMailgun(fields);
    expect(replay.body).toMatchObject({ matched: true, duplicate: true, enrollment_stopped: false });
    expect((await db.select().from(salesStepVariants).where(eq(salesStepVariants.id, draft.variantId)).get())?.replies).toBe(1);
    expect(await db.select().from(salesInbound).where(eq(salesInbound.draftId, draft.id))).toHaveLength(1);
    const replied = await db
      .select()
      .from(salesActivities)
      .where(and(eq(salesActivities.leadId, lead), eq(salesActivities.kind, "email_replied")));
    expect(replied).toHaveLength(1);
  });

  it("refuses bad signatures (401) and stale timestamps (406); matches by In-Reply-To; out-of-office does not stop", async () => {
    const { enrollmentId, draft } = await sentDraft();
    const base = {
      recipient: "sales@seller.test",
      subject: "Re: hi",
      "stripped-text": "Not interested.",
      "Message-Id": `<x-${draft.id}@p.test>`,
      "In-Reply-To": `<${draft.id}@reply.weft.test>`,
    };
    const forged = await postMailgun(base, { key: "key-wrong" });
    expect(forged.status).toBe(401);
    expect(forged.type).toContain("application/problem+json");
    expect((await postMailgun(base, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(406);
    expect((await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, enrollmentId)).get())?.status).toBe("active");

    const ooo = await postMailgun({
      ...base,
      subject: "Automatic reply: Re: hi",
      "stripped-text": "I am out of the office until Monday.",
      "Message-Id": `<ooo-${draft.id}@p.test>`,
    });
    expect(ooo.body).toMatchObject({ matched: true, sentiment: "auto_reply", enrollment_stopped: false });
    expect((await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, enrollmentId)).get())?.status).toBe("active");

    const no = await postMailgun(base);
    expect(no.body).toMatchObject({ matched: true, sentiment: "negative", enrollment_stopped: true });
    expect(await db.select().from(salesStepVariants).where(eq(salesStepVariants.id, draft.variantId)).get()).toMatchObject({
      replies: 1,
      positiveReplies: 0,
    });
    const unmatched = await postMailgun({ ...base, "In-Reply-To": "<abc@gmail.test>", "Message-Id": "<unmatched@p.test>" });
    expect(unmatched.body).toMatchObject({ matched: false });
  });

  it("the dev inbox replies as the lead through the same path (own workspace only)", async () => {
    const { enrollmentId, draft } = await sentDraft();
    const other = await signUp({ workspace: "Someone Else" });
    expect((await api("POST", "/outreach/dev-inbox/reply", { draft_id: draft.id, text: "Sounds good" }, other)).status).toBe(404);
    // A draft still waiting for approval has not reached the lead: nothing to answer.
    const manual = await activeSequence(u, await mailbox(u), { autoSend: false });
    const waitingLead = await insertLead(u.tenantId);
    await api("POST", `/outreach/sequences/${manual.id}/enrol`, { lead_ids: [waitingLead] });
    const we = (await enrollmentOf(manual.id, waitingLead))?.id as string;
    await makeDue(we);
    await runOutreachCron(env, Date.now());
    const pending = (await draftsOf(we))[0];
    expect(pending?.status).toBe("pending");
    expect((await api("POST", "/outreach/dev-inbox/reply", { draft_id: pending?.id, text: "hi" })).status).toBe(409);
    const bad = await api("POST", "/outreach/dev-inbox/reply", { draft_id: draft.id, text: "" });
    expect(bad.status).toBe(400);
    const r = await api("POST", "/outreach/dev-inbox/reply", { draft_id: draft.id, text: "Sounds good, book a call" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ matched: true, sentiment: "positive", enrollment_stopped: true });
    expect((await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, enrollmentId)).get())?.stopReason).toBe("replied");
    const inbound = await db.select().from(salesInbound).where(eq(salesInbound.draftId, draft.id));
    expect(inbound[0]).toMatchObject({ provider: "dev", fromEmail: await emailOf(draft.leadId), sentiment: "positive" });
  });
});

describe("open tracking", () => {
  /** A sent first email of a sequence whose second step runs only for leads who opened and did not reply. */
  async function sentWithOpenedStep(opts: { trackOpens?: boolean } = {}) {
    const mbx = await mailbox(u);
    const email = (subject: string) => ({ kind: "email", delay_minutes: 0, variants: [{ subject, body: "Hi {{first_name}}" }] });
    const seq = await activeSequence(u, mbx, {
      steps: [email(`Hello ${crypto.randomUUID().slice(0, 8)}`), { ...email("Since you read it"), condition: "opened_no_reply" }],
    });
    expect((seq as unknown as { track_opens: boolean }).track_opens).toBe(true); // on by default
    if (opts.trackOpens === false) {
      const off = await api("PATCH", `/outreach/sequences/${seq.id}`, { track_opens: false });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      expect(off.body.track_opens).toBe(false);
    }
    const lead = await insertLead(u.tenantId);
    await api("POST", `/outreach/sequences/${seq.id}/enrol`, { lead_ids: [lead] });
    const e = (await enrollmentOf(seq.id, lead))?.id as string;
    await makeDue(e);
    const now = Date.now();
    await runOutreachCron(env, now);
    const d = (await draftsOf(e))[0];
    expect(d?.status).toBe("sent");
    return { seq, lead, enrollmentId: e, draft: d as NonNullable<typeof d>, now };
  }
  const pixel = async (path: string) => {
    const res = await worker.fetch(new Request(`http://weft.test${path}`), env, createExecutionContext());
    return {
      status: res.status,
      type: res.headers.get("content-type"),
      cache: res.headers.get("cache-control"),
      bytes: new Uint8Array(await res.arrayBuffer()),
    };
  };
  const opensOf = async (lead: string) => ({
    activities: await db
      .select()
      .from(salesActivities)
      .where(and(eq(salesActivities.leadId, lead), eq(salesActivities.kind, "email_opened"))),
    lead: await db.select().from(salesLeads).where(eq(salesLeads.id, lead)).get(),
  });

  it("the sent email's HTML ends with the pixel; fetching it records one open however often; opens never stop the sequence", async () => {
    const { seq, lead, enrollmentId, draft, now } = await sentWithOpenedStep();
    const mail = await waitForMail(await emailOf(lead), draft.subject);
    const src = mail.html.match(/<img src="(https?:\/\/[^"]+\/public\/v1\/outreach\/o\/[A-Za-z0-9_.-]+\.gif)" width="1" height="1"/)?.[1];
    expect(src, mail.html).toBeTruthy();
    expect(mail.text).not.toContain("/outreach/o/"); // the text part has no pixel
    const path = new URL(src as string).pathname;

    const [a, b] = await Promise.all([pixel(path), pixel(path)]);
    const c = await pixel(path);
    for (const r of [a, b, c]) {
      expect(r).toMatchObject({ status: 200, type: "image/gif" });
      expect(r.cache).toContain("no-store");
      expect(new TextDecoder().decode(r.bytes.slice(0, 6))).toBe("GIF89a");
    }
    const { activities, lead: l } = await opensOf(lead);
    expect(activities).toHaveLength(1);
    expect(activities[0]?.data).toMatchObject({ draft_id: draft.id, sequence_id: seq.id, variant_id: draft.variantId });
    expect(l?.opens).toBe(1);
    expect(l?.scoredAt ?? 0).toBeGreaterThanOrEqual(now); // re-scored with the open

    // The open did not stop the enrolment: the opened_no_reply step now holds and sends.
    expect(await enrollmentOf(seq.id, lead)).toMatchObject({ status: "active", nextStep: 2 });
    await runOutreachCron(env, now + 1);
    expect((await draftsOf(enrollmentId)).map((x) => x.subject).sort()).toEqual([draft.subject, "Since you read it"].sort());
  });

  it("a forged token, another workspace's token or a malformed path records nothing and gets the same GIF", async () => {
    const { lead, draft } = await sentWithOpenedStep();
    const other = await signUp({ workspace: "Pixel Other Co" });
    const good = await openToken(env, u.tenantId, draft.id);
    const [payload, sig] = good.split(".") as [string, string];
    const forgedSig = `${payload}.${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`;
    const forgedPayload = `${btoa(`${u.tenantId}\n${draft.id}x`).replace(/=+$/, "")}.${sig}`;
    const otherTenant = await openToken(env, other.tenantId, draft.id); // validly signed, but names the other workspace
    const wrongKey = await openToken(
      { ...env, JWT_SECRET: "another-secret-that-is-long-enough-0000000" } as typeof env,
      u.tenantId,
      draft.id,
    );
    const reference = await pixel(`/public/v1/outreach/o/${good.slice(0, 10)}.gif`);
    for (const t of [`${forgedSig}.gif`, `${forgedPayload}.gif`, `${otherTenant}.gif`, `${wrongKey}.gif`, "nope.gif", good]) {
      const r = await pixel(`/public/v1/outreach/o/${t}`);
      expect(r).toMatchObject({ status: 200, type: "image/gif" });
      expect(r.bytes).toEqual(reference.bytes);
    }
    const { activities, lead: l } = await opensOf(lead);
    expect(activities).toHaveLength(0);
    expect(l?.opens).toBe(0);
  });

  it("a sequence with tracking off sends no pixel, and its drafts' tokens record nothing", async () => {
    const { lead, draft } = await sentWithOpenedStep({ trackOpens: false });
    const mail = await waitForMail(await emailOf(lead), draft.subject);
    expect(mail.html).not.toContain("/outreach/o/");
    expect(mail.html).not.toContain("<img");
    const r = await pixel(`/public/v1/outreach/o/${await openToken(env, u.tenantId, draft.id)}.gif`);
    expect(r).toMatchObject({ status: 200, type: "image/gif" });
    const { activities, lead: l } = await opensOf(lead);
    expect(activities).toHaveLength(0);
    expect(l?.opens).toBe(0);
  });
});
