import { useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, useState } from "react";
import { api } from "../../../../lib/api";
import type { DashboardChartInput } from "../../../../lib/api-types";
import { tkey, useWorkspace } from "../../../../lib/workspace";
import { ChartView } from "../../../analytics/dashboards/ChartView";
import { Button } from "../../../ui/Button";
import { Field, Input, Select, Textarea } from "../../../ui/Field";
import { Skeleton } from "../../../ui/Skeleton";
import type { StepComponent, StepProps } from "..";
import { useAnswers } from "../useStepStatus";

type Size = "small" | "medium" | "large";
interface Choice {
  key: string;
  title: string;
  description: string;
  chart: DashboardChartInput;
}

/** The gallery (server) plus the workspace's saved funnels, as pickable charts. */
function useChoices(): { choices: Choice[]; loading: boolean } {
  const ws = useWorkspace();
  const gallery = useQuery({
    queryKey: tkey(ws.id, "analytics", "dashboard-gallery"),
    queryFn: () => api("GET /api/v1/analytics/dashboard-gallery"),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const funnels = useQuery({
    queryKey: tkey(ws.id, "analytics", "funnels"),
    queryFn: () => api("GET /api/v1/analytics/funnels", { query: { limit: 100 } }),
  });
  const choices: Choice[] = [
    ...(gallery.data?.data ?? []).map((g) => ({ key: g.id, title: g.title, description: g.description, chart: g.chart })),
    ...(funnels.data?.data ?? []).map((f) => ({
      key: `funnel:${f.id}`,
      title: f.name,
      description: `Saved funnel · ${f.definition.steps.length} steps`,
      chart: {
        title: f.name,
        query: { kind: "funnel" as const, funnel_id: f.id },
        chart: "funnel" as const,
        size: "large" as const,
        range_days: 30,
      },
    })),
  ];
  return { choices, loading: gallery.isPending };
}

function NameStep({ value, onChange, errors }: StepProps) {
  const v = useAnswers(value, { name: "", description: "" }, onChange);
  return (
    <div className="grid gap-4">
      <Field label="Dashboard name" error={errors.name} hint="e.g. Weekly marketing, Store health">
        <Input value={String(v.name)} maxLength={120} onChange={(e) => onChange({ ...v, name: e.target.value })} autoFocus />
      </Field>
      <Field label="Description" hint="Optional: who it is for" error={errors.description}>
        <Textarea
          rows={2}
          value={String(v.description ?? "")}
          maxLength={500}
          onChange={(e) => onChange({ ...v, description: e.target.value })}
        />
      </Field>
    </div>
  );
}

function ChartsStep({ value, onChange, errors }: StepProps) {
  const v = useAnswers(value, { picks: [] as string[], funnel_titles: {} as Record<string, string> }, onChange);
  const picks = (v.picks ?? []) as string[];
  const { choices, loading } = useChoices();
  const [preview, setPreview] = useState<string | null>(null);
  const shown = choices.find((c) => c.key === (preview ?? picks[picks.length - 1]));
  const toggle = (c: Choice) => {
    const on = picks.includes(c.key);
    const next = on ? picks.filter((k) => k !== c.key) : [...picks, c.key];
    const titles = { ...(v.funnel_titles as Record<string, string>) };
    if (c.key.startsWith("funnel:")) titles[c.key] = c.title;
    onChange({ picks: next, funnel_titles: titles });
    if (!on) setPreview(c.key);
  };
  if (loading) return <Skeleton className="h-64" />;
  return (
    <div className="grid gap-6 xl:grid-cols-[1fr_20rem]">
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Questions to answer ({picks.length} picked)</legend>
        {errors.picks && <p className="mb-2 text-sm text-danger">{errors.picks}</p>}
        <ul className="grid gap-2 sm:grid-cols-2">
          {choices.map((c) => {
            const on = picks.includes(c.key);
            return (
              <li key={c.key}>
                <label
                  className={`flex cursor-pointer gap-3 rounded-lg border p-3 text-sm ${on ? "border-accent bg-accent-soft" : "border-line hover:bg-subtle"}`}
                  onMouseEnter={() => setPreview(c.key)}
                >
                  <input type="checkbox" className="mt-0.5" checked={on} onChange={() => toggle(c)} onFocus={() => setPreview(c.key)} />
                  <span>
                    <span className="block font-medium">{c.title}</span>
                    <span className="block text-muted">{c.description}</span>
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <aside aria-live="polite" className="self-start rounded-xl border border-line p-4">
        <h3 className="mb-3 text-sm font-semibold">{shown ? `Preview: ${shown.title}` : "Preview"}</h3>
        {shown ? (
          <ChartView chart={shown.chart} compact />
        ) : (
          <p className="text-sm text-muted">Pick or hover a chart to see it with your data.</p>
        )}
      </aside>
    </div>
  );
}

interface Slot {
  key: string;
  size: Size;
  title?: string;
}

function ArrangeStep({ value, onChange, errors, state }: StepProps) {
  const { choices, loading } = useChoices();
  const picks = ((state.charts as { picks?: string[] } | undefined)?.picks ?? []) as string[];
  const defaults = loading
    ? null
    : { layout: picks.map((key) => ({ key, size: (choices.find((c) => c.key === key)?.chart.size ?? "medium") as Size })) };
  const v = useAnswers(value, defaults ?? { layout: [] as Slot[] }, onChange);
  const layout = ((v.layout ?? []) as Slot[]).filter((s) => picks.includes(s.key));
  const set = (next: Slot[]) => onChange({ layout: next });
  const move = (i: number, d: -1 | 1) => {
    const j = i + d;
    if (j < 0 || j >= layout.length) return;
    const next = [...layout];
    [next[i], next[j]] = [next[j] as Slot, next[i] as Slot];
    set(next);
    // Keep the keyboard on the moved chart: focus its title field in the new position.
    requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`#arrange-${CSS.escape(next[j]?.key ?? "")} input`)?.focus());
  };
  const onKey = (i: number) => (e: KeyboardEvent) => {
    if (e.altKey && e.key === "ArrowUp") {
      e.preventDefault();
      move(i, -1);
    } else if (e.altKey && e.key === "ArrowDown") {
      e.preventDefault();
      move(i, 1);
    }
  };
  if (loading) return <Skeleton className="h-48" />;
  return (
    <div>
      <p className="mb-3 text-sm text-muted">First is shown at the top. Keyboard: in a chart's row, Alt+↑ / Alt+↓ moves it.</p>
      <ol className="space-y-2">
        {layout.map((s, i) => {
          const c = choices.find((x) => x.key === s.key);
          return (
            <li
              key={s.key}
              id={`arrange-${s.key}`}
              onKeyDown={onKey(i)}
              className="grid gap-3 rounded-lg border border-line p-3 focus-within:border-accent sm:grid-cols-[2rem_1fr_9rem_auto] sm:items-end"
            >
              <span className="text-sm text-muted tabular-nums sm:pb-2">{i + 1}.</span>
              <Field label="Title" error={errors[`layout.${i}.title`]}>
                <Input
                  value={s.title ?? c?.title ?? ""}
                  maxLength={120}
                  onChange={(e) => set(layout.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))}
                />
              </Field>
              <Field label="Size">
                <Select value={s.size} onChange={(e) => set(layout.map((x, j) => (j === i ? { ...x, size: e.target.value as Size } : x)))}>
                  <option value="small">Small (⅓)</option>
                  <option value="medium">Medium (⅔)</option>
                  <option value="large">Large (full)</option>
                </Select>
              </Field>
              <div className="flex gap-1">
                <Button
                  type="button"
                  variant="secondary"
                  size="sm"
                  onClick={() => move(i, -1)}
                  disabled={i === 0}
                  aria-label={`Move ${c?.title ?? s.key} up`}
                >
                  ↑
                </Button>
                <Button
                  type="button"
                  variant="secondary"
                  size="sm"
                  onClick={() => move(i, 1)}
                  disabled={i === layout.length - 1}
                  aria-label={`Move ${c?.title ?? s.key} down`}
                >
                  ↓
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      {errors.layout && <p className="mt-2 text-sm text-danger">{errors.layout}</p>}
    </div>
  );
}

export const DASHBOARD_STEPS: Record<string, StepComponent> = { name: NameStep, charts: ChartsStep, arrange: ArrangeStep };
