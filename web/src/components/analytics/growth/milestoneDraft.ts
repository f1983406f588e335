/** The activation editor's draft: milestones with stable ids, client-side checks matching the API's. */
import { MAX_WITHIN_DAYS, type ActivationSettings } from "./client";

export interface MilestoneDraft {
  id: string;
  name: string;
  event: string;
  /** As typed, so an empty field can be edited. */
  within: string;
}
export interface ActivationDraft {
  signup: string;
  milestones: MilestoneDraft[];
}

let seq = 0;
export const newMilestone = (): MilestoneDraft => ({ id: `m${++seq}`, name: "", event: "", within: "7" });

export function toDraft(config: ActivationSettings | null | undefined): ActivationDraft {
  if (!config) return { signup: "signed_up", milestones: [newMilestone()] };
  return {
    signup: config.signup_event ?? "signed_up",
    milestones: config.milestones.map((m) => ({ id: `m${++seq}`, name: m.name, event: m.event, within: String(m.within_days) })),
  };
}

export const toConfig = (d: ActivationDraft) => ({
  signup_event: d.signup.trim(),
  milestones: d.milestones.map((m) => ({ name: m.name.trim(), event: m.event.trim(), within_days: Number(m.within) })),
});

export type DraftErrors = Record<string, string>;
/** Problems by field path (`signup_event`, `milestones.0.name`, …), the same paths as the API's problem+json. */
export function validate(d: ActivationDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (!d.signup.trim()) errors.signup_event = "Enter the event people do when they sign up.";
  const seen = new Set<string>();
  d.milestones.forEach((m, i) => {
    const name = m.name.trim().toLowerCase();
    if (!name) errors[`milestones.${i}.name`] = "Give the milestone a name.";
    else if (seen.has(name)) errors[`milestones.${i}.name`] = "Another milestone has this name.";
    seen.add(name);
    if (!m.event.trim()) errors[`milestones.${i}.event`] = "Enter the event that marks it.";
    const n = Number(m.within);
    if (m.within.trim() === "" || !Number.isInteger(n) || n < 1 || n > MAX_WITHIN_DAYS)
      errors[`milestones.${i}.within_days`] = `A whole number of days from 1 to ${MAX_WITHIN_DAYS}.`;
  });
  return errors;
}
