/** Shapes of the outreach API (workers/modules/outreach/*.schemas.ts and drafts.service.ts serializeDraft). */
export const STEP_CONDITIONS = ["always", "no_reply", "no_open", "opened_no_reply"] as const;
export type StepCondition = (typeof STEP_CONDITIONS)[number];
export const CONDITION_LABEL: Record<StepCondition, string> = {
  always: "Always",
  no_reply: "If no reply",
  no_open: "If not opened",
  opened_no_reply: "If opened but no reply",
};

export interface Mailbox {
  id: string;
  from_email: string;
  from_name: string;
  daily_limit: number;
  window_start: string;
  window_end: string;
  send_days: number[];
  timezone: string;
  signature: string;
  sent_today: number;
}

export interface Variant {
  id?: string;
  label: string;
  subject: string;
  body: string;
  instructions: string;
  active: boolean;
  sent?: number;
  replies?: number;
  positive_replies?: number;
}
export interface Step {
  id?: string;
  position?: number;
  kind: "email" | "task";
  delay_minutes: number;
  condition: StepCondition;
  task_title: string | null;
  variants: Variant[];
}
export type SequenceStatus = "draft" | "active" | "paused" | "archived";
export interface Sequence {
  id: string;
  name: string;
  status: SequenceStatus;
  mailbox_id: string | null;
  auto_send: boolean;
  enrol_filter: { tags?: string[]; statuses?: string[]; min_score?: number; owner_id?: string; q?: string };
  counts: { enrolled: number; active: number; replied: number };
  steps: Step[];
  created_at: string;
  updated_at: string;
}
export interface Enrollment {
  id: string;
  lead_id: string;
  lead_email: string | null;
  lead_name: string | null;
  status: "active" | "paused" | "finished";
  stop_reason: string | null;
  next_step: number;
  next_run_at: string | null;
  waiting_on: string | null;
  last_sent_at: string | null;
  created_at: string;
}
/** GET /outreach/sequences/{id}/variants: the bandit's arms per email step. */
export interface VariantArm {
  variant_id: string;
  label: string;
  active: boolean;
  subject: string;
  sent: number;
  replies: number;
  positive_replies: number;
  reply_rate: number | null;
  positive_rate: number | null;
  posterior_mean: number;
  probability_best: number | null;
  winner: boolean;
}
export interface VariantFigures {
  sequence_id: string;
  method: "thompson_sampling";
  draws: number;
  steps: { step_id: string; position: number; arms: VariantArm[] }[];
}

export type DraftStatus = "pending" | "held" | "approved" | "scheduled" | "sent" | "rejected" | "failed" | "cancelled";
export interface Draft {
  id: string;
  enrollment_id: string;
  sequence_id: string;
  step_id: string;
  variant_id: string;
  lead_id: string;
  subject: string;
  body: string;
  sources: { source_id: string; title: string; chunk_id: string }[];
  writer: string;
  local_writer: boolean;
  status: DraftStatus;
  held_for: string[];
  send_at: string | null;
  sent_at: string | null;
  outcome: string | null;
  created_at: string;
  /** Present when the list joins the lead (else the page fetches it). */
  lead?: {
    id: string;
    name?: string | null;
    email: string | null;
    title?: string | null;
    company_name?: string | null;
    score?: number | null;
  };
  sequence_name?: string;
}

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
