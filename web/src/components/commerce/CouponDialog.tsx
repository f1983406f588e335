import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import type { CommerceCouponInput } from "../../lib/api-types";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import { type Coupon, parseMajor, toMajorText } from "./client";

interface Draft {
  code: string;
  name: string;
  kind: "percent" | "amount";
  percent: string;
  amount: string;
  currency: string;
  appliesTo: "order" | "products";
  productIds: string[];
  min: string;
  startsAt: string;
  endsAt: string;
  firstOrderOnly: boolean;
  maxRedemptions: string;
  maxPerCustomer: string;
  active: boolean;
}

/** ISO ↔ the value of an <input type="datetime-local"> (local time). */
const toLocal = (iso: string | null) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocal = (v: string) => (v ? new Date(v).toISOString() : null);

function draftOf(c: Coupon | null, currency: string): Draft {
  const cur = c?.currency ?? currency;
  return {
    code: c?.code ?? "",
    name: c?.name ?? "",
    kind: c?.kind ?? "percent",
    percent: c?.percent_off_bps ? String(c.percent_off_bps / 100) : "10",
    amount: toMajorText(c?.amount_off, cur),
    currency: cur,
    appliesTo: c?.applies_to ?? "order",
    productIds: c?.product_ids ?? [],
    min: toMajorText(c?.min_subtotal, cur),
    startsAt: toLocal(c?.starts_at ?? null),
    endsAt: toLocal(c?.ends_at ?? null),
    firstOrderOnly: c?.first_order_only ?? false,
    maxRedemptions: c?.max_redemptions ? String(c.max_redemptions) : "",
    maxPerCustomer: c?.max_per_customer ? String(c.max_per_customer) : "",
    active: c?.active ?? true,
  };
}

const intOrNull = (s: string) => (s.trim() === "" ? null : Number(s));

/** Create or edit a coupon. The server checks every rule; its field errors show under the inputs. */
export function CouponDialog({ coupon, onClose, onSaved }: { coupon: Coupon | "new" | null; onClose: () => void; onSaved: () => void }) {
  const ws = useWorkspace();
  const settings = useQuery({ queryKey: tkey(ws.id, "commerce", "settings"), queryFn: () => api("GET /api/v1/commerce/settings") });
  const products = useQuery({
    queryKey: tkey(ws.id, "commerce", "products", "picker"),
    queryFn: () => api("GET /api/v1/commerce/products", { query: { limit: 100, status: "active" } }),
    enabled: coupon !== null,
  });
  const existing = coupon && coupon !== "new" ? coupon : null;
  const [d, setD] = useState<Draft>(() => draftOf(existing, "USD"));
  const [error, setError] = useState<ApiError | null>(null);
  const defaultCurrency = settings.data?.default_currency ?? "USD";
  useEffect(() => {
    if (coupon !== null) {
      setD(draftOf(coupon === "new" ? null : coupon, defaultCurrency));
      setError(null);
    }
  }, [coupon, defaultCurrency]);
  const set = (p: Partial<Draft>) => setD((x) => ({ ...x, ...p }));
  const amountOff = parseMajor(d.amount, d.currency);
  const minSubtotal = parseMajor(d.min, d.currency);
  const body: CommerceCouponInput = {
    code: d.code.trim(),
    name: d.name.trim(),
    kind: d.kind,
    percent_off_bps: d.kind === "percent" ? Math.round(Number(d.percent) * 100) : null,
    amount_off: d.kind === "amount" ? amountOff : null,
    currency: d.kind === "amount" || minSubtotal !== null ? d.currency : null,
    applies_to: d.appliesTo,
    product_ids: d.appliesTo === "products" ? d.productIds : [],
    min_subtotal: minSubtotal,
    starts_at: fromLocal(d.startsAt),
    ends_at: fromLocal(d.endsAt),
    first_order_only: d.firstOrderOnly,
    max_redemptions: intOrNull(d.maxRedemptions),
    max_per_customer: intOrNull(d.maxPerCustomer),
    active: d.active,
  };
  const save = useMutation({
    mutationFn: () =>
      existing
        ? api("PATCH /api/v1/commerce/coupons/{id}", { params: { id: existing.id }, body })
        : api("POST /api/v1/commerce/coupons", { body }),
    onSuccess: (c) => {
      toast.success(existing ? `${c.code} saved` : `${c.code} created`);
      onSaved();
      onClose();
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  const f = (k: string) => error?.field(k);
  const currencies = settings.data?.currencies ?? ["USD"];
  return (
    <Dialog
      open={coupon !== null}
      onClose={onClose}
      size="lg"
      title={existing ? `Edit ${existing.code}` : "New coupon"}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="coupon-form" loading={save.isPending}>
            {existing ? "Save" : "Create coupon"}
          </Button>
        </>
      }
    >
      <form
        id="coupon-form"
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          save.mutate();
        }}
      >
        {error && (
          <p role="alert" className="text-sm text-danger sm:col-span-2">
            {error.message}
          </p>
        )}
        <Field label="Code" hint="Letters, digits, - and _; buyers type it in any case." error={f("code")}>
          <Input
            required
            value={d.code}
            onChange={(e) => set({ code: e.target.value.toUpperCase() })}
            className="font-mono"
            maxLength={40}
          />
        </Field>
        <Field label="Name (internal)" error={f("name")}>
          <Input value={d.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} />
        </Field>
        <Field label="Discount type">
          <Select value={d.kind} onChange={(e) => set({ kind: e.target.value as Draft["kind"] })}>
            <option value="percent">Percent off</option>
            <option value="amount">Amount off</option>
          </Select>
        </Field>
        {d.kind === "percent" ? (
          <Field label="Percent off" error={f("percent_off_bps")}>
            <Input inputMode="decimal" value={d.percent} onChange={(e) => set({ percent: e.target.value })} />
          </Field>
        ) : (
          <div className="grid grid-cols-[1fr_6rem] gap-2">
            <Field label="Amount off" error={f("amount_off") ?? (Number.isNaN(amountOff) ? "Not an amount" : undefined)}>
              <Input inputMode="decimal" value={d.amount} onChange={(e) => set({ amount: e.target.value })} />
            </Field>
            <Field label="Currency" error={f("currency")}>
              <Select value={d.currency} onChange={(e) => set({ currency: e.target.value })}>
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </Select>
            </Field>
          </div>
        )}
        <Field label="Applies to">
          <Select value={d.appliesTo} onChange={(e) => set({ appliesTo: e.target.value as Draft["appliesTo"] })}>
            <option value="order">The whole order</option>
            <option value="products">Some products</option>
          </Select>
        </Field>
        <Field
          label={`Minimum order (${d.currency}, optional)`}
          error={f("min_subtotal") ?? (Number.isNaN(minSubtotal) ? "Not an amount" : undefined)}
        >
          <Input inputMode="decimal" value={d.min} onChange={(e) => set({ min: e.target.value })} />
        </Field>
        {d.appliesTo === "products" && (
          <fieldset className="max-h-40 overflow-y-auto rounded-lg border border-line p-2 sm:col-span-2">
            <legend className="px-1 text-sm font-medium">Products</legend>
            {products.data?.data.map((p) => (
              <label key={p.id} className="flex items-center gap-2 py-0.5 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-accent"
                  checked={d.productIds.includes(p.id)}
                  onChange={(e) => set({ productIds: e.target.checked ? [...d.productIds, p.id] : d.productIds.filter((x) => x !== p.id) })}
                />
                {p.title}
              </label>
            ))}
            {f("product_ids") && <p className="text-xs text-danger">{f("product_ids")}</p>}
          </fieldset>
        )}
        <Field label="Starts (optional)" error={f("starts_at")}>
          <Input type="datetime-local" value={d.startsAt} onChange={(e) => set({ startsAt: e.target.value })} />
        </Field>
        <Field label="Ends (optional)" error={f("ends_at")}>
          <Input type="datetime-local" value={d.endsAt} onChange={(e) => set({ endsAt: e.target.value })} />
        </Field>
        <Field label="Total uses (blank = unlimited)" error={f("max_redemptions")}>
          <Input inputMode="numeric" value={d.maxRedemptions} onChange={(e) => set({ maxRedemptions: e.target.value })} />
        </Field>
        <Field label="Uses per customer (blank = unlimited)" error={f("max_per_customer")}>
          <Input inputMode="numeric" value={d.maxPerCustomer} onChange={(e) => set({ maxPerCustomer: e.target.value })} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-accent"
            checked={d.firstOrderOnly}
            onChange={(e) => set({ firstOrderOnly: e.target.checked })}
          />
          First order only
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-accent" checked={d.active} onChange={(e) => set({ active: e.target.checked })} />
          Active
        </label>
      </form>
    </Dialog>
  );
}
