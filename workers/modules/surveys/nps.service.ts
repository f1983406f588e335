import { and, eq, sql } from "drizzle-orm";
import { npsRespondents, npsResponses } from "../../../schema/surveys";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { cohortOf, decideEligibility, needsFollowUp } from "./nps.rules";
import { notifyDetractor } from "./notify";
import { getSurveySettings, rulesOf } from "./settings.service";

export type NpsResponseRow = typeof npsResponses.$inferSelect;

export async function checkEligibility(db: Db, tenantId: string, distinctId: string, signedUpAt: number | null, now = Date.now()) {
  const settings = await getSurveySettings(db, tenantId);
  const respondent = await db
    .select({ lastAskedAt: npsRespondents.lastAskedAt })
    .from(npsRespondents)
    .where(tenantScope(db, tenantId).where(npsRespondents, eq(npsRespondents.distinctId, distinctId)))
    .get();
  const decision = decideEligibility({
    rules: rulesOf(settings),
    tenantId,
    distinctId,
    signedUpAt,
    lastAskedAt: respondent?.lastAskedAt ?? null,
    now,
  });
  return { ...decision, question: settings.npsQuestion, feedbackEnabled: settings.feedbackEnabled };
}

/** Traits the page sends: `plan` and `signed_up_at` are columns (cohort, breakdowns); the rest stays JSON. */
export interface Traits {
  plan?: string | null;
  signed_up_at?: string | number | null;
  [k: string]: unknown;
}
export function parseSignedUpAt(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v; // seconds or ms
  if (typeof v === "string" && v.trim()) {
    const t = /^\d+$/.test(v.trim()) ? parseSignedUpAt(Number(v)) : Date.parse(v);
    return t != null && Number.isFinite(t) ? t : null;
  }
  return null;
}

const markAsked = (db: Db, tenantId: string, distinctId: string, outcome: "answered" | "dismissed", now: number) =>
  db
    .insert(npsRespondents)
    .values({ tenantId, distinctId, lastAskedAt: now, lastOutcome: outcome, dismissals: outcome === "dismissed" ? 1 : 0, updatedAt: now })
    .onConflictDoUpdate({
      target: [npsRespondents.tenantId, npsRespondents.distinctId],
      set: {
        lastAskedAt: now,
        lastOutcome: outcome,
        updatedAt: now,
        ...(outcome === "dismissed" ? { dismissals: sql`${npsRespondents.dismissals} + 1` } : {}),
      },
    });

export interface NpsSubmission {
  clientId: string;
  distinctId: string;
  score: number;
  comment?: string | null;
  pageUrl?: string | null;
  traits?: Traits | null;
}

/**
 * Records an answer once per client-generated id: a retried POST returns the stored response
 * (`duplicate: true`) and changes nothing. Detractors get the follow-up flag and the team is told.
 */
export async function submitResponse(
  db: Db,
  env: Pick<Env, "OUTBOX">,
  tenantId: string,
  s: NpsSubmission,
  link: (id: string) => string,
  now = Date.now(),
): Promise<{ response: NpsResponseRow; duplicate: boolean }> {
  const { plan, signed_up_at, ...rest } = s.traits ?? {};
  const signedUpAt = parseSignedUpAt(signed_up_at);
  const row: NpsResponseRow = {
    tenantId,
    id: newId("nps"),
    clientId: s.clientId,
    distinctId: s.distinctId,
    score: s.score,
    comment: s.comment?.trim() || null,
    plan: typeof plan === "string" && plan.trim() ? plan.trim().slice(0, 100) : null,
    signedUpAt,
    cohort: cohortOf(signedUpAt),
    traits: Object.keys(rest).length ? rest : null,
    pageUrl: s.pageUrl ?? null,
    followUp: needsFollowUp(s.score),
    followUpDoneAt: null,
    followUpDoneBy: null,
    createdAt: now,
  };
  const [inserted] = await db.batch([
    db.insert(npsResponses).values(row).onConflictDoNothing().returning({ id: npsResponses.id }),
    markAsked(db, tenantId, s.distinctId, "answered", now),
  ]);
  const duplicate = inserted.length === 0;
  const stored = duplicate
    ? await db
        .select()
        .from(npsResponses)
        .where(tenantScope(db, tenantId).where(npsResponses, eq(npsResponses.clientId, s.clientId)))
        .get()
    : row;
  if (!stored) throw notFound("Response");
  const response = stored;
  // Also on a duplicate: send() is idempotent per response + recipient, so a submission whose
  // first attempt failed after the insert still alerts the team exactly once.
  if (response.followUp) {
    const settings = await getSurveySettings(db, tenantId);
    await notifyDetractor(db, env.OUTBOX, settings, {
      responseId: response.id,
      score: response.score,
      comment: response.comment,
      distinctId: response.distinctId,
      plan: response.plan,
      link: link(response.id),
    });
  }
  return { response, duplicate };
}

/** "Not now": counts as asked, so the rules wait a full period before asking again. */
export async function recordDismissal(db: Db, tenantId: string, distinctId: string, now = Date.now()) {
  await markAsked(db, tenantId, distinctId, "dismissed", now);
}

export async function setFollowUpDone(db: Db, tenantId: string, id: string, done: boolean, actor: Actor) {
  const scope = tenantScope(db, tenantId);
  const cur = await db
    .select()
    .from(npsResponses)
    .where(scope.where(npsResponses, eq(npsResponses.id, id)))
    .get();
  if (!cur) throw notFound("Response");
  if (!cur.followUp) throw conflict("Only detractor responses (score 0–6) carry a follow-up flag.", "not-a-detractor");
  const patch = done ? { followUpDoneAt: Date.now(), followUpDoneBy: actor.id } : { followUpDoneAt: null, followUpDoneBy: null };
  await db.batch([
    db
      .update(npsResponses)
      .set(patch)
      .where(and(eq(npsResponses.tenantId, tenantId), eq(npsResponses.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: done ? "surveys.follow_up_done" : "surveys.follow_up_reopened",
      target: { type: "nps_response", id },
    }),
  ]);
  return { ...cur, ...patch };
}
