import { useState } from "react";
import { RadioCard } from "../../RadioCard";
import { FilePickerDialog, FileThumbById } from "../../../commerce/FilePicker";
import { Button } from "../../../ui/Button";
import { Field, Input, Select, Textarea } from "../../../ui/Field";
import { answers, type SetupStepProps, useInitialAnswers, useRowKeys, useStepStatus } from "./stepKit";

const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "BRL", "MXN"];

export function StoreCurrencyStep({ value, onChange, errors }: SetupStepProps) {
  const v = answers(value, { currency: "USD" });
  useInitialAnswers(value, v, onChange);
  const custom = !CURRENCIES.includes(String(v.currency).toUpperCase());
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field
        label="Store currency"
        hint="Prices, carts and orders use it by default; more currencies can be added later."
        error={errors.currency}
      >
        <Select
          value={custom ? "other" : String(v.currency).toUpperCase()}
          onChange={(e) => onChange({ currency: e.target.value === "other" ? "" : e.target.value })}
        >
          {CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
          <option value="other">Other…</option>
        </Select>
      </Field>
      {custom && (
        <Field label="Currency code" hint="Three letters, ISO 4217 (e.g. NOK)">
          <Input value={String(v.currency)} maxLength={3} onChange={(e) => onChange({ currency: e.target.value.toUpperCase() })} />
        </Field>
      )}
    </div>
  );
}

interface Rate {
  country: string;
  region?: string;
  name?: string;
  rate_percent: number | "";
  inclusive: boolean;
}

export function StoreTaxStep({ value, onChange, errors }: SetupStepProps) {
  const rates = (answers(value, { rates: [] as Rate[] }).rates ?? []) as Rate[];
  useInitialAnswers(value, { rates }, onChange);
  const set = (next: Rate[]) => onChange({ rates: next });
  const patch = (i: number, p: Partial<Rate>) => set(rates.map((r, j) => (j === i ? { ...r, ...p } : r)));
  const rows = useRowKeys(rates.length);
  return (
    <div className="space-y-4">
      {rates.length === 0 && (
        <p className="rounded-lg border border-dashed border-line p-4 text-sm text-muted">
          No tax rates: orders are charged no tax. Add one per country (or region) you sell to.
        </p>
      )}
      {rates.map((r, i) => (
        <fieldset
          key={rows.keys[i]}
          className="grid gap-3 rounded-lg border border-line p-3 sm:grid-cols-[6rem_6rem_1fr_7rem_auto] sm:items-end"
        >
          <legend className="sr-only">Tax rate {i + 1}</legend>
          <Field label="Country" error={errors[`rates.${i}.country`]}>
            <Input value={r.country} maxLength={2} placeholder="DE" onChange={(e) => patch(i, { country: e.target.value.toUpperCase() })} />
          </Field>
          <Field label="Region" hint="Optional" error={errors[`rates.${i}.region`]}>
            <Input
              value={r.region ?? ""}
              maxLength={3}
              placeholder="—"
              onChange={(e) => patch(i, { region: e.target.value.toUpperCase() })}
            />
          </Field>
          <Field label="Name" error={errors[`rates.${i}.name`]}>
            <Input value={r.name ?? ""} placeholder="VAT" onChange={(e) => patch(i, { name: e.target.value })} />
          </Field>
          <Field label="Rate %" error={errors[`rates.${i}.rate_percent`]}>
            <Input
              inputMode="decimal"
              value={r.rate_percent}
              onChange={(e) => patch(i, { rate_percent: e.target.value === "" ? "" : Number(e.target.value) })}
            />
          </Field>
          <div className="flex items-center gap-3 pb-2">
            <label className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={r.inclusive} onChange={(e) => patch(i, { inclusive: e.target.checked })} /> In prices
            </label>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              aria-label={`Remove tax rate ${i + 1}`}
              onClick={() => {
                rows.remove(i);
                set(rates.filter((_, j) => j !== i));
              }}
            >
              Remove
            </Button>
          </div>
        </fieldset>
      ))}
      {errors.rates && <p className="text-sm text-danger">{errors.rates}</p>}
      <Button
        type="button"
        variant="secondary"
        size="sm"
        disabled={rates.length >= 10}
        onClick={() => {
          rows.add();
          set([...rates, { country: "", name: "VAT", rate_percent: "", inclusive: false }]);
        }}
      >
        Add a tax rate
      </Button>
    </div>
  );
}

export function StoreProductStep({ state, value, onChange, errors }: SetupStepProps) {
  const v = answers(value, { skip: false, title: "", price: "", description: "", image_file_id: null as string | null });
  useInitialAnswers(value, v, onChange);
  const currency = String((state.currency as { currency?: string } | undefined)?.currency ?? "USD");
  const set = (p: Record<string, unknown>) => onChange({ ...v, ...p });
  const [picking, setPicking] = useState(false);
  const image = (v.image_file_id as string | null | undefined) ?? null;
  return (
    <div className="space-y-4">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={Boolean(v.skip)} onChange={(e) => set({ skip: e.target.checked })} /> Skip: I'll add products later
      </label>
      {!v.skip && (
        <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
          <Field label="Product name" error={errors.title}>
            <Input value={String(v.title)} placeholder="Blue mug" onChange={(e) => set({ title: e.target.value })} />
          </Field>
          <Field label={`Price (${currency})`} hint="e.g. 19.99" error={errors.price}>
            <Input inputMode="decimal" value={String(v.price)} onChange={(e) => set({ price: e.target.value })} />
          </Field>
          <Field
            label="Description"
            hint="Optional; images, variants and stock can be added on the product page."
            className="sm:col-span-2"
            error={errors.description}
          >
            <Textarea rows={3} value={String(v.description ?? "")} onChange={(e) => set({ description: e.target.value })} />
          </Field>
          <div className="flex items-center gap-3 sm:col-span-2">
            {image && <FileThumbById id={image} className="size-14 rounded-lg" />}
            <Button type="button" size="sm" variant="secondary" onClick={() => setPicking(true)}>
              {image ? "Change image" : "Add an image (optional)"}
            </Button>
            {image && (
              <Button type="button" size="sm" variant="ghost" onClick={() => set({ image_file_id: null })}>
                Remove image
              </Button>
            )}
            {errors.image_file_id && <p className="text-sm text-danger">{errors.image_file_id}</p>}
          </div>
          <FilePickerDialog
            open={picking}
            onClose={() => setPicking(false)}
            title="Product image"
            accept="image/"
            onPick={(id) => {
              set({ image_file_id: id });
              setPicking(false);
            }}
          />
        </div>
      )}
      {!v.skip && v.title && /^\d+(\.\d{1,3})?$/.test(String(v.price)) && (
        <div className="flex items-center justify-between rounded-lg border border-line bg-subtle p-3 text-sm">
          <span className="font-medium">{String(v.title)}</span>
          <span>
            {new Intl.NumberFormat(undefined, { style: "currency", currency: currency.length === 3 ? currency : "USD" }).format(
              Number(v.price),
            )}
          </span>
        </div>
      )}
    </div>
  );
}

export function StorePaymentStep({ kind, stepId, value, onChange, errors }: SetupStepProps) {
  const v = answers(value, { provider: "simulator", secret_key: "", publishable_key: "", webhook_secret: "" });
  useInitialAnswers(value, v, onChange);
  const status = useStepStatus(kind, stepId);
  const simulator = status.data?.detail.simulator_available !== false;
  const set = (p: Record<string, unknown>) => onChange({ ...v, ...p });
  return (
    <div className="space-y-4">
      <div role="radiogroup" aria-label="Payment provider" className="grid gap-3 sm:grid-cols-2">
        {[
          {
            id: "simulator",
            title: "Payment simulator",
            text: "Runs locally and offline: test checkouts with no real money and no Stripe account.",
            disabled: !simulator,
          },
          { id: "stripe", title: "Stripe", text: "Your own Stripe account: paste its API keys (test keys are fine to start)." },
        ].map((o) => (
          <RadioCard
            key={o.id}
            name="provider"
            checked={v.provider === o.id}
            disabled={o.disabled}
            onSelect={() => set({ provider: o.id })}
          >
            <span className="block font-medium">{o.title}</span>
            <span className="text-muted">{o.disabled ? "Not available in production." : o.text}</span>
          </RadioCard>
        ))}
      </div>
      {v.provider === "stripe" && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Secret key" hint="sk_test_… or sk_live_…; stored encrypted, never shown again" error={errors.secret_key}>
            <Input type="password" autoComplete="off" value={String(v.secret_key)} onChange={(e) => set({ secret_key: e.target.value })} />
          </Field>
          <Field label="Publishable key" hint="pk_test_… (optional)" error={errors.publishable_key}>
            <Input value={String(v.publishable_key)} onChange={(e) => set({ publishable_key: e.target.value })} />
          </Field>
          <Field
            label="Webhook signing secret"
            hint="whsec_… (optional; the webhook URL is on Commerce → Settings)"
            className="sm:col-span-2"
            error={errors.webhook_secret}
          >
            <Input
              type="password"
              autoComplete="off"
              value={String(v.webhook_secret)}
              onChange={(e) => set({ webhook_secret: e.target.value })}
            />
          </Field>
        </div>
      )}
    </div>
  );
}

interface Summary {
  currency: string;
  tax: { country: string; region?: string; rate_ppm: number; inclusive?: boolean }[];
  product: { title: string; price: string; sku: string } | null;
  stripe: unknown;
}

export function StoreReviewStep({ kind, stepId }: SetupStepProps) {
  const status = useStepStatus(kind, stepId);
  const s = status.data?.detail.summary as Summary | undefined;
  if (!s) return <p className="text-sm text-muted">Loading the summary…</p>;
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="text-muted">Currency</dt>
      <dd>{s.currency}</dd>
      <dt className="text-muted">Tax</dt>
      <dd>
        {s.tax.length
          ? s.tax
              .map((t) => `${t.country}${t.region ? `-${t.region}` : ""} ${t.rate_ppm / 10_000} %${t.inclusive ? " (in prices)" : ""}`)
              .join(", ")
          : "None"}
      </dd>
      <dt className="text-muted">First product</dt>
      <dd>{s.product ? `${s.product.title} — ${s.product.price} ${s.currency} (SKU ${s.product.sku})` : "Skipped"}</dd>
      <dt className="text-muted">Payments</dt>
      <dd>{s.stripe ? "Stripe (your keys)" : "Payment simulator (local, offline)"}</dd>
    </dl>
  );
}

export const STORE_STEPS = {
  currency: StoreCurrencyStep,
  tax: StoreTaxStep,
  product: StoreProductStep,
  payment: StorePaymentStep,
  review: StoreReviewStep,
};
