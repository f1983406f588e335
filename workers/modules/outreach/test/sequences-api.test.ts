import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messagePreferences, messageSuppressions } from "../../../../schema/messaging";
import { salesActivities } from "../../../../schema/sales";
import { salesStepVariants } from "../../../../schema/sales-sequences";
import { signUp, type TestUser } from "../../../../test/helpers";
import { db, callAs, insertLead, emailOf, enrollmentOf, mailbox, activeSequence, outboundWorkspace } from "./sequences.fixtures";

// Sequences in workerd: the mailboxes and sequences API, and enrolment.
let u: TestUser;
const api = (method: string, path: string, body?: unknown, who: TestUser = u) => callAs(method, path, body, who);

beforeAll(async () => {
  u = await outboundWorkspace();
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
