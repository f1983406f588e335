import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, downloadCsv, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor } from "../ui/Table";
import { toast } from "../ui/Toast";
import { ACTION_TONE, ACTIONS, type AiCallRow, SURFACES, usd } from "./types";

const dayStart = (d: string) => (d ? `${d}T00:00:00.000Z` : undefined);
const dayEnd = (d: string) => (d ? new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined);

/** Every AI call: model, tokens, cost, latency, rules fired, action; filters and a CSV export of what the filters select. */
export function CallLogPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [f, setF] = useState({ surface: "", action: "", status: "", model: "", rule: "", from: "", to: "" });
  const [exporting, setExporting] = useState(false);
  const filters = {
    surface: f.surface || undefined,
    action: f.action || undefined,
    status: f.status || undefined,
    model: f.model.trim() || undefined,
    rule: f.rule.trim() || undefined,
    from: dayStart(f.from),
    to: dayEnd(f.to),
  };
  const query = { limit: 50, cursor: pager.cursor, ...filters };
  const list = useQuery({
    queryKey: tkey(ws.id, "ai-safety", "calls", query),
    queryFn: () => call<Page<AiCallRow>>("GET", "/ai/calls", { query }),
    placeholderData: keepPreviousData,
  });
  const set = (k: keyof typeof f) => (v: string) => {
    setF((x) => ({ ...x, [k]: v }));
    pager.reset();
  };
  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadCsv("/ai/calls/export", filters, "ai-calls.csv");
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <PageHeader
        title="Call log"
        description="Kept for your plan's retention period. Filters apply to the export too."
        actions={
          <Button variant="secondary" loading={exporting} onClick={exportCsv}>
            Export CSV
          </Button>
        }
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="grid grid-cols-2 gap-3 border-b border-line p-4 md:grid-cols-4 xl:grid-cols-7">
          <Field label="Surface">
            <Select value={f.surface} onChange={(e) => set("surface")(e.target.value)}>
              <option value="">Any</option>
              {SURFACES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </Select>
          </Field>
          <Field label="Action">
            <Select value={f.action} onChange={(e) => set("action")(e.target.value)}>
              <option value="">Any</option>
              {ACTIONS.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </Select>
          </Field>
          <Field label="Status">
            <Select value={f.status} onChange={(e) => set("status")(e.target.value)}>
              <option value="">Any</option>
              <option value="ok">OK</option>
              <option value="error">Error</option>
            </Select>
          </Field>
          <Field label="Model">
            <Input value={f.model} onChange={(e) => set("model")(e.target.value)} />
          </Field>
          <Field label="Rule fired">
            <Input value={f.rule} onChange={(e) => set("rule")(e.target.value)} placeholder="e.g. claim_price" />
          </Field>
          <Field label="From (UTC)">
            <Input type="date" value={f.from} onChange={(e) => set("from")(e.target.value)} />
          </Field>
          <Field label="To (UTC)">
            <Input type="date" value={f.to} onChange={(e) => set("to")(e.target.value)} />
          </Field>
        </div>
        {list.isPending ? (
          <TableSkeleton rows={6} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="AI calls"
            rows={list.data.data}
            rowKey={(c) => c.id}
            empty={<EmptyState title="No calls">Nothing matches these filters in the retention period.</EmptyState>}
            columns={[
              {
                key: "when",
                header: "When",
                cell: (c) => (
                  <span className="whitespace-nowrap text-muted" title={formatDateTime(c.created_at)}>
                    {formatRelative(c.created_at)}
                  </span>
                ),
              },
              { key: "surface", header: "Surface", cell: (c) => c.surface ?? c.operation },
              {
                key: "model",
                header: "Model",
                hideOnMobile: true,
                cell: (c) => (
                  <span className="text-xs">
                    {c.provider}/{c.model}
                  </span>
                ),
              },
              {
                key: "tokens",
                header: "Tokens",
                hideOnMobile: true,
                className: "tabular-nums",
                cell: (c) => `${c.input_tokens} → ${c.output_tokens}`,
              },
              { key: "cost", header: "Cost", className: "tabular-nums", cell: (c) => usd(c.cost_micros) },
              {
                key: "latency",
                header: "Latency",
                hideOnMobile: true,
                className: "tabular-nums",
                sort: (c) => c.latency_ms,
                cell: (c) => `${c.latency_ms} ms`,
              },
              {
                key: "rules",
                header: "Rules",
                hideOnMobile: true,
                cell: (c) => <span className="block max-w-48 truncate text-xs">{c.rules_fired?.join(", ") || "—"}</span>,
              },
              {
                key: "action",
                header: "Action",
                cell: (c) =>
                  c.status === "error" ? (
                    <Badge tone="danger">error</Badge>
                  ) : c.action ? (
                    <Badge tone={ACTION_TONE[c.action]}>{c.action}</Badge>
                  ) : (
                    "—"
                  ),
              },
            ]}
          />
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(list.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(list.data?.next_cursor)}
        />
      </section>
    </>
  );
}
