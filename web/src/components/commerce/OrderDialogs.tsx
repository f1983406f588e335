import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import { formatMoney, type OrderDetail, parseMajor, toMajorText } from "./client";

interface Props {
  open: boolean;
  order: OrderDetail;
  onClose: () => void;
  onDone: () => void;
}
const PROVIDER: Record<string, string> = { stripe: "Stripe", paypal: "PayPal", simulator: "the payment simulator" };

/** Units of a line still refundable, and a line's share per unit (its total includes discount and tax). */
const refundableUnits = (l: OrderDetail["lines"][number]) => l.quantity - l.refunded_quantity;
const perUnit = (l: OrderDetail["lines"][number]) => Math.floor(l.total / l.quantity);

/**
 * Refund by lines (quantities, optionally back into stock) or by an amount, then a confirmation
 * step naming the amount and the provider. The refund is pending until the provider confirms it.
 */
export function RefundDialog({ open, order, onClose, onDone }: Props) {
  const [mode, setMode] = useState<"lines" | "amount">("lines");
  const [qty, setQty] = useState<Record<string, string>>({});
  const [amountText, setAmountText] = useState("");
  const [restock, setRestock] = useState(true);
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remainder = order.total - order.refunded;
  const lines = order.lines
    .map((l) => ({ line: l, q: Number(qty[l.id] || 0) }))
    .filter(({ line, q }) => Number.isInteger(q) && q > 0 && q <= refundableUnits(line));
  const badQty = order.lines.some((l) => {
    const q = Number(qty[l.id] || 0);
    return !Number.isInteger(q) || q < 0 || q > refundableUnits(l);
  });
  const linesAmount = Math.min(
    remainder,
    lines.reduce((s, { line, q }) => s + (q === refundableUnits(line) && line.refunded_quantity === 0 ? line.total : perUnit(line) * q), 0),
  );
  const amount = mode === "amount" ? parseMajor(amountText, order.currency) : linesAmount;
  const amountError =
    mode === "amount" && amount !== null && (Number.isNaN(amount) || amount > remainder || amount <= 0)
      ? `Between ${formatMoney(1, order.currency)} and ${formatMoney(remainder, order.currency)}`
      : undefined;
  const valid = mode === "lines" ? lines.length > 0 && !badQty : amount !== null && !amountError;
  const close = () => {
    setConfirming(false);
    setError(null);
    setQty({});
    setAmountText("");
    setReason("");
    onClose();
  };
  const refund = useMutation({
    mutationFn: () =>
      api("POST /api/v1/commerce/orders/{id}/refunds", {
        params: { id: order.id },
        body:
          mode === "lines"
            ? { lines: lines.map(({ line, q }) => ({ line_id: line.id, quantity: q })), restock, reason: reason.trim() || undefined }
            : { amount: amount ?? undefined, reason: reason.trim() || undefined },
      }),
    onSuccess: () => {
      toast.success(`Refund of ${formatMoney(amount ?? 0, order.currency)} requested from ${PROVIDER[order.provider] ?? order.provider}`);
      onDone();
      close();
    },
    onError: (e) => {
      setConfirming(false);
      setError(e instanceof ApiError ? e.message : errorMessage(e));
    },
  });
  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title={confirming ? `Refund ${formatMoney(amount ?? 0, order.currency)}?` : `Refund order #${order.number}`}
      description={
        confirming
          ? `The money goes back to ${order.email} through ${PROVIDER[order.provider] ?? order.provider}. This cannot be undone.`
          : `Up to ${formatMoney(remainder, order.currency)} is left to refund.`
      }
      footer={
        confirming ? (
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Back
            </Button>
            <Button variant="danger" loading={refund.isPending} onClick={() => refund.mutate()}>
              Refund {formatMoney(amount ?? 0, order.currency)}
            </Button>
          </>
        ) : (
          <>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" form="refund-form" disabled={!valid}>
              Review refund
            </Button>
          </>
        )
      }
    >
      {!confirming && (
        <form
          id="refund-form"
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) setConfirming(true);
          }}
        >
          {error && (
            <p role="alert" className="text-sm text-danger">
              {error}
            </p>
          )}
          <Field label="Refund by">
            <Select value={mode} onChange={(e) => setMode(e.target.value as "lines" | "amount")}>
              <option value="lines">Items</option>
              <option value="amount">Amount</option>
            </Select>
          </Field>
          {mode === "lines" ? (
            <>
              <ul className="divide-y divide-line rounded-lg border border-line">
                {order.lines.map((l) => (
                  <li key={l.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                    <span className="min-w-0">
                      <span className="block truncate font-medium">{l.title}</span>
                      <span className="text-xs text-muted">
                        {l.variant_title || l.sku} · {refundableUnits(l)} of {l.quantity} refundable
                      </span>
                    </span>
                    <Input
                      aria-label={`Units of ${l.title} ${l.variant_title} to refund`}
                      inputMode="numeric"
                      className="w-20"
                      value={qty[l.id] ?? ""}
                      placeholder="0"
                      disabled={refundableUnits(l) === 0}
                      onChange={(e) => setQty({ ...qty, [l.id]: e.target.value })}
                    />
                  </li>
                ))}
              </ul>
              {badQty && <p className="text-xs text-danger">A quantity is more than can be refunded.</p>}
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-accent" checked={restock} onChange={(e) => setRestock(e.target.checked)} />
                Put the items back in stock
              </label>
              <p className="text-sm">
                About <strong>{formatMoney(linesAmount, order.currency)}</strong> (their share of the total, with discount and tax).
              </p>
            </>
          ) : (
            <Field label={`Amount (${order.currency})`} error={amountError}>
              <Input
                inputMode="decimal"
                value={amountText}
                onChange={(e) => setAmountText(e.target.value)}
                placeholder={toMajorText(remainder, order.currency)}
              />
            </Field>
          )}
          <Field label="Reason (optional)" hint="Shown on the timeline and in the refund email.">
            <Input maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        </form>
      )}
    </Dialog>
  );
}

/** Ship the unfulfilled physical lines (all by default) with an optional carrier and tracking; email the buyer. */
export function FulfilDialog({ open, order, onClose, onDone }: Props) {
  const open_ = order.lines.filter((l) => l.type === "physical" && l.fulfilled_quantity < l.quantity - l.refunded_quantity);
  const [picked, setPicked] = useState<Record<string, boolean>>({});
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const [url, setUrl] = useState("");
  const [notify, setNotify] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const chosen = open_.filter((l) => picked[l.id] !== false);
  const fulfil = useMutation({
    mutationFn: () =>
      api("POST /api/v1/commerce/orders/{id}/fulfilments", {
        params: { id: order.id },
        body: {
          lines: chosen.map((l) => ({ line_id: l.id, quantity: l.quantity - l.refunded_quantity - l.fulfilled_quantity })),
          carrier: carrier.trim() || undefined,
          tracking_number: tracking.trim() || undefined,
          tracking_url: url.trim() || undefined,
          notify,
        },
      }),
    onSuccess: () => {
      toast.success(`Order #${order.number} marked as shipped`);
      setError(null);
      onDone();
      onClose();
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Ship order #${order.number}`}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="fulfil-form" disabled={chosen.length === 0} loading={fulfil.isPending}>
            Mark as shipped
          </Button>
        </>
      }
    >
      <form
        id="fulfil-form"
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          fulfil.mutate();
        }}
      >
        {error && !error.problem.errors && (
          <p role="alert" className="text-sm text-danger">
            {error.message}
          </p>
        )}
        <fieldset className="grid gap-1">
          <legend className="mb-1 text-sm font-medium">Items in this shipment</legend>
          {open_.map((l) => (
            <label key={l.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-accent"
                checked={picked[l.id] !== false}
                onChange={(e) => setPicked({ ...picked, [l.id]: e.target.checked })}
              />
              {l.quantity - l.refunded_quantity - l.fulfilled_quantity} × {l.title} {l.variant_title && `(${l.variant_title})`}
            </label>
          ))}
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Carrier" error={error?.field("carrier")}>
            <Input value={carrier} onChange={(e) => setCarrier(e.target.value)} placeholder="DHL, UPS…" maxLength={100} />
          </Field>
          <Field label="Tracking number" error={error?.field("tracking_number")}>
            <Input value={tracking} onChange={(e) => setTracking(e.target.value)} maxLength={200} />
          </Field>
        </div>
        <Field label="Tracking link" error={error?.field("tracking_url")}>
          <Input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-accent" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
          Email the buyer the tracking details
        </label>
      </form>
    </Dialog>
  );
}

/** Cancel: unpaid orders release their stock holds; a paid, unshipped order is refunded in full first. */
export function CancelDialog({ open, order, onClose, onDone }: Props) {
  const [reason, setReason] = useState("");
  const [restock, setRestock] = useState(true);
  const paid = order.paid_at !== null;
  const cancel = useMutation({
    mutationFn: () =>
      api("POST /api/v1/commerce/orders/{id}/cancel", { params: { id: order.id }, body: { reason: reason.trim() || undefined, restock } }),
    onSuccess: () => {
      toast.success(`Order #${order.number} cancelled`);
      onDone();
      onClose();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Cancel order #${order.number}?`}
      description={
        paid
          ? `${formatMoney(order.total - order.refunded, order.currency)} is refunded to ${order.email} in full, then the order is cancelled. This cannot be undone.`
          : "The buyer can no longer pay for it and the stock it holds is released. This cannot be undone."
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Keep order
          </Button>
          <Button variant="danger" loading={cancel.isPending} onClick={() => cancel.mutate()}>
            {paid ? "Refund and cancel" : "Cancel order"}
          </Button>
        </>
      }
    >
      <div className="grid gap-3">
        <Field label="Reason (optional)">
          <Input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </Field>
        {paid && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-accent" checked={restock} onChange={(e) => setRestock(e.target.checked)} />
            Put the items back in stock
          </label>
        )}
      </div>
    </Dialog>
  );
}
