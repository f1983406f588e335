/**
 * Custom dashboard wizard: name → pick charts from the gallery of analytics questions (and the
 * workspace's saved funnels) with a live preview → arrange (order, size) → a saved dashboard
 * (modules/analytics dashboards, the same service as POST /analytics/dashboards) and a link to it.
 */
import { z } from "zod";
import { validationFailed } from "../../../platform/errors";
import { newId } from "../../../platform/ids";
import { type ChartInput, chartInputSchema, createDashboard, DASHBOARD_GALLERY } from "../../analytics";
import { defineStep, type WizardDefinition, type WizardState } from "../types";

const GALLERY_IDS = DASHBOARD_GALLERY.map((g) => g.id);
/** A picked chart: a gallery id, or `funnel:<saved funnel id>`. */
const pickKey = z
  .string()
  .max(80)
  .refine((k) => GALLERY_IDS.includes(k) || /^funnel:[\w-]{1,64}$/.test(k), { message: "Not a chart from the gallery" });

const nameStep = z.object({
  name: z.string().trim().min(1, "Name the dashboard").max(120),
  description: z.string().trim().max(500).optional(),
});
const chartsStep = z.object({
  picks: z.array(pickKey).min(1, "Pick at least one chart").max(12, "At most 12 charts"),
  /** Titles of the saved funnels picked, for their chart titles (the ids are checked when the dashboard is saved). */
  funnel_titles: z.record(z.string(), z.string().trim().min(1).max(120)).optional(),
});
const arrangeStep = z.object({
  layout: z
    .array(z.object({ key: pickKey, size: z.enum(["small", "medium", "large"]), title: z.string().trim().min(1).max(120).optional() }))
    .min(1, "Keep at least one chart")
    .max(12),
});

/** The chart a pick stands for. */
function chartFor(key: string, funnelTitles: Record<string, string>): ChartInput {
  const g = DASHBOARD_GALLERY.find((x) => x.id === key);
  if (g) return { ...g.chart };
  const funnelId = key.slice("funnel:".length);
  return chartInputSchema.parse({
    title: funnelTitles[key] ?? "Funnel",
    query: { kind: "funnel", funnel_id: funnelId },
    chart: "funnel",
    size: "large",
    range_days: 30,
  });
}

/** The dashboard the answers describe, in the arranged order. */
export function dashboardCharts(state: WizardState): ChartInput[] {
  const charts = state.charts as z.infer<typeof chartsStep> | undefined;
  const arrange = state.arrange as z.infer<typeof arrangeStep> | undefined;
  const titles = charts?.funnel_titles ?? {};
  const layout = arrange?.layout ?? (charts?.picks ?? []).map((key) => ({ key, size: undefined, title: undefined }));
  return layout.map((l) => {
    const c = chartFor(l.key, titles);
    return { ...c, id: l.key.replace(/[^\w-]/g, "_").slice(0, 40), title: l.title ?? c.title, size: l.size ?? c.size };
  });
}

export const dashboardWizard: WizardDefinition = {
  kind: "dashboard",
  title: "Custom dashboard",
  description: "Pick the analytics questions your team looks at every week and keep them on one page.",
  permission: "analytics:edit",
  group: "Grow",
  steps: [
    defineStep({
      id: "name",
      title: "Name",
      description: "A name people will recognise in the dashboards list, e.g. “Weekly marketing”.",
      schema: nameStep,
    }),
    defineStep({
      id: "charts",
      title: "Charts",
      description: "Pick the questions to answer; each preview shows your last 30 days.",
      schema: chartsStep,
    }),
    defineStep({
      id: "arrange",
      title: "Arrange",
      description: "Put the most important chart first and choose how much room each one gets.",
      schema: arrangeStep,
      // Every arranged chart must be one that was picked (the client sends the picks back in order).
      apply: async (_ctx, input, state) => {
        const picks = (state.charts as z.infer<typeof chartsStep> | undefined)?.picks ?? [];
        const stray = input.layout.findIndex((l) => !picks.includes(l.key));
        if (stray >= 0) throw validationFailed([{ path: `layout.${stray}.key`, message: "Pick this chart in the previous step first" }]);
        // The dashboard's id, reserved once so that Finish (even twice) saves one dashboard.
        return state.dashboard_id ? undefined : { dashboard_id: newId("dsh") };
      },
    }),
  ],
  complete: async (ctx, state) => {
    const name = (state.name as z.infer<typeof nameStep>).name;
    const row = await createDashboard(ctx.db, ctx.tenantId, ctx.actor, {
      id: state.dashboard_id as string,
      name,
      description: (state.name as z.infer<typeof nameStep>).description ?? null,
      charts: dashboardCharts(state),
    });
    return [
      {
        type: "analytics_dashboard",
        id: row.id,
        label: `Dashboard “${row.name}” — ${row.charts.length} charts`,
        href: `/analytics/dashboards/${row.id}`,
      },
    ];
  },
};
