/** Outreach UI constants and helpers; the API shapes are aliases of the generated types. */
import type {
  OutreachEnrollment,
  OutreachMailbox,
  OutreachSequence,
  OutreachStep,
  OutreachVariant,
  SalesDraft,
  SequenceVariantFigures,
} from "../../lib/api-types";
export const STEP_CONDITIONS = ["always", "no_reply", "no_open", "opened_no_reply"] as const;
export type StepCondition = (typeof STEP_CONDITIONS)[number];
export const CONDITION_LABEL: Record<StepCondition, string> = {
  always: "Always",
  no_reply: "If no reply",
  no_open: "If not opened",
  opened_no_reply: "If opened but no reply",
};

// The API's shapes come from the generated OpenAPI types (web/src/lib/api-types.ts), never copied by hand.
export type Mailbox = OutreachMailbox;
export type Sequence = OutreachSequence;
export type SequenceStatus = Sequence["status"];
/** A variant / step as the builder edits them: a new one has no id or counters until it is saved. */
type Counters = "id" | "sent" | "replies" | "positive_replies";
export type Variant = Omit<OutreachVariant, Counters> & Partial<Pick<OutreachVariant, Counters>>;
export type Step = Omit<OutreachStep, "id" | "position" | "variants"> & { id?: string; position?: number; variants: Variant[] };
export type Enrollment = OutreachEnrollment;
export type VariantFigures = SequenceVariantFigures;
export type VariantArm = VariantFigures["steps"][number]["arms"][number];
export type Draft = SalesDraft;
export type DraftStatus = Draft["status"];

export const STATUS_TONE: Record<SequenceStatus, "neutral" | "success" | "warning"> = {
  draft: "neutral",
  active: "success",
  paused: "warning",
  archived: "neutral",
};

/** 1440 → "1 day", 90 → "1 h 30 min". */
export function delayLabel(min: number): string {
  if (min === 0) return "immediately";
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return [d && `${d} day${d === 1 ? "" : "s"}`, h && `${h} h`, m && `${m} min`].filter(Boolean).join(" ");
}
