import { and, eq, ne } from "drizzle-orm";
import { salesSequences } from "../../../schema/sales-sequences";
import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { conflict } from "../../platform/errors";
import { getLeadContext } from "../sales";
import { enrolLeads } from "./enrol.service";
import type { SequenceInput, StepInput } from "./sequences.schemas";
import { createSequence, getSequence, updateSequence } from "./sequences.service";
import { fillTemplate, templateVars } from "./writer";

/**
 * The marketing-campaign wizard's use of outreach (modules/wizards, kind `campaign`): UTM codes on
 * the links of a sequence's emails, and a draft sequence created (or, on a retried finish, updated)
 * by name with its leads enrolled. Nothing is activated: a draft sequence sends nothing (the engine
 * only runs enrolments of active sequences) and uses no `campaigns` unit until someone activates it.
 */

export interface Utm {
  source: string;
  medium: string;
  campaign: string;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"')\]]+/g;

/** Appends utm_source/medium/campaign to every http(s) link in `text` that has no utm_source yet. */
export function appendUtm(text: string, utm: Utm): string {
  return text.replace(URL_IN_TEXT, (raw) => {
    const trail = /[.,;:!?]+$/.exec(raw)?.[0] ?? "";
    const link = trail ? raw.slice(0, -trail.length) : raw;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return raw;
    }
    if (url.searchParams.has("utm_source")) return raw;
    url.searchParams.set("utm_source", utm.source);
    url.searchParams.set("utm_medium", utm.medium);
    url.searchParams.set("utm_campaign", utm.campaign);
    return url.toString() + trail;
  });
}

/** The steps with UTM codes on the links of every email variant's body. */
export function stepsWithUtm(steps: StepInput[], utm: Utm): StepInput[] {
  return steps.map((s) => (s.variants ? { ...s, variants: s.variants.map((v) => ({ ...v, body: appendUtm(v.body, utm) })) } : s));
}

/**
 * A draft sequence named `input.name`: created, or — when a draft of that name exists (a retried
 * finish) — its steps and filter replaced. A non-draft sequence of that name is a 409: the wizard
 * never edits a sequence that is sending.
 */
export async function upsertDraftSequence(db: Db, tenantId: string, input: SequenceInput & { steps: StepInput[] }, actor: Actor) {
  const same = await db
    .select({ id: salesSequences.id, status: salesSequences.status })
    .from(salesSequences)
    .where(and(eq(salesSequences.tenantId, tenantId), eq(salesSequences.name, input.name), ne(salesSequences.status, "archived")))
    .get();
  if (!same) return { sequence: await createSequence(db, tenantId, input, actor), created: true };
  if (same.status !== "draft")
    throw conflict(`A sequence named “${input.name}” is already ${same.status}; choose another name.`, "sequence-name-taken");
  await updateSequence(db, tenantId, same.id, { steps: input.steps, enrol_filter: input.enrol_filter }, actor);
  return { sequence: await getSequence(db, tenantId, same.id), created: false };
}

/** Enrols the leads the sequence's filter selects (already-enrolled leads are skipped, so a retry adds none). */
export const enrolByFilter = (db: Db, tenantId: string, sequenceId: string, limit: number, actor: Actor) =>
  enrolLeads(db, tenantId, sequenceId, { limit }, actor);

/**
 * The first email as one lead would get it from the template: its placeholders filled the way the
 * writer fills them (the local writer adds one grounded sentence after this; a hosted model rewrites
 * from it). Null when the lead is gone.
 */
export async function previewForLead(db: Db, tenantId: string, leadId: string, email: { subject: string; body: string }) {
  const ctx = await getLeadContext(db, tenantId, leadId);
  if (!ctx) return null;
  const vars = templateVars(ctx.lead, ctx.company);
  return {
    lead_id: ctx.lead.id,
    to: ctx.lead.email,
    subject: fillTemplate(email.subject, vars).trim(),
    body: fillTemplate(email.body, vars).trim(),
  };
}
