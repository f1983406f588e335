import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { salesActivities, salesLeads } from "../../../../schema/sales";
import { salesDrafts, salesEnrollments, salesInbound, salesStepVariants } from "../../../../schema/sales-sequences";
import { signUp, waitForMail, type TestUser } from "../../../../test/helpers";
import worker from "../../../index";
import { runOutreachCron } from "../cron";
import { mailgunSignature } from "../inbound";
import { openToken } from "../opens";
import {
  db,
  KEY,
  mailgunEnv,
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

// Sequences in workerd: inbound replies (Mailgun's form, signatures computed for real) and open tracking.
let u: TestUser;
const api = (method: string, path: string, body?: unknown, who: TestUser = u) => callAs(method, path, body, who);

beforeAll(async () => {
  u = await outboundWorkspace();
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
