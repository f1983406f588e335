import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Menu } from "../ui/Menu";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { type Coupon, formatMoney } from "./client";
import { CouponDialog } from "./CouponDialog";
import { TicketIcon } from "./icons";

export function discountText(c: Coupon): string {
  const off =
    c.kind === "percent" ? `${(c.percent_off_bps ?? 0) / 100}% off` : `${formatMoney(c.amount_off ?? 0, c.currency ?? "USD")} off`;
  const scope = c.applies_to === "products" ? ` ${c.product_ids.length} product${c.product_ids.length === 1 ? "" : "s"}` : " the order";
  const min = c.min_subtotal ? ` over ${formatMoney(c.min_subtotal, c.currency ?? "USD")}` : "";
  return `${off}${scope}${min}${c.first_order_only ? ", first order only" : ""}`;
}

function couponState(c: Coupon, now = Date.now()): { label: string; tone: "success" | "neutral" | "warning" | "danger" } {
  if (!c.active) return { label: "Inactive", tone: "neutral" };
  if (c.ends_at && Date.parse(c.ends_at) <= now) return { label: "Expired", tone: "neutral" };
  if (c.starts_at && Date.parse(c.starts_at) > now) return { label: "Scheduled", tone: "warning" };
  if (c.max_redemptions !== null && c.redeemed_count >= c.max_redemptions) return { label: "Used up", tone: "danger" };
  return { label: "Active", tone: "success" };
}

/** Coupons with their usage so far (live uses: held by open checkouts or paid) against their limit. */
export function CouponsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [editing, setEditing] = useState<Coupon | "new" | null>(null);
  const [pending, setPending] = useState<{ kind: "deactivate" | "delete"; coupon: Coupon } | null>(null);
  const query = { limit: 25, cursor: pager.cursor };
  const list = useQuery({
    queryKey: tkey(ws.id, "commerce", "coupons", query),
    queryFn: () => api("GET /api/v1/commerce/coupons", { query }),
    placeholderData: keepPreviousData,
  });
  const write = ws.can("commerce:write");
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce", "coupons") });
  const act = useMutation({
    mutationFn: async (a: { kind: "deactivate" | "activate" | "delete"; coupon: Coupon }) => {
      if (a.kind === "delete") await api("DELETE /api/v1/commerce/coupons/{id}", { params: { id: a.coupon.id } });
      else await api("PATCH /api/v1/commerce/coupons/{id}", { params: { id: a.coupon.id }, body: { active: a.kind === "activate" } });
    },
    onSuccess: (_r, a) => {
      setPending(null);
      void refresh();
      toast.success(`${a.coupon.code} ${a.kind === "delete" ? "deleted" : a.kind === "activate" ? "is active again" : "deactivated"}`);
    },
    onError: (e) => {
      setPending(null);
      toast.error(errorMessage(e));
    },
  });
  const columns: Column<Coupon>[] = [
    {
      key: "code",
      header: "Code",
      cell: (c) => (
        <div className="min-w-0">
          <span className="font-mono font-medium">{c.code}</span>
          {c.name && <span className="block truncate text-xs text-muted">{c.name}</span>}
        </div>
      ),
      sort: (c) => c.code,
    },
    { key: "discount", header: "Discount", cell: (c) => <span className="text-sm">{discountText(c)}</span> },
    {
      key: "usage",
      header: "Used",
      className: "tabular-nums whitespace-nowrap",
      cell: (c) => (
        <span>
          {c.redeemed_count}
          <span className="text-muted"> / {c.max_redemptions ?? "∞"}</span>
          {c.max_per_customer !== null && <span className="block text-xs text-muted">{c.max_per_customer} per customer</span>}
        </span>
      ),
      sort: (c) => c.redeemed_count,
    },
    {
      key: "state",
      header: "Status",
      cell: (c) => {
        const s = couponState(c);
        return <Badge tone={s.tone}>{s.label}</Badge>;
      },
    },
    {
      key: "dates",
      header: "Valid",
      hideOnMobile: true,
      cell: (c) => (
        <span className="text-xs text-muted">
          {c.starts_at || c.ends_at
            ? `${c.starts_at ? formatDate(c.starts_at) : "now"} – ${c.ends_at ? formatDate(c.ends_at) : "no end"}`
            : "Always"}
        </span>
      ),
    },
    ...(write
      ? [
          {
            key: "actions",
            header: "Actions",
            className: "w-12 text-right",
            cell: (c: Coupon) => (
              <Menu
                label={`Actions for ${c.code}`}
                buttonClassName="rounded-lg px-2 py-1 text-muted hover:bg-subtle hover:text-fg"
                button={
                  <>
                    <span aria-hidden="true">•••</span>
                    <span className="sr-only">Actions for {c.code}</span>
                  </>
                }
                items={[
                  { label: "Edit…", onSelect: () => setEditing(c) },
                  c.active
                    ? { label: "Deactivate…", onSelect: () => setPending({ kind: "deactivate", coupon: c }) }
                    : { label: "Activate", onSelect: () => act.mutate({ kind: "activate", coupon: c }) },
                  ...(c.redeemed_count === 0
                    ? [{ label: "Delete…", danger: true, onSelect: () => setPending({ kind: "delete", coupon: c }) }]
                    : []),
                ]}
              />
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title="Coupons"
        description="Codes buyers enter at checkout. Limits are enforced atomically: a code limited to 10 uses is used 10 times, however many try at once."
        actions={write && <Button onClick={() => setEditing("new")}>New coupon</Button>}
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {list.isPending ? (
          <TableSkeleton rows={4} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Coupons"
            columns={columns}
            rows={list.data.data}
            rowKey={(c) => c.id}
            empty={
              <EmptyState
                icon={<TicketIcon />}
                title="No coupons yet"
                action={write && <Button onClick={() => setEditing("new")}>Create a coupon</Button>}
              >
                Percent or amount off, for the whole order or some products, with dates, a minimum and usage limits.
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
      </section>
      <CouponDialog coupon={editing} onClose={() => setEditing(null)} onSaved={refresh} />
      <Dialog
        open={pending !== null}
        onClose={() => setPending(null)}
        title={pending?.kind === "delete" ? `Delete ${pending.coupon.code}?` : `Deactivate ${pending?.coupon.code ?? ""}?`}
        description={
          pending?.kind === "delete"
            ? "It has never been used. It is removed for good."
            : "Buyers can no longer apply it; checkouts already holding it keep their discount. You can activate it again later."
        }
        footer={
          <>
            <Button variant="secondary" onClick={() => setPending(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={act.isPending} onClick={() => pending && act.mutate(pending)}>
              {pending?.kind === "delete" ? "Delete" : "Deactivate"}
            </Button>
          </>
        }
      />
    </>
  );
}
