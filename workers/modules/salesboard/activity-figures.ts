import type { board } from "../sales";
import { type BoardInput, rate, weekdayOf } from "./figures";

// ---- People -------------------------------------------------------------------------------------------

export interface RepFigures {
  user_id: string | null;
  name: string;
  emails_sent: number;
  replies: number;
  calls: number;
  meetings: number;
  notes: number;
  tasks_done: number;
  meetings_per_email: number | null;
}
export function reps(input: BoardInput): RepFigures[] {
  const byUser = new Map<string | null, RepFigures>();
  const field = {
    email_sent: "emails_sent",
    email_replied: "replies",
    call: "calls",
    meeting: "meetings",
    note: "notes",
    task_done: "tasks_done",
  } as const;
  for (const a of input.activity) {
    let r = byUser.get(a.userId);
    if (!r) {
      r = {
        user_id: a.userId,
        name: a.userId ? (input.names.get(a.userId) ?? "Former member") : "Unassigned",
        emails_sent: 0,
        replies: 0,
        calls: 0,
        meetings: 0,
        notes: 0,
        tasks_done: 0,
        meetings_per_email: null,
      };
      byUser.set(a.userId, r);
    }
    r[field[a.kind]] += a.n;
  }
  const list = [...byUser.values()];
  for (const r of list) r.meetings_per_email = rate(r.meetings, r.emails_sent);
  return list.sort((a, b) => b.emails_sent + b.calls + b.meetings - (a.emails_sent + a.calls + a.meetings) || a.name.localeCompare(b.name));
}

// ---- Sequences ------------------------------------------------------------------------------------------

export interface StepFigures {
  sequence_id: string;
  sequence_name: string;
  step_id: string;
  position: number;
  sends: number;
  replies: number;
  positive_replies: number;
  meetings: number;
  reply_rate: number | null;
  positive_rate: number | null;
  meeting_rate: number | null;
}
/** Per email step: sends in the period, how many got a reply, and meetings that followed one of its emails. */
export function steps(input: BoardInput): StepFigures[] {
  const stepOfVariant = new Map<string, string>();
  const byStep = new Map<string, StepFigures>();
  for (const r of input.sequences) {
    if (r.kind !== "email") continue;
    if (input.sequenceId && r.sequenceId !== input.sequenceId) continue;
    if (r.variantId) stepOfVariant.set(r.variantId, r.stepId);
    if (!byStep.has(r.stepId))
      byStep.set(r.stepId, {
        sequence_id: r.sequenceId,
        sequence_name: r.sequenceName,
        step_id: r.stepId,
        position: r.position,
        sends: 0,
        replies: 0,
        positive_replies: 0,
        meetings: 0,
        reply_rate: null,
        positive_rate: null,
        meeting_rate: null,
      });
  }
  for (const s of input.sends) {
    const f = byStep.get(stepOfVariant.get(s.variantId) ?? "");
    if (!f) continue;
    f.sends += s.sends;
    f.replies += s.replies;
    f.positive_replies += s.positive;
  }
  for (const m of input.meetings) {
    const f = m.variantId ? byStep.get(stepOfVariant.get(m.variantId) ?? "") : undefined;
    if (f) f.meetings++;
  }
  const all = [...byStep.values()];
  for (const f of all) {
    f.reply_rate = rate(f.replies, f.sends);
    f.positive_rate = rate(f.positive_replies, f.sends);
    f.meeting_rate = rate(f.meetings, f.sends);
  }
  // A sequence with no sends in the period is left out unless it is the one asked for.
  const active = new Set(all.filter((f) => f.sends > 0).map((f) => f.sequence_id));
  return all.filter((f) => input.sequenceId || active.has(f.sequence_id));
}

export interface WeekdayFigures {
  weekday: number; // 0 = Sunday (UTC)
  sends: number;
  replies: number;
  reply_rate: number | null;
}
export function weekdays(sends: board.BoardSendCount[]): WeekdayFigures[] {
  const w = Array.from({ length: 7 }, (_, weekday) => ({ weekday, sends: 0, replies: 0, reply_rate: null as number | null }));
  for (const s of sends) {
    const d = w[weekdayOf(s.day)];
    if (!d) continue;
    d.sends += s.sends;
    d.replies += s.replies;
  }
  for (const d of w) d.reply_rate = rate(d.replies, d.sends);
  return w;
}
