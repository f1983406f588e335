import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Button } from "../ui/Button";
import { Field, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import { formatMoney, type OrderDetail, type OrderEvent } from "./client";

const LABELS: Record<string, string> = {
  created: "Order placed",
  payment_started: "Payment started",
  paid: "Payment received",
  payment_failed: "Payment failed",
  expired: "Expired (stock hold ran out)",
  receipt_sent: "Receipt emailed",
  receipt_resent: "Receipt emailed again",
  coupon_redeemed: "Coupon redeemed",
  fulfilled: "Shipped",
  shipping_email_sent: "Shipping email sent",
  refund_requested: "Refund requested",
  refunded: "Refunded",
  refund_failed: "Refund failed",
  refund_email_sent: "Refund email sent",
  cancelled: "Cancelled",
  note: "Note",
};
const label = (type: string) => LABELS[type] ?? type.replace(/[._]/g, " ").replace(/^\w/, (c) => c.toUpperCase());

function actorLabel(actor: string, members: Map<string, string>): string {
  if (actor === "system") return "Weft";
  if (actor === "customer") return "Customer";
  if (actor.startsWith("provider:")) {
    const p = actor.slice(9);
    return p === "simulator" ? "Payment simulator" : p === "paypal" ? "PayPal" : p === "stripe" ? "Stripe" : p;
  }
  return members.get(actor) ?? "A team member";
}

/** One line under an event's title from its detail (amounts, tracking, reasons, notes). */
function summary(e: OrderEvent, currency: string): string | null {
  const d = e.detail;
  const money = (k: string) => (typeof d[k] === "number" ? formatMoney(d[k] as number, (d.currency as string) ?? currency) : null);
  const parts: string[] = [];
  if (e.type === "note" && typeof d.body === "string") return d.body;
  const amount = money("amount");
  if (amount) parts.push(amount);
  if (typeof d.code === "string") parts.push(d.code);
  if (typeof d.carrier === "string") parts.push(d.carrier);
  if (typeof d.tracking_number === "string") parts.push(`tracking ${d.tracking_number}`);
  if (typeof d.to === "string") parts.push(`to ${d.to}`);
  if (typeof d.reason === "string" && d.reason) parts.push(d.reason);
  if (d.restocked === true || d.restock === true) parts.push("stock returned");
  return parts.length ? parts.join(" · ") : null;
}

/** Every event of the order, oldest first, plus a form to add a note (staff with commerce:write). */
export function OrderTimeline({
  order,
  members,
  canWrite,
  onChanged,
}: {
  order: OrderDetail;
  members: Map<string, string>;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const [body, setBody] = useState("");
  const note = useMutation({
    mutationFn: () => api("POST /api/v1/commerce/orders/{id}/notes", { params: { id: order.id }, body: { body: body.trim() } }),
    onSuccess: () => {
      setBody("");
      toast.success("Note added");
      onChanged();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <div>
      <ol className="relative ml-2 border-l border-line">
        {order.events.map((e) => {
          const s = summary(e, order.currency);
          return (
            <li key={e.id} className="mb-4 ml-4">
              <span
                className={`absolute -left-[5px] mt-1.5 size-2.5 rounded-full ${
                  e.type.includes("fail") ? "bg-danger" : e.type === "paid" ? "bg-success" : e.type === "note" ? "bg-warning" : "bg-accent"
                }`}
                aria-hidden="true"
              />
              <p className="text-sm font-medium">{label(e.type)}</p>
              {s && <p className={`text-sm ${e.type === "note" ? "whitespace-pre-wrap" : "text-muted"}`}>{s}</p>}
              <p className="text-xs text-muted">
                <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time> · {actorLabel(e.actor, members)}
              </p>
            </li>
          );
        })}
      </ol>
      {order.events.length === 0 && <p className="text-sm text-muted">No events yet.</p>}
      {canWrite && (
        <form
          className="mt-2 grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) note.mutate();
          }}
        >
          <Field label="Add a note" hint="Only your team sees notes.">
            <Textarea rows={2} maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
          <Button type="submit" size="sm" variant="secondary" className="justify-self-end" disabled={!body.trim()} loading={note.isPending}>
            Add note
          </Button>
        </form>
      )}
    </div>
  );
}
