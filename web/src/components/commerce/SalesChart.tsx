import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtCompact, fmtPeriod, tooltipStyle } from "../analytics/client";
import { exponent, formatMoney, type Sales } from "./client";

export type SalesMetric = "revenue" | "orders" | "average_order_value" | "refunds";
const LABEL: Record<SalesMetric, string> = {
  revenue: "Revenue",
  orders: "Orders",
  average_order_value: "Average order value",
  refunds: "Refunds",
};

/**
 * One sales measure per period (recharts, lazy-loaded like the analytics charts): revenue as bars
 * with refunds beside them, orders as bars, the average as a line.
 */
export default function SalesChart({ sales, metric }: { sales: Sales; metric: SalesMetric }) {
  const cur = sales.currency;
  const major = (n: number) => n / 10 ** exponent(cur);
  const data = sales.series.map((p) => ({
    label: fmtPeriod(p.period, sales.interval),
    revenue: major(p.revenue),
    refunds: major(p.refunds),
    average_order_value: major(p.average_order_value),
    orders: p.orders,
  }));
  const money = metric !== "orders";
  const fmt = (v: number) => (money ? formatMoney(Math.round(v * 10 ** exponent(cur)), cur) : String(v));
  const total = metric === "orders" ? String(sales.totals.orders) : formatMoney(sales.totals[metric], cur);
  const summary = `${LABEL[metric]} per ${sales.interval} over ${data.length} periods; total ${total}.`;
  return (
    <div className="h-72" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="label" tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis
            allowDecimals={money}
            tickFormatter={fmtCompact}
            tick={{ fill: "var(--muted)", fontSize: 11 }}
            tickLine={false}
            axisLine={false}
            width={48}
          />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmt(Number(v))} />
          {metric === "revenue" && <Legend wrapperStyle={{ fontSize: 12, color: "var(--muted)" }} />}
          {metric === "revenue" && (
            <>
              <Bar dataKey="revenue" name="Revenue" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
              <Bar dataKey="refunds" name="Refunds" fill="#ef4444" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            </>
          )}
          {metric === "refunds" && <Bar dataKey="refunds" name="Refunds" fill="#ef4444" radius={[3, 3, 0, 0]} isAnimationActive={false} />}
          {metric === "orders" && (
            <Bar dataKey="orders" name="Orders" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          )}
          {metric === "average_order_value" && (
            <Line
              type="monotone"
              dataKey="average_order_value"
              name="Average order value"
              stroke="#10b981"
              strokeWidth={2}
              dot={data.length <= 31 ? { r: 2 } : false}
              isAnimationActive={false}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
