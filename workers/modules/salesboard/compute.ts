import type { Db } from "../../platform/db";
import { getUserProfile, listMembers } from "../../platform/directory";
import { notFound } from "../../platform/errors";
import { sequenceFigureRows, sequenceNames } from "../outreach";
import { board } from "../sales";
import { reps, steps, weekdays } from "./activity-figures";
import { cycleDays, dealGroup, groupDeals, pipelineFigures } from "./deal-figures";
import { rate, trend, type BoardInput } from "./figures";
import type { BoardFilters } from "./filters";
import { coachingInsights } from "./insights";

/** Everything the board shows, built from the CRM's and outreach's read-only aggregates (docs/sales.md). */
export async function computeBoard(db: Db, tenantId: string, f: BoardFilters, now: number) {
  // Filters naming things of another workspace (or nothing) answer 404, like any other id.
  const [sequences, sequenceList] = await Promise.all([sequenceFigureRows(db, tenantId), sequenceNames(db, tenantId)]);
  if (f.sequence && !sequences.some((r) => r.sequenceId === f.sequence) && !sequenceList.some((s) => s.id === f.sequence))
    throw notFound("Sequence");
  const names = await memberNames(db, tenantId);
  if (f.owner && !names.members.has(f.owner)) throw notFound("Member");

  const scope: board.BoardScope = { owner: f.owner, source: f.source, sequenceId: f.sequence };
  const [stages, deals, activity, sends, meetings, funnel, sources] = await Promise.all([
    board.boardStages(db, tenantId),
    board.boardDeals(db, tenantId, f.from, f.to, scope),
    board.boardActivityCounts(db, tenantId, f.from, f.to, scope),
    board.boardSends(db, tenantId, f.from, f.to, scope),
    board.boardMeetings(db, tenantId, f.from, f.to, scope),
    board.boardFunnel(db, tenantId, f.from, f.to, scope),
    board.boardSources(db, tenantId),
  ]);
  const changes = await board.boardStageChanges(
    db,
    tenantId,
    deals.map((d) => d.id),
  );
  // People who appear in the figures but are no longer members keep their name.
  for (const id of new Set([...activity.map((a) => a.userId), ...deals.map((d) => d.ownerId)]))
    if (id && !names.all.has(id)) names.all.set(id, (await getUserProfile(db, id))?.name ?? "Former member");

  const input: BoardInput = {
    now,
    from: f.from,
    to: f.to,
    interval: f.interval,
    stages,
    deals,
    changes,
    activity,
    sends,
    meetings,
    funnel,
    sequences,
    names: names.all,
    sequenceId: f.sequence,
  };
  const pipeline = pipelineFigures(input);
  const totals = dealGroup(deals, f.from, f.to);
  const byOwner = groupDeals(deals, (d) => d.ownerId ?? "", f.from, f.to).map(({ key, ...g }) => ({
    owner_id: key || null,
    name: key ? (names.all.get(key) ?? "Former member") : "Unassigned",
    ...g,
  }));
  const bySource = groupDeals(deals, (d) => d.source ?? "", f.from, f.to);
  const repList = reps(input);
  const stepList = steps(input);
  const days = weekdays(sends);
  const { insights, waiting } = coachingInsights({ steps: stepList, reps: repList, pipeline, weekdays: days, sources: bySource });

  const sent = sends.reduce((t, s) => t + s.sends, 0);
  const replied = sends.reduce((t, s) => t + s.replies, 0);
  const positive = sends.reduce((t, s) => t + s.positive, 0);
  const attributedMeetings = meetings.filter((m) => m.variantId !== null).length;
  const currencies = [...new Set(deals.map((d) => d.currency))];
  const FUNNEL = [
    ["leads", "Leads"],
    ["contacted", "Contacted"],
    ["replied", "Replied"],
    ["meeting", "Meeting"],
    ["won", "Won"],
  ] as const;
  return {
    period: { from: new Date(f.from).toISOString(), to: new Date(f.to).toISOString(), interval: f.interval },
    currency: mostCommon(deals.map((d) => d.currency)) ?? "USD",
    mixed_currencies: currencies.length > 1,
    kpis: {
      open_deals: totals.open_count,
      open_value_minor: totals.open_value_minor,
      weighted_forecast_minor: pipeline.reduce((t, s) => t + s.weighted_minor, 0),
      won_count: totals.won_count,
      won_value_minor: totals.won_value_minor,
      lost_count: totals.lost_count,
      win_rate: totals.win_rate,
      avg_cycle_days: cycleDays(deals, f.from, f.to),
      emails_sent: sent,
      replies: replied,
      positive_replies: positive,
      reply_rate: rate(replied, sent),
      meetings: meetings.length,
      meeting_rate: rate(attributedMeetings, sent),
    },
    pipeline,
    funnel: FUNNEL.map(([key, label], i) => {
      const prev = i > 0 ? funnel[FUNNEL[i - 1]?.[0] ?? "leads"] : null;
      return { stage: key, label, count: funnel[key], rate_from_previous: prev === null ? null : rate(funnel[key], prev) };
    }),
    by_owner: byOwner.sort((a, b) => b.open_value_minor + b.won_value_minor - (a.open_value_minor + a.won_value_minor)),
    by_source: bySource
      .map(({ key, ...g }) => ({ source: key || null, ...g }))
      .sort((a, b) => b.open_count + b.won_count + b.lost_count - (a.open_count + a.won_count + a.lost_count)),
    trend: trend(input),
    reps: repList,
    steps: stepList,
    weekdays: days,
    insights,
    insights_waiting: waiting,
    options: {
      owners: [...names.members].map(([id, name]) => ({ id, name })),
      sources,
      sequences: sequenceList,
    },
  };
}
export type Board = Awaited<ReturnType<typeof computeBoard>>;

function mostCommon(xs: string[]): string | null {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** The workspace's members (id → name), up to 1,000; `all` gains former members as they turn up. */
async function memberNames(db: Db, tenantId: string) {
  const members = new Map<string, string>();
  let cursor: string | undefined;
  for (let i = 0; i < 10; i++) {
    const page = await listMembers(db, tenantId, { limit: 100, cursor });
    for (const m of page.data) members.set(m.user_id, m.name || m.email);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return { members, all: new Map(members) };
}
