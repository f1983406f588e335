// Fixtures of the writer's tests: a lead, its company, a sequence with one email step and its
// variants, an enrolment — written straight into D1 (the CRM and sequence APIs have tests of their own).
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { aiGuardrails } from "../../../../schema/ai-safety";
import { salesCompanies, salesLeads } from "../../../../schema/sales";
import {
  salesEnrollments,
  salesMailboxes,
  salesSequenceSteps,
  salesSequences,
  salesStepVariants,
} from "../../../../schema/sales-sequences";
import { callJson, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { createDraftForStep } from "../drafts.service";
import type { Rng } from "../bandit";

export const db = getDb(env.DB);

/** Calls the API as `u` in their workspace. */
export const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

export interface VariantSpec {
  label: string;
  subject: string;
  body: string;
  instructions?: string;
  sent?: number;
  replies?: number;
  positive?: number;
}

export const DEFAULT_VARIANT: VariantSpec = {
  label: "A",
  subject: "{{first_name}}, a question about {{company}}",
  body: "Hi {{first_name}},\n\nI saw that {{company}} ships across Europe.\n\nWould a 15-minute call next week make sense?",
};

/** One lead (Ada Lovelace, Head of Logistics at Harbor Freight Co) in a one-step sequence, enrolled. */
export async function writerWorld(
  tenantId: string,
  opts: { autoSend?: boolean; variants?: VariantSpec[]; industry?: string; secondStep?: boolean } = {},
) {
  const now = Date.now();
  const companyId = newId("com");
  const leadId = newId("lead");
  const mailboxId = newId("mbx");
  const sequenceId = newId("seq");
  const stepId = newId("sstep");
  const enrollmentId = newId("enr");
  const industry = opts.industry ?? "logistics";
  const variants = (opts.variants ?? [DEFAULT_VARIANT]).map((v) => ({
    tenantId,
    id: newId("svar"),
    stepId,
    label: v.label,
    subject: v.subject,
    body: v.body,
    instructions: v.instructions ?? "",
    active: true,
    sent: v.sent ?? 0,
    replies: v.replies ?? 0,
    positiveReplies: v.positive ?? 0,
    createdAt: now,
  }));
  // A follow-up an hour later (only for the tests that follow an enrolment through the engine).
  const step2 = { tenantId, id: `${stepId}2`, sequenceId, position: 2, kind: "email" as const, delayMinutes: 60, createdAt: now };
  const step2Variant = {
    tenantId,
    id: newId("svar"),
    stepId: step2.id,
    label: "A",
    subject: "Following up, {{first_name}}",
    body: "Hi {{first_name}},\n\nAny thoughts?",
    createdAt: now,
  };
  const followUp = opts.secondStep ? [db.insert(salesSequenceSteps).values(step2), db.insert(salesStepVariants).values(step2Variant)] : [];
  await db.batch([
    db
      .insert(salesCompanies)
      .values({ tenantId, id: companyId, name: "Harbor Freight Co", domain: "harbor.example", industry, createdAt: now, updatedAt: now }),
    db.insert(salesLeads).values({
      tenantId,
      id: leadId,
      email: `ada-${leadId.slice(-6).toLowerCase()}@harbor.example`,
      firstName: "Ada",
      lastName: "Lovelace",
      title: "Head of Logistics",
      companyId,
      companyName: "Harbor Freight Co",
      industry,
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(salesMailboxes).values({
      tenantId,
      id: mailboxId,
      fromEmail: `sales-${mailboxId.slice(-6)}@weft.example`,
      fromName: "Sam Seller",
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(salesSequences).values({
      tenantId,
      id: sequenceId,
      name: "Logistics outreach",
      status: "active",
      mailboxId,
      autoSend: opts.autoSend ?? false,
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(salesSequenceSteps).values({ tenantId, id: stepId, sequenceId, position: 1, kind: "email", createdAt: now }),
    db.insert(salesStepVariants).values(variants),
    ...followUp,
    db
      .insert(salesEnrollments)
      .values({ tenantId, id: enrollmentId, sequenceId, leadId, status: "active", nextStep: 1, createdAt: now, updatedAt: now }),
  ]);
  const enrollment = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, enrollmentId)).get();
  const step = await db.select().from(salesSequenceSteps).where(eq(salesSequenceSteps.id, stepId)).get();
  if (!enrollment || !step) throw new Error("fixture rows missing");
  return { leadId, companyId, sequenceId, stepId, enrollment, step, variants };
}

/** A draft for the world's enrolment, as the engine asks for it (and, like the engine, the enrolment then waits on it). */
export async function draftFor(w: Awaited<ReturnType<typeof writerWorld>>, rng?: Rng) {
  const d = await createDraftForStep(env, w.enrollment, w.step, { rng });
  await db
    .update(salesEnrollments)
    .set({ waitingOn: `draft:${d.id}`, nextRunAt: Date.now() + 3_600_000 })
    .where(eq(salesEnrollments.id, w.enrollment.id));
  return d;
}

/** The workspace's AI safety rules, written directly (the console's API is Enterprise-only and tested by the safety part). */
export async function guardrails(tenantId: string, r: { blockedPhrases?: string[]; disclaimer?: string }) {
  const values = {
    blockedPhrases: r.blockedPhrases ?? [],
    disclaimers: r.disclaimer ? [{ surface: "writer" as const, text: r.disclaimer }] : [],
    updatedAt: Date.now(),
  };
  await db
    .insert(aiGuardrails)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: aiGuardrails.tenantId, set: values });
}
