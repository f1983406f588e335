import type { RepFigures, StepFigures, WeekdayFigures } from "./activity-figures";
import type { DealGroupFigures, StageFigures } from "./deal-figures";

/**
 * Coaching insights: rules over the board's figures. A rule fires only with enough data behind it
 * (the minimums below); otherwise it says what it is waiting for. Every insight carries the numbers
 * it rests on, so a reader can check it — the text is built from those numbers, never the other way.
 */
export const MIN = {
  stepSends: 30, // sends on each compared step
  baselineReplies: 3, // replies on the step a drop is measured from
  repEmails: 50, // emails for a rep to be compared
  teamMeetings: 5, // meetings across the compared reps
  stageDurations: 5, // stage visits behind a median
  stallDays: 7, // a stall is at least this long
  weekdaySends: 30, // sends on each compared weekday
  weekdayReplies: 5, // replies on the better day
  sourceClosed: 8, // closed deals per compared source
  sourceWins: 4, // wins on the better source
} as const;

export type Severity = "info" | "warning" | "critical";
export interface InsightNumber {
  label: string;
  value: number | null;
  unit: "percent" | "days" | "count" | "ratio";
  numerator?: number;
  denominator?: number;
}
export interface Insight {
  rule: string;
  severity: Severity;
  title: string;
  detail: string;
  numbers: InsightNumber[];
  ref: { sequence_id?: string; step_position?: number; user_id?: string | null; stage_id?: string; source?: string };
}
export interface InsightWaiting {
  rule: string;
  reason: string;
}

export interface InsightInput {
  steps: StepFigures[];
  reps: RepFigures[];
  pipeline: StageFigures[];
  weekdays: WeekdayFigures[];
  sources: (DealGroupFigures & { key: string })[];
}

const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)} %`);
const frac = (n: number, d: number) => `${pct(d > 0 ? n / d : null)} (${n}/${d})`;
const share = (label: string, n: number, d: number): InsightNumber => ({
  label,
  value: d > 0 ? n / d : null,
  unit: "percent",
  numerator: n,
  denominator: d,
});
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Replies fall off at a later step: its reply rate is at most half of the best earlier step's. */
function stepDropoff(steps: StepFigures[], out: Insight[], waiting: InsightWaiting[]) {
  const bySeq = new Map<string, StepFigures[]>();
  for (const s of steps) bySeq.set(s.sequence_id, [...(bySeq.get(s.sequence_id) ?? []), s]);
  let comparable = 0;
  for (const list of bySeq.values()) {
    const ordered = [...list].sort((a, b) => a.position - b.position);
    const enough = ordered.filter((s) => s.sends >= MIN.stepSends);
    if (enough.length < 2) continue;
    comparable++;
    let best: StepFigures | null = null;
    for (const s of enough) {
      const r = s.reply_rate ?? 0;
      if (best && best.replies >= MIN.baselineReplies && r <= 0.5 * (best.reply_rate ?? 0)) {
        const ratio = (best.reply_rate ?? 0) > 0 ? r / (best.reply_rate as number) : 0;
        const shown = ordered.filter((x) => x.position <= s.position && x.sends > 0);
        out.push({
          rule: "step_dropoff",
          severity: ratio <= 0.25 ? "critical" : "warning",
          title: `Replies fall off at step ${s.position} of “${s.sequence_name}”`,
          detail: `${shown.map((x) => `step ${x.position} ${frac(x.replies, x.sends)}`).join(", ")}. Step ${s.position} gets ${(ratio * 100).toFixed(0)} % of step ${best.position}'s reply rate: rewrite it, or end the sequence earlier.`,
          numbers: shown.map((x) => share(`Step ${x.position} reply rate`, x.replies, x.sends)),
          ref: { sequence_id: s.sequence_id, step_position: s.position },
        });
        break; // the first fall-off of a sequence is the one to fix
      }
      if (!best || (s.reply_rate ?? 0) > (best.reply_rate ?? 0)) best = s;
    }
  }
  if (comparable === 0) {
    const most = Math.max(0, ...steps.map((s) => s.sends));
    waiting.push({
      rule: "step_dropoff",
      reason: `Needs ${MIN.stepSends} sends on at least two steps of one sequence (the busiest step has ${most}).`,
    });
  }
}

/** A rep's meetings per email is at most half the team's (reps with enough emails). */
function repMeetings(reps: RepFigures[], out: Insight[], waiting: InsightWaiting[]) {
  const team = reps.filter((r) => r.user_id !== null && r.emails_sent >= MIN.repEmails);
  const emails = team.reduce((t, r) => t + r.emails_sent, 0);
  const meetings = team.reduce((t, r) => t + r.meetings, 0);
  if (team.length < 2 || meetings < MIN.teamMeetings) {
    waiting.push({
      rule: "rep_meetings_per_email",
      reason: `Needs two or more people with ${MIN.repEmails}+ emails and ${MIN.teamMeetings}+ meetings between them (now ${team.length} and ${meetings}).`,
    });
    return;
  }
  const teamRate = meetings / emails;
  for (const r of team) {
    const mine = r.meetings / r.emails_sent;
    if (mine > 0.5 * teamRate) continue;
    out.push({
      rule: "rep_meetings_per_email",
      severity: "warning",
      title: `${r.name}'s meetings per email is ${mine === 0 ? "zero" : "under half the team's"}`,
      detail: `${r.name}: ${frac(r.meetings, r.emails_sent)} meetings per email; the team: ${frac(meetings, emails)}. Worth reviewing their sequences and follow-ups together.`,
      numbers: [share(`${r.name}'s meetings per email`, r.meetings, r.emails_sent), share("Team's meetings per email", meetings, emails)],
      ref: { user_id: r.user_id },
    });
  }
}

/** Deals stay in one stage at least twice as long (median) as in the other stages, and a week or more. */
function stageStall(pipeline: StageFigures[], out: Insight[], waiting: InsightWaiting[]) {
  const measured = pipeline.filter((s) => s.durations >= MIN.stageDurations && s.median_days !== null);
  if (measured.length < 2) {
    waiting.push({
      rule: "stage_stall",
      reason: `Needs ${MIN.stageDurations} deals' time in each of two stages (now ${measured.length} stage${measured.length === 1 ? "" : "s"}).`,
    });
    return;
  }
  for (const s of measured) {
    const others = measured.filter((o) => o.stage_id !== s.stage_id).map((o) => o.median_days as number);
    const elsewhere = others.sort((a, b) => a - b)[others.length >> 1] as number; // the median of the other stages' medians
    const days = s.median_days as number;
    if (days < MIN.stallDays || days < 2 * elsewhere) continue;
    out.push({
      rule: "stage_stall",
      severity: days >= 3 * elsewhere ? "critical" : "warning",
      title: `Deals stall in ${s.name}`,
      detail: `Median ${days} days in ${s.name} (${s.durations} deals) vs ${elsewhere} days in the other stages. ${s.count} open deal${s.count === 1 ? " is" : "s are"} there now.`,
      numbers: [
        { label: `Median days in ${s.name}`, value: days, unit: "days", denominator: s.durations },
        { label: "Median days elsewhere", value: elsewhere, unit: "days" },
        { label: `Open deals in ${s.name}`, value: s.count, unit: "count" },
      ],
      ref: { stage_id: s.stage_id },
    });
  }
}

/** Sends on one weekday get replies at twice (or more) the rate of another weekday's. */
function weekdayReplies(days: WeekdayFigures[], out: Insight[], waiting: InsightWaiting[]) {
  const enough = days.filter((d) => d.sends >= MIN.weekdaySends);
  const ranked = [...enough].sort((a, b) => (b.reply_rate ?? 0) - (a.reply_rate ?? 0));
  const best = ranked[0];
  const worst = ranked[ranked.length - 1];
  if (!best || !worst || best === worst || best.replies < MIN.weekdayReplies) {
    waiting.push({
      rule: "weekday_replies",
      reason: `Needs ${MIN.weekdaySends} sends on each of two weekdays and ${MIN.weekdayReplies} replies on the better one (now ${enough.length} day${enough.length === 1 ? "" : "s"}).`,
    });
    return;
  }
  const b = best.reply_rate ?? 0;
  const w = worst.reply_rate ?? 0;
  if (b < 2 * w) return;
  const ratio = w > 0 ? b / w : null;
  out.push({
    rule: "weekday_replies",
    severity: "info",
    title:
      ratio === null
        ? `${DAYS[best.weekday]} sends get replies, ${DAYS[worst.weekday]}'s none`
        : `${DAYS[best.weekday]} sends reply ${ratio.toFixed(1)}× ${DAYS[worst.weekday]}'s`,
    detail: `${DAYS[best.weekday]} ${frac(best.replies, best.sends)} vs ${DAYS[worst.weekday]} ${frac(worst.replies, worst.sends)} (UTC days). Consider the mailbox's sending days.`,
    numbers: [
      share(`${DAYS[best.weekday]} reply rate`, best.replies, best.sends),
      share(`${DAYS[worst.weekday]} reply rate`, worst.replies, worst.sends),
      { label: "Ratio", value: ratio, unit: "ratio" },
    ],
    ref: {},
  });
}

/** Deals from one source are won at twice (or more) the rate of another's. */
function sourceWinRate(sources: (DealGroupFigures & { key: string })[], out: Insight[], waiting: InsightWaiting[]) {
  const closed = (s: DealGroupFigures) => s.won_count + s.lost_count;
  const enough = sources.filter((s) => s.key !== "" && closed(s) >= MIN.sourceClosed);
  const ranked = [...enough].sort((a, b) => (b.win_rate ?? 0) - (a.win_rate ?? 0));
  const best = ranked[0];
  const worst = ranked[ranked.length - 1];
  if (!best || !worst || best === worst || best.won_count < MIN.sourceWins) {
    waiting.push({
      rule: "source_win_rate",
      reason: `Needs ${MIN.sourceClosed} closed deals from each of two sources and ${MIN.sourceWins} wins on the better one (now ${enough.length} source${enough.length === 1 ? "" : "s"}).`,
    });
    return;
  }
  const b = best.win_rate ?? 0;
  const w = worst.win_rate ?? 0;
  if (b < 2 * w) return;
  out.push({
    rule: "source_win_rate",
    severity: "info",
    title: `Deals from ${best.key} are won ${w > 0 ? `${(b / w).toFixed(1)}×` : "far more"} as often as from ${worst.key}`,
    detail: `${best.key}: ${frac(best.won_count, closed(best))} won; ${worst.key}: ${frac(worst.won_count, closed(worst))} won.`,
    numbers: [share(`${best.key} win rate`, best.won_count, closed(best)), share(`${worst.key} win rate`, worst.won_count, closed(worst))],
    ref: { source: best.key },
  });
}

const ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function coachingInsights(input: InsightInput): { insights: Insight[]; waiting: InsightWaiting[] } {
  const insights: Insight[] = [];
  const waiting: InsightWaiting[] = [];
  stepDropoff(input.steps, insights, waiting);
  repMeetings(input.reps, insights, waiting);
  stageStall(input.pipeline, insights, waiting);
  weekdayReplies(input.weekdays, insights, waiting);
  sourceWinRate(input.sources, insights, waiting);
  return { insights: insights.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]), waiting };
}
