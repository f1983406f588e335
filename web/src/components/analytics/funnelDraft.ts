/** The funnel builder's editable state and its conversion to/from the API's definition. */
import { draftId, type FilterDraft, type FunnelDefinition, fromFilters, toFilters, validProperty } from "./client";

export type Unit = "minutes" | "hours" | "days";
export const UNIT_SECONDS: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86_400 };
export type Order = "sequential" | "strict" | "any";
export const ORDERS: { value: Order; label: string; help: string }[] = [
  { value: "sequential", label: "Sequential", help: "Steps in order; other events are allowed between them." },
  { value: "strict", label: "Strict", help: "Steps in order with no other events between consecutive steps." },
  { value: "any", label: "Any order", help: "All the steps, in any order, within the window." },
];

export interface StepDraft {
  id: string;
  event: string;
  label: string;
  filters: FilterDraft[];
}
export interface FunnelDraft {
  steps: StepDraft[];
  windowValue: number;
  windowUnit: Unit;
  order: Order;
  breakdown: string;
}

export const newStep = (event = ""): StepDraft => ({ id: draftId(), event, label: "", filters: [] });
export const emptyDraft = (): FunnelDraft => ({
  steps: [newStep("$pageview"), newStep("signed_up")],
  windowValue: 14,
  windowUnit: "days",
  order: "sequential",
  breakdown: "",
});

export function toDefinition(d: FunnelDraft): FunnelDefinition {
  return {
    steps: d.steps.map((s) => ({
      event: s.event.trim(),
      ...(s.label.trim() ? { label: s.label.trim() } : {}),
      ...(toFilters(s.filters).length ? { filters: toFilters(s.filters) } : {}),
    })),
    window_seconds: Math.max(1, Math.round(d.windowValue * UNIT_SECONDS[d.windowUnit])),
    order: d.order,
    ...(d.breakdown && validProperty(d.breakdown) ? { breakdown: d.breakdown } : {}),
  };
}

export function fromDefinition(def: FunnelDefinition): FunnelDraft {
  const w = def.window_seconds ?? 14 * 86_400;
  const unit: Unit = w % 86_400 === 0 ? "days" : w % 3600 === 0 ? "hours" : "minutes";
  return {
    steps: def.steps.map((s) => ({ id: draftId(), event: s.event, label: s.label ?? "", filters: fromFilters(s.filters) })),
    windowValue: Math.round((w / UNIT_SECONDS[unit]) * 100) / 100,
    windowUnit: unit,
    order: def.order ?? "sequential",
    breakdown: def.breakdown ?? "",
  };
}

/** Why the draft cannot be run yet, or null. */
export function draftProblem(d: FunnelDraft): string | null {
  if (d.steps.length < 2) return "A funnel needs at least two steps.";
  const i = d.steps.findIndex((s) => !s.event.trim());
  if (i >= 0) return `Step ${i + 1} needs an event.`;
  const max = 366 * 86_400;
  const w = d.windowValue * UNIT_SECONDS[d.windowUnit];
  if (!(w >= 1) || w > max) return "The conversion window must be between 1 minute and 366 days.";
  return null;
}
