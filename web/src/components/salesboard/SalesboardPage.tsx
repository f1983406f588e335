import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense, useEffect, useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { PipelineIcon } from "../sales/icons";
import { Button, buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Select } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { DealGroups, FunnelChart, InsightsList, KpiTiles, Panel, RepTable, StepTable, WeekdayRow } from "./BoardSections";
import { ago, type Board, PERIODS, type Period } from "./format";

const BoardCharts = lazy(() => import("./BoardCharts"));

interface Filters {
  period: Period;
  owner: string;
  source: string;
  sequence: string;
}
const queryOf = (f: Filters) => ({
  period: f.period,
  owner: f.owner || undefined,
  source: f.source || undefined,
  sequence: f.sequence || undefined,
});

/** Re-renders every 30 s so "computed 2 min ago" stays true. */
function useNow() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

const isEmpty = (b: Board) =>
  b.funnel[0]?.count === 0 && b.kpis.open_deals === 0 && b.kpis.won_count + b.kpis.lost_count === 0 && b.reps.length === 0;

/** The AI salesboard: figures, funnel, activity per rep, sequence step rates and coaching insights (GET /salesboard, cached; "Sync now"). */
export function SalesboardPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const now = useNow();
  const [f, setF] = useState<Filters>({ period: "56d", owner: "", source: "", sequence: "" });
  const key = tkey(ws.id, "salesboard", f);
  const board = useQuery({
    queryKey: key,
    queryFn: () => api("GET /api/v1/salesboard", { query: queryOf(f) }),
    placeholderData: keepPreviousData,
    retry: (n, e) => !(e instanceof ApiError && [402, 403, 404].includes(e.status)) && n < 2,
  });
  const sync = useMutation({
    mutationFn: () => api("POST /api/v1/salesboard/refresh", { query: queryOf(f) }),
    onSuccess: (fresh) => {
      // Sync now recomputed this view and dropped the workspace's other cached views.
      qc.removeQueries({ queryKey: tkey(ws.id, "salesboard") });
      qc.setQueryData(key, fresh);
    },
  });
  const b = board.data;
  const set = (patch: Partial<Filters>) => setF((cur) => ({ ...cur, ...patch }));
  const err = board.error;

  if (err instanceof ApiError && err.status === 402)
    return (
      <>
        <PageHeader title="Salesboard" />
        <EmptyState
          icon={<PipelineIcon />}
          title="The salesboard is part of the Professional plan"
          action={
            <Link to="/settings/billing" search={{ checkout: undefined }} className={buttonClass("primary")}>
              See plans
            </Link>
          }
        >
          {errorMessage(err)}
        </EmptyState>
      </>
    );

  return (
    <>
      <PageHeader
        title="Salesboard"
        description="Pipeline, conversion, activity per rep and sequence figures from your CRM, with coaching insights that show the numbers they rest on."
        actions={
          <div className="flex flex-wrap items-center gap-3">
            {b && (
              <span className="text-xs text-muted" data-testid="computed-at" title={new Date(b.computed_at).toLocaleString()}>
                Computed {ago(b.computed_at, now)}
                {b.cached ? " (cached)" : ""}
              </span>
            )}
            <Button variant="secondary" size="sm" loading={sync.isPending} onClick={() => sync.mutate()}>
              Sync now
            </Button>
          </div>
        }
      />
      <fieldset className="mb-4 flex flex-wrap gap-3">
        <legend className="sr-only">Filters</legend>
        <Field label="Period" className="w-40">
          <Select value={f.period} onChange={(e) => set({ period: e.target.value as Period })}>
            {PERIODS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Owner" className="w-44">
          <Select value={f.owner} onChange={(e) => set({ owner: e.target.value })}>
            <option value="">Everyone</option>
            {b?.options.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Source" className="w-40">
          <Select value={f.source} onChange={(e) => set({ source: e.target.value })}>
            <option value="">All sources</option>
            {b?.options.sources.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Sequence" className="w-52">
          <Select value={f.sequence} onChange={(e) => set({ sequence: e.target.value })}>
            <option value="">All sequences</option>
            {b?.options.sequences.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.status === "archived" ? " (archived)" : ""}
              </option>
            ))}
          </Select>
        </Field>
      </fieldset>
      {sync.isError && (
        <p role="alert" className="mb-3 text-sm text-danger">
          {errorMessage(sync.error)}
        </p>
      )}
      {err ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(err)}
        </p>
      ) : !b ? (
        <Skeleton className="h-96" />
      ) : isEmpty(b) ? (
        <EmptyState
          icon={<PipelineIcon />}
          title="Nothing to show for this period yet"
          action={
            <Link to="/sales/import" className={buttonClass("primary")}>
              Import leads
            </Link>
          }
        >
          The salesboard counts deals, sequence emails, replies, calls and meetings. Import or add leads, run a sequence or log deals, then
          come back (or widen the period).
        </EmptyState>
      ) : (
        <div className="space-y-4" aria-busy={board.isFetching || undefined}>
          <KpiTiles board={b} />
          {b.mixed_currencies && (
            <p className="text-xs text-warning">Deals are in more than one currency; amounts are added as they are, in {b.currency}.</p>
          )}
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Panel title="Funnel" description="Leads in play this period, each counted at the furthest stage it reached.">
              <FunnelChart funnel={b.funnel} />
            </Panel>
            <Panel title="Coaching insights" description="Rules over these figures; each fires only with enough data behind it.">
              <InsightsList insights={b.insights} waiting={b.insights_waiting} />
            </Panel>
          </div>
          <Suspense fallback={<Skeleton className="h-72" />}>
            <BoardCharts board={b} />
          </Suspense>
          <Panel
            title="Activity per rep"
            description="Sequence emails and replies count for the lead's owner; calls, meetings, notes and tasks for who logged them."
          >
            <RepTable reps={b.reps} />
          </Panel>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Panel title="Sequence steps">
              <StepTable steps={b.steps} />
            </Panel>
            <Panel title="Reply rate by send weekday" description="UTC days.">
              <WeekdayRow days={b.weekdays} />
            </Panel>
          </div>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Panel title="By owner">
              <DealGroups
                label="Owner"
                currency={b.currency}
                rows={b.by_owner.map((o) => ({ ...o, key: o.owner_id ?? "none", label: o.name }))}
              />
            </Panel>
            <Panel title="By source">
              <DealGroups
                label="Source"
                currency={b.currency}
                rows={b.by_source.map((s) => ({ ...s, key: s.source ?? "none", label: s.source ?? "No source" }))}
              />
            </Panel>
          </div>
          <Panel
            title="Pipeline stages"
            description="Median days in each stage (finished stays plus the time open deals have been there) and conversion to the next."
          >
            <ul className="grid gap-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
              {b.pipeline.map((s) => (
                <li key={s.stage_id} className="rounded-lg bg-subtle px-3 py-2">
                  <span className="font-medium">{s.name}</span>
                  <span className="block text-xs text-muted tabular-nums">
                    {s.count} open · median {s.median_days ?? "–"} days ·{" "}
                    {s.conversion_to_next === null ? "–" : `${Math.round(s.conversion_to_next * 100)} %`} move on
                  </span>
                </li>
              ))}
            </ul>
          </Panel>
        </div>
      )}
    </>
  );
}
