import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { useWorkspace } from "../../lib/workspace";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { Tabs } from "../ui/Tabs";
import { aq, fmtNumber, type TopDimension } from "./client";

const TABS: { key: TopDimension; label: string; column: string }[] = [
  { key: "page", label: "Pages", column: "Page" },
  { key: "referrer", label: "Referrers", column: "Referrer" },
  { key: "utm_source", label: "UTM sources", column: "Source" },
  { key: "country", label: "Countries", column: "Country" },
  { key: "device", label: "Devices", column: "Device" },
  { key: "browser", label: "Browsers", column: "Browser" },
];

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: "region" });
  } catch {
    return null;
  }
})();
function display(dim: TopDimension, v: string): string {
  if (dim === "country" && /^[A-Z]{2}$/.test(v)) return `${regionNames?.of(v) ?? v} (${v})`;
  return v;
}

/** Top pages / referrers / sources / countries / devices / browsers, each with a proportional bar. */
export function TopLists({ range }: { range: { from: string; to: string } }) {
  const ws = useWorkspace();
  const [dim, setDim] = useState<TopDimension>("page");
  const tab = TABS.find((t) => t.key === dim) ?? TABS[0];
  const top = useQuery(aq.top(ws.id, range, dim));
  const rows = top.data?.data ?? [];
  const max = Math.max(1, ...rows.map((r) => r.pageviews));
  return (
    <Card title="Top lists" description="By page views in the selected range." bodyClassName="px-5 pb-5">
      <Tabs label="Top lists" items={TABS} value={dim} onChange={setDim}>
        {top.isPending ? (
          <TableSkeleton rows={5} />
        ) : top.isError ? (
          <p role="alert" className="py-4 text-sm text-danger">
            {errorMessage(top.error)}
          </p>
        ) : rows.length === 0 ? (
          <EmptyState title={`No ${tab.label.toLowerCase()} yet`}>Page views with this information will show here.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Top {tab.label.toLowerCase()} by page views</caption>
              <thead className="border-b border-line text-xs font-medium tracking-wide text-muted uppercase">
                <tr>
                  <th scope="col" className="py-2.5 pr-4 font-medium">
                    {tab.column}
                  </th>
                  <th scope="col" className="px-4 py-2.5 text-right font-medium">
                    Visitors
                  </th>
                  <th scope="col" className="py-2.5 pl-4 text-right font-medium">
                    Page views
                  </th>
                </tr>
              </thead>
              <tbody className={top.isPlaceholderData ? "opacity-60" : undefined}>
                {rows.map((r) => (
                  <tr key={r.value}>
                    <td className="relative py-1.5 pr-4">
                      <span
                        aria-hidden="true"
                        className="absolute inset-y-1 left-0 rounded-md bg-accent-soft"
                        style={{ width: `${(r.pageviews / max) * 100}%` }}
                      />
                      <span className="relative block max-w-[28rem] truncate px-2 py-0.5" title={r.value}>
                        {display(dim, r.value)}
                      </span>
                    </td>
                    <td className="px-4 py-1.5 text-right text-muted tabular-nums">{fmtNumber(r.visitors)}</td>
                    <td className="py-1.5 pl-4 text-right font-medium tabular-nums">{fmtNumber(r.pageviews)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Tabs>
    </Card>
  );
}
