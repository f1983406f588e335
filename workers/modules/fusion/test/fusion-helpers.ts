import { env } from "cloudflare:workers";
import { expect } from "vitest";
import {
  salesDrafts,
  salesEnrollments,
  salesInbound,
  salesSequenceSteps,
  salesSequences,
  salesStepVariants,
} from "../../../../schema/sales-sequences";
import { salesCalls } from "../../../../schema/voice";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";

export const db = getDb(env.DB);

export const asUser =
  (u: TestUser) =>
  (path: string, opts: { method?: string; body?: unknown } = {}) =>
    callJson(path, { ...opts, token: u.accessToken, tenant: u.tenantId, ip: u.ip });

/** A workspace on Professional (knowledge fusion is a Professional feature). */
export async function professional(): Promise<TestUser> {
  const u = await signUp();
  await subscribeViaSimulator(u, { plan: "professional", seats: 10 });
  return u;
}

export const T1_PRICE = "Honestly it is too expensive for what we get.";
export const T1_ANSWER = "Most teams save the licence cost within a quarter because our route planner cuts freight delays by a third.";

/** Two call transcripts (voice's "Speaker: line" text) and one email thread with a positive reply. */
export async function seedSources(tenantId: string, at = Date.now() - 3_600_000) {
  const call = (title: string, leadId: string, text: string, occurredAt: number) => ({
    tenantId,
    id: newId("call"),
    title,
    leadId,
    source: "transcript" as const,
    format: "text" as const,
    status: "transcribed" as const,
    transcriptText: text,
    occurredAt,
    createdAt: occurredAt,
    updatedAt: occurredAt,
  });
  const t1 = call(
    "Discovery call with Dana (Northwind)",
    "lead_dana",
    [
      "Rep: Thanks for taking the call. How are you handling freight planning today?",
      `Dana: We already use Acme Route for planning. ${T1_PRICE}`,
      `Rep: ${T1_ANSWER}`,
      "Dana: That makes sense. Does it integrate with our SAP system?",
      "Rep: Yes, the SAP connector syncs orders every five minutes.",
      "Dana: How long does onboarding take for a new depot?",
      "Rep: Onboarding takes two weeks per depot, with a named engineer.",
      "Dana: Acme Route is easy to use but slow with large fleets.",
    ].join("\n"),
    at,
  );
  const t2 = call(
    "Demo with Lee (Contoso Freight)",
    "lead_lee",
    [
      "Rep: Hi Lee, thanks for joining the demo.",
      "Lee: Does it integrate with SAP at all?",
      "Rep: It does: the SAP connector syncs orders every five minutes.",
      "Lee: Good. Right now this is not a priority for us.",
      "Rep: Understood; teams usually start with one depot, so trying it costs nothing.",
    ].join("\n"),
    at + 60_000,
  );
  await db.insert(salesCalls).values([t1, t2]);

  const seq = { tenantId, id: newId("seq"), name: "Freight leaders Q4", status: "active" as const, createdAt: at, updatedAt: at };
  const step = { tenantId, id: newId("sstep"), sequenceId: seq.id, position: 1, kind: "email" as const, createdAt: at };
  const varA = {
    tenantId,
    id: newId("svar"),
    stepId: step.id,
    label: "A",
    subject: "Cut freight delays",
    body: "x",
    sent: 20,
    replies: 5,
    positiveReplies: 3,
    createdAt: at,
  };
  const varB = {
    tenantId,
    id: newId("svar"),
    stepId: step.id,
    label: "B",
    subject: "Quick question",
    body: "y",
    sent: 20,
    replies: 2,
    positiveReplies: 0,
    createdAt: at,
  };
  const enr = {
    tenantId,
    id: newId("enr"),
    sequenceId: seq.id,
    leadId: "lead_kim",
    status: "finished" as const,
    stopReason: "replied" as const,
    createdAt: at,
    updatedAt: at,
  };
  const draft = {
    tenantId,
    id: newId("drf"),
    enrollmentId: enr.id,
    sequenceId: seq.id,
    stepId: step.id,
    variantId: varA.id,
    leadId: "lead_kim",
    subject: "Cut freight delays at Fabrikam",
    body: "Hi Kim, our route planner cuts freight delays by a third for logistics teams.\n\nWorth a look?",
    writer: "local-writer-v1",
    status: "sent" as const,
    sentAt: at + 120_000,
    createdAt: at,
    updatedAt: at,
  };
  const reply = {
    tenantId,
    id: newId("inb"),
    provider: "dev",
    providerMessageId: newId("msg"),
    fromEmail: "kim@fabrikam.example",
    toEmail: "reply@x.example",
    subject: "Re: Cut freight delays at Fabrikam",
    text: "We switched from Acme Route last year. Does it integrate with SAP? Interested in a demo.\n\nOn Monday, Us wrote:\n> Hi Kim",
    leadId: "lead_kim",
    enrollmentId: enr.id,
    draftId: draft.id,
    sentiment: "positive" as const,
    receivedAt: at + 180_000,
  };
  await db.batch([
    db.insert(salesSequences).values(seq),
    db.insert(salesSequenceSteps).values(step),
    db.insert(salesStepVariants).values([varA, varB]),
    db.insert(salesEnrollments).values(enr),
    db.insert(salesDrafts).values(draft),
    db.insert(salesInbound).values(reply),
  ]);
  return { t1: t1.id, t2: t2.id, thread: enr.id, sequence: seq.name };
}

/** Starts a run and waits for it to finish (it works in the background after the 202). */
export async function runFusion(u: TestUser, body: Record<string, unknown> = {}) {
  const start = await asUser(u)("/api/v1/sales/fusion/runs", { method: "POST", body });
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await asUser(u)(`/api/v1/sales/fusion/runs/${start.body.id}`);
    if (r.body.status === "done" || r.body.status === "failed") {
      expect(r.body.status, r.body.error).toBe("done");
      return r.body;
    }
    if (Date.now() > deadline) throw new Error(`run ${start.body.id} did not finish: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

export async function documents(u: TestUser, query = "") {
  const r = await asUser(u)(`/api/v1/sales/fusion/documents?limit=100${query}`);
  expect(r.status).toBe(200);
  return r.body.data as Doc[];
}

export interface Doc {
  id: string;
  kind: string;
  title: string;
  body: string;
  status: string;
  ai_generated: boolean;
  generator: string;
  safety_action: string | null;
  confidence: number;
  confidence_basis: { sources: number; transcripts: number; threads: number; agreement: number; note: string };
  sources: { type: string; id: string; quote: string; role: string; lead_id: string | null }[];
  knowledge_source_id: string | null;
}

/** The value, or a failed test saying what was missing. */
export function must<T>(x: T | undefined | null, what: string): T {
  if (x == null) throw new Error(`missing: ${what}`);
  return x;
}
