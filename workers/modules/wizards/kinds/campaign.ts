/**
 * Marketing campaign wizard: ICP → leads (a filter, or a small CSV imported with a campaign tag) →
 * sequence (steps with delays, from a starter template in the SPA) → UTM codes → review. Finishing
 * saves the ICP when it changed (that part needs `sales:manage`, as PUT /sales/icp does), creates the
 * sequence as a draft — it sends nothing until someone activates it — and enrols the leads.
 */
import { z } from "zod";
import { sha256Hex } from "../../../platform/crypto";
import { conflict, forbidden } from "../../../platform/errors";
import { roleHas } from "../../../platform/rbac";
import { enrolByFilter, previewForLead, stepsWithUtm, upsertDraftSequence, type Utm } from "../../outreach";
import { countLeadsMatching, icpTraits, importProgress, saveIcpTraits, startTaggedImport } from "../../sales";
import type { WizardContext, WizardDefinition, WizardObject, WizardState, WizardStep } from "../types";

const step = <S extends z.ZodTypeAny>(s: WizardStep<S>) => s as unknown as WizardStep;
const words = z.array(z.string().trim().min(1).max(80)).max(50);
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, "Letters, digits, - and _ (at most 50)");
const utmValue = z
  .string()
  .trim()
  .min(1, "Required")
  .max(80)
  .regex(/^[A-Za-z0-9._-]+$/, "Letters, digits, . _ and - only");

/** Most leads one finish enrols (outreach's default for an enrolment by filter). */
export const ENROL_LIMIT = 1000;
/** A CSV through the wizard stays small; bigger files go through Sales → Import. */
export const MAX_WIZARD_CSV = 512 * 1024;

const icpStep = z.object({ industries: words, sizes: words, titles: words, regions: words });
const leadsStep = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("filter"), tags: z.array(tag).max(20).default([]), min_score: z.number().int().min(0).max(100).optional() }),
  z.object({
    mode: z.literal("csv"),
    file_name: z.string().trim().max(200).default("leads.csv"),
    csv: z.string().min(1, "Paste or choose a CSV").max(MAX_WIZARD_CSV, "At most 512 KB here; use Sales → Import for bigger files"),
    tag,
  }),
]);
const sequenceStep = z.object({
  name: z.string().trim().min(1, "Name the sequence").max(120),
  steps: z
    .array(
      z.discriminatedUnion("kind", [
        z.object({
          kind: z.literal("email"),
          delay_days: z.number().int().min(0).max(90),
          subject: z.string().trim().min(1, "Write a subject").max(300),
          body: z.string().trim().min(1, "Write the email").max(10_000),
        }),
        z.object({ kind: z.literal("task"), delay_days: z.number().int().min(0).max(90), task_title: z.string().trim().min(1).max(200) }),
      ]),
    )
    .min(1, "Add at least one step")
    .max(10),
});
const utmStep = z.object({ source: utmValue, medium: utmValue, campaign: utmValue });

type Answers = {
  icp?: z.infer<typeof icpStep>;
  leads?: z.infer<typeof leadsStep>;
  sequence?: z.infer<typeof sequenceStep>;
  utm?: z.infer<typeof utmStep>;
  leads_import?: { id: string; tag: string; hash: string };
};

/** The enrolment filter the leads step describes (a CSV's leads are the ones tagged by its import). */
function filterOf(a: Answers): { tags?: string[]; min_score?: number } {
  const l = a.leads;
  if (!l) return {};
  if (l.mode === "csv") return { tags: [l.tag] };
  return { ...(l.tags.length ? { tags: l.tags } : {}), ...(l.min_score !== undefined ? { min_score: l.min_score } : {}) };
}
const camel = (f: { tags?: string[]; min_score?: number }) => ({ tags: f.tags, minScore: f.min_score });

function sequenceInputOf(a: Answers) {
  const utm: Utm = a.utm ?? { source: "email", medium: "outreach", campaign: "campaign" };
  const steps = (a.sequence?.steps ?? []).map((s) =>
    s.kind === "email"
      ? { kind: "email" as const, delay_minutes: s.delay_days * 1440, variants: [{ subject: s.subject, body: s.body }] }
      : { kind: "task" as const, delay_minutes: s.delay_days * 1440, task_title: s.task_title },
  );
  return { name: a.sequence?.name ?? "Campaign", enrol_filter: filterOf(a), steps: stepsWithUtm(steps, utm), auto_send: false };
}

const canManageSales = (ctx: WizardContext) => roleHas(ctx.c.get("tenant").role ?? "viewer", "sales:manage");

export const campaignWizard: WizardDefinition = {
  kind: "campaign",
  title: "Marketing campaign",
  description: "Describe who you sell to, pick or import leads, write a sequence with UTM-tagged links, and enrol the leads as a draft.",
  permission: "sales:write",
  group: "Sell",
  steps: [
    step({
      id: "icp",
      title: "Ideal customer",
      description: "Industries, company sizes, titles and regions that fit; lead scores follow them.",
      schema: icpStep,
      status: async (ctx) => ({ ready: true, detail: { current: await icpTraits(ctx.db, ctx.tenantId), can_edit: canManageSales(ctx) } }),
    }),
    step({
      id: "leads",
      title: "Leads",
      description:
        "Choose leads by tag and score, or import a small CSV; imported leads get the campaign's tag (the import runs while you write the sequence).",
      schema: leadsStep,
      apply: async (ctx, input, state) => {
        if (input.mode !== "csv") return { leads_import: null };
        const hash = await sha256Hex(`${input.tag}\n${input.csv}`);
        const prev = (state as Answers).leads_import;
        if (prev && prev.hash === hash) return undefined; // pressing Next twice imports once
        const imp = await startTaggedImport(
          ctx.env,
          ctx.db,
          ctx.tenantId,
          { fileName: input.file_name, csv: input.csv, tag: input.tag },
          ctx.userId,
          (p) => ctx.c.executionCtx.waitUntil(p),
        );
        return { leads_import: { id: imp.id, tag: input.tag, hash } };
      },
      status: async (ctx, state) => {
        const a = state as Answers;
        const imp = a.leads_import ? await importProgress(ctx.db, ctx.tenantId, a.leads_import.id) : null;
        const leads = a.leads ? await countLeadsMatching(ctx.db, ctx.tenantId, camel(filterOf(a))) : null;
        const ready = !imp || imp.status === "done" || imp.status === "failed";
        return {
          ready,
          detail: {
            import: imp && {
              id: imp.id,
              status: imp.status,
              total_rows: imp.total_rows,
              processed_rows: imp.processed_rows,
              created: imp.created,
              updated: imp.updated,
              failed: imp.failed,
              errors: imp.errors.slice(0, 5),
            },
            leads,
          },
        };
      },
    }),
    step({
      id: "sequence",
      title: "Sequence",
      description: "The emails and tasks, each after a delay; start from a template and make it yours.",
      schema: sequenceStep,
    }),
    step({
      id: "utm",
      title: "UTM codes",
      description: "Added to every link in the emails so visits from this campaign show in analytics.",
      schema: utmStep,
    }),
    step({
      id: "review",
      title: "Review",
      description: "Finishing creates the sequence as a draft (nothing is sent) and enrols the leads.",
      schema: z.object({}).passthrough(),
      // A CSV's leads are enrolled by their tag: finishing waits until the import has written them.
      requireReady: true,
      status: async (ctx, state) => {
        const a = state as Answers;
        const seq = sequenceInputOf(a);
        const first = seq.steps.find((s) => s.kind === "email")?.variants?.[0];
        const leads = await countLeadsMatching(ctx.db, ctx.tenantId, camel(filterOf(a)));
        const imp = a.leads_import ? await importProgress(ctx.db, ctx.tenantId, a.leads_import.id) : null;
        return {
          ready: !imp || imp.status === "done" || imp.status === "failed",
          detail: {
            import: imp && { status: imp.status, processed_rows: imp.processed_rows, total_rows: imp.total_rows },
            leads: Math.min(leads.count, ENROL_LIMIT),
            more_than_limit: leads.count > ENROL_LIMIT,
            steps: seq.steps.length,
            emails: seq.steps.filter((s) => s.kind === "email").length,
            first_email: first ? { subject: first.subject, body: first.body } : null,
            // The first matching lead's version of it, placeholders filled.
            first_draft: first && leads.first[0] ? await previewForLead(ctx.db, ctx.tenantId, leads.first[0], first) : null,
            icp_saved_on_finish: canManageSales(ctx),
          },
        };
      },
    }),
  ],
  complete: async (ctx, state) => {
    const a = state as Answers;
    const out: WizardObject[] = [];
    if (a.icp) {
      const current = await icpTraits(ctx.db, ctx.tenantId);
      const changed = JSON.stringify(current) !== JSON.stringify(a.icp);
      if (changed && !canManageSales(ctx))
        throw forbidden("Changing the ideal customer profile needs `sales:manage`; keep it as it is or ask an admin.");
      if (await saveIcpTraits(ctx.db, ctx.tenantId, a.icp, ctx.actor))
        out.push({ type: "sales_icp", id: ctx.tenantId, label: "Ideal customer profile saved (leads re-scored)", href: "/sales/scoring" });
    }
    if (a.leads_import) {
      const imp = await importProgress(ctx.db, ctx.tenantId, a.leads_import.id);
      if (imp.status !== "done" && imp.status !== "failed")
        throw conflict("The lead import is still running; finish when it is done.", "wizard-step-not-ready");
    }
    if (a.leads_import)
      out.push({
        type: "sales_import",
        id: a.leads_import.id,
        label: `Leads imported with the tag ${a.leads_import.tag}`,
        href: "/sales/import",
      });
    const { sequence } = await upsertDraftSequence(ctx.db, ctx.tenantId, sequenceInputOf(a), ctx.actor);
    const counts = await enrolByFilter(ctx.db, ctx.tenantId, sequence.id, ENROL_LIMIT, ctx.actor);
    out.push({ type: "sales_sequence", id: sequence.id, label: `${sequence.name} (draft)`, href: `/outreach/sequences/${sequence.id}` });
    out.push({
      type: "sales_enrollments",
      id: sequence.id,
      label: `${sequence.counts.enrolled + counts.enrolled} leads enrolled`,
      href: `/outreach/sequences/${sequence.id}`,
    });
    return out;
  },
};

export const campaignSequenceOf = (state: WizardState) => sequenceInputOf(state as Answers);
