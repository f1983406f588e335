import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { PageHeader } from "../ui/Card";
import { cx } from "../ui/cx";
import { Field, Input, Select } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { formatMoney } from "./client";
import type { SalesMetric } from "./SalesChart";

const SalesChart = lazy(() => import("./SalesChart"));
const DAY = 86_400_000;
const PRESETS = [
  { key: "7", label: "7 days", days: 7 },
  { key: "30", label: "30 days", days: 30 },
  { key: "90", label: "90 days", days: 90 },
  { key: "365", label: "12 months", days: 365 },
  { key: "custom", label: "Custom", days: 0 },
] as const;
type Preset = (typeof PRESETS)[number]["key"];
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const METRICS: { key: SalesMetric; label: string; hint: string }[] = [
  { key: "revenue", label: "Revenue", hint: "Paid orders, net of refunds" },
  { key: "orders", label: "Orders", hint: "Paid orders" },
  { key: "average_order_value", label: "Average order", hint: "Revenue ÷ orders" },
  { key: "refunds", label: "Refunds", hint: "Refunded on orders paid in the period" },
];

/** Sales figures: revenue, orders, average order value and refunds per day / week / month, in one currency (UTC days). */
export function SalesPage() {
  const ws = useWorkspace();
  const [preset, setPreset] = useState<Preset>("30");
  const [from, setFrom] = useState(isoDay(Date.now() - 29 * DAY));
  const [to, setTo] = useState(isoDay(Date.now()));
  const [interval, setBucket] = useState<"day" | "week" | "month">("day");
  const [currency, setCurrency] = useState<string>("");
  const [metric, setMetric] = useState<SalesMetric>("revenue");
  const settings = useQuery({ queryKey: tkey(ws.id, "commerce", "settings"), queryFn: () => api("GET /api/v1/commerce/settings") });
  const cur = currency || settings.data?.default_currency || "";
  const choose = (p: Preset) => {
    setPreset(p);
    const days = PRESETS.find((x) => x.key === p)?.days ?? 0;
    if (days) {
      setFrom(isoDay(Date.now() - (days - 1) * DAY));
      setTo(isoDay(Date.now()));
      setBucket(days > 120 ? "month" : days > 31 ? "week" : "day");
    }
  };
  const query = { from, to, interval, currency: cur || undefined };
  const sales = useQuery({
    queryKey: tkey(ws.id, "commerce", "sales", query),
    queryFn: () => api("GET /api/v1/commerce/sales", { query }),
    placeholderData: keepPreviousData,
    enabled: Boolean(cur) && from <= to,
  });
  const totals = sales.data?.totals;
  return (
    <>
      <PageHeader
        title="Sales"
        description="From confirmed payments only, by the day they were paid (UTC). Refunds are taken off revenue."
      />
      <div className="mb-4 flex flex-wrap items-end gap-3 [&>fieldset]:mb-0.5">
        <fieldset className="inline-flex min-w-0 max-w-full overflow-x-auto rounded-lg border border-line bg-surface p-0.5 shadow-sm">
          <legend className="sr-only">Date range</legend>
          {PRESETS.map((p) => (
            <label
              key={p.key}
              className={cx(
                "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent",
                p.key === preset ? "bg-accent-soft text-accent" : "text-muted hover:text-fg",
              )}
            >
              <input type="radio" name="sales-range" className="sr-only" checked={p.key === preset} onChange={() => choose(p.key)} />
              {p.label}
            </label>
          ))}
        </fieldset>
        {preset === "custom" && (
          <>
            <Field label="From">
              <Input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
            </Field>
            <Field label="To">
              <Input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
            </Field>
          </>
        )}
        <Field label="Per">
          <Select value={interval} onChange={(e) => setBucket(e.target.value as "day" | "week" | "month")}>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </Select>
        </Field>
        <Field label="Currency">
          <Select value={cur} onChange={(e) => setCurrency(e.target.value)}>
            {(settings.data?.currencies ?? []).map((c) => (
              <option key={c}>{c}</option>
            ))}
          </Select>
        </Field>
      </div>
      {sales.isError && (
        <p role="alert" className="mb-4 text-sm text-danger">
          {errorMessage(sales.error)}
        </p>
      )}
      <fieldset className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <legend className="sr-only">Chart measure</legend>
        {METRICS.map((m) => {
          const value = totals
            ? m.key === "orders"
              ? String(totals.orders)
              : formatMoney(totals[m.key], sales.data?.currency ?? cur)
            : null;
          return (
            <button
              key={m.key}
              type="button"
              aria-pressed={metric === m.key}
              onClick={() => setMetric(m.key)}
              className={cx(
                "rounded-xl border bg-surface p-4 text-left shadow-sm focus-visible:outline-2 focus-visible:outline-accent",
                metric === m.key ? "border-accent ring-1 ring-accent" : "border-line hover:border-muted",
              )}
            >
              <span className="block text-sm text-muted">{m.label}</span>
              {value === null ? (
                <Skeleton className="mt-2 h-8 w-24" />
              ) : (
                <span className="mt-1 block text-2xl font-semibold tabular-nums">{value}</span>
              )}
              <span className="mt-1 block text-xs text-muted">{m.hint}</span>
            </button>
          );
        })}
      </fieldset>
      <section className="mt-4 rounded-xl border border-line bg-surface p-4 shadow-sm">
        {sales.data ? (
          sales.data.totals.orders === 0 && sales.data.totals.refunds === 0 ? (
            <p className="py-16 text-center text-sm text-muted">No paid orders in {sales.data.currency} in this period.</p>
          ) : (
            <Suspense fallback={<Skeleton className="h-72" />}>
              <SalesChart sales={sales.data} metric={metric} />
            </Suspense>
          )
        ) : (
          <Skeleton className="h-72" />
        )}
      </section>
    </>
  );
}
