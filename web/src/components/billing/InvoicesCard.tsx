import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import type { Invoice } from "../../lib/api-types";
import { formatDate } from "../../lib/format";
import { tkey } from "../../lib/workspace";
import { ListIcon } from "../icons";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { PLAN_LABEL, usd } from "./format";

const periodFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
/** "Jan 1 – Feb 1, 2027". */
const formatPeriod = (start: string, end: string) => periodFormat.formatRange(new Date(start), new Date(end));

const tone = { paid: "success", open: "warning", payment_failed: "danger", draft: "neutral", void: "neutral" } as const;

export function InvoicesCard({ tenantId }: { tenantId: string }) {
  const pager = useCursor();
  const list = useQuery({
    queryKey: tkey(tenantId, "invoices", pager.cursor),
    queryFn: () => api("GET /api/v1/billing/invoices", { query: { limit: 10, cursor: pager.cursor } }),
  });
  const [open, setOpen] = useState<Invoice | null>(null);
  const columns: Column<Invoice>[] = [
    { key: "number", header: "Invoice", cell: (i) => <span className="font-medium">{i.number}</span> },
    // The period, not the row's creation time: invoices the simulator's test clock produced are created now for later periods.
    { key: "period", header: "Period", cell: (i) => <span className="text-muted">{formatPeriod(i.period_start, i.period_end)}</span> },
    { key: "plan", header: "Plan", hideOnMobile: true, cell: (i) => PLAN_LABEL[i.plan] ?? i.plan },
    { key: "total", header: "Total", className: "text-right tabular-nums", cell: (i) => usd(i.total_cents) },
    {
      key: "status",
      header: "Status",
      cell: (i) => <Badge tone={tone[i.status as keyof typeof tone] ?? "neutral"}>{i.status.replace("_", " ")}</Badge>,
    },
    {
      key: "view",
      header: "Details",
      className: "text-right",
      cell: (i) => (
        <Button size="sm" variant="ghost" onClick={() => setOpen(i)} aria-label={`View invoice ${i.number}`}>
          View
        </Button>
      ),
    },
  ];
  return (
    <Card
      title="Invoices"
      description="Monthly invoices in US dollars; provider invoice ids and status are mirrored from payment webhooks."
      bodyClassName=""
    >
      {list.isPending ? (
        <TableSkeleton rows={3} />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : (
        <Table
          caption="Invoices"
          columns={columns}
          rows={list.data.data}
          rowKey={(i) => i.id}
          empty={
            <EmptyState icon={<ListIcon />} title="No invoices yet">
              Invoices appear here once you subscribe to a paid plan.
            </EmptyState>
          }
        />
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(list.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(list.data?.next_cursor)}
      />
      {open && <InvoiceDialog tenantId={tenantId} invoice={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function InvoiceDialog({ tenantId, invoice, onClose }: { tenantId: string; invoice: Invoice; onClose: () => void }) {
  const detail = useQuery({
    queryKey: tkey(tenantId, "invoice", invoice.id),
    queryFn: () => api("GET /api/v1/billing/invoices/{id}", { params: { id: invoice.id } }),
  });
  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={`Invoice ${invoice.number}`}
      description={`${formatPeriod(invoice.period_start, invoice.period_end)} · issued ${formatDate(invoice.created_at)} · ${invoice.provider === "simulator" ? "Payment simulator (local)" : invoice.provider}${invoice.provider_invoice_id ? ` · ${invoice.provider_invoice_id}` : ""}`}
      footer={<Button onClick={onClose}>Close</Button>}
    >
      {detail.isPending ? (
        <TableSkeleton rows={3} />
      ) : detail.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(detail.error)}
        </p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Invoice lines</caption>
          <thead>
            <tr className="text-left text-muted">
              <th className="py-1 font-medium">Description</th>
              <th className="py-1 text-right font-medium">Qty</th>
              <th className="py-1 text-right font-medium">Amount</th>
            </tr>
          </thead>
          <tbody>
            {detail.data.lines.map((l) => (
              <tr key={l.id} className="border-t border-line">
                <td className="py-2 pr-2">{l.description}</td>
                <td className="py-2 text-right tabular-nums">{l.quantity.toLocaleString("en-US")}</td>
                <td className="py-2 text-right tabular-nums">{usd(l.amount_cents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="border-t border-line font-semibold">
              <td className="py-2" colSpan={2}>
                Total
              </td>
              <td className="py-2 text-right tabular-nums">{usd(detail.data.total_cents)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </Dialog>
  );
}
