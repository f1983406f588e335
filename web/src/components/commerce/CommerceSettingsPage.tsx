import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import { PaymentProvidersCard } from "./PaymentProvidersCard";
import { ShippingRatesCard } from "./ShippingRatesCard";
import { TaxRatesCard } from "./TaxRatesCard";

/** Commerce settings: currencies and stock holds, tax, shipping, payment providers. */
export function CommerceSettingsPage() {
  const ws = useWorkspace();
  const settings = useQuery({ queryKey: tkey(ws.id, "commerce", "settings"), queryFn: () => api("GET /api/v1/commerce/settings") });
  const write = ws.can("commerce:write");
  return (
    <>
      <PageHeader title="Commerce settings" description="What you sell in, how checkouts hold stock, tax, shipping and how buyers pay." />
      <div className="space-y-6">
        {settings.data && <GeneralCard key={JSON.stringify(settings.data)} initial={settings.data} write={write} />}
        <PaymentProvidersCard write={write} />
        <TaxRatesCard write={write} />
        <ShippingRatesCard write={write} currencies={settings.data?.currencies ?? ["USD"]} />
      </div>
    </>
  );
}

function GeneralCard({
  initial,
  write,
}: {
  initial: { currencies: string[]; default_currency: string; reservation_minutes: number };
  write: boolean;
}) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [currencies, setCurrencies] = useState(initial.currencies.join(", "));
  const [def, setDef] = useState(initial.default_currency);
  const [minutes, setMinutes] = useState(String(initial.reservation_minutes));
  const [error, setError] = useState<ApiError | null>(null);
  const list = [
    ...new Set(
      currencies
        .split(/[\s,]+/)
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  // The default follows the list: a removed currency cannot stay the default.
  const defaultCurrency = list.includes(def) ? def : (list[0] ?? "USD");
  const save = useMutation({
    mutationFn: () =>
      api("PUT /api/v1/commerce/settings", {
        body: { currencies: list, default_currency: defaultCurrency, reservation_minutes: Number(minutes) },
      }),
    onSuccess: () => {
      toast.success("Settings saved");
      setError(null);
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce") });
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  return (
    <Card title="Currencies and checkout">
      <form
        className="grid gap-4 sm:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <fieldset disabled={!write} className="contents">
          <Field label="Currencies" hint="ISO codes, comma-separated: USD, EUR" error={error?.field("currencies")}>
            <Input value={currencies} onChange={(e) => setCurrencies(e.target.value)} />
          </Field>
          <Field label="Default currency" error={error?.field("default_currency")}>
            <Select value={defaultCurrency} onChange={(e) => setDef(e.target.value)}>
              {list.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </Select>
          </Field>
          <Field
            label="Hold stock for (minutes)"
            hint="How long a checkout keeps its items before they go back on sale"
            error={error?.field("reservation_minutes")}
          >
            <Input inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          </Field>
          {error && !error.problem.errors && (
            <p role="alert" className="text-sm text-danger sm:col-span-3">
              {error.message}
            </p>
          )}
          {write && (
            <div className="sm:col-span-3">
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </div>
          )}
        </fieldset>
      </form>
    </Card>
  );
}
