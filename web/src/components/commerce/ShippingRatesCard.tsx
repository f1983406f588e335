import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { Table, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import type { CommerceShippingRateInput } from "../../lib/api-types";
import { formatMoney, parseMajor, type ShippingRate, toMajorText } from "./client";
import { ConfirmDelete, useDelete } from "./rates-shared";

/** Shipping rates: flat or by weight bands, per currency and destinations, optionally free over an amount. */
export function ShippingRatesCard({ write, currencies }: { write: boolean; currencies: string[] }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "commerce", "shipping-rates");
  const list = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/commerce/shipping-rates") });
  const [editing, setEditing] = useState<ShippingRate | "new" | null>(null);
  const [deleting, setDeleting] = useState<ShippingRate | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const del = useDelete("shipping-rates", () => {
    setDeleting(null);
    void refresh();
  });
  const price = (r: ShippingRate) =>
    r.kind === "flat"
      ? formatMoney(r.amount, r.currency)
      : r.weight_bands.map((b) => `≤ ${b.up_to_grams} g ${formatMoney(b.amount, r.currency)}`).join(", ");
  const columns: Column<ShippingRate>[] = [
    {
      key: "name",
      header: "Rate",
      cell: (r) => (
        <div>
          <span className="font-medium">{r.name}</span>
          {!r.active && <Badge className="ml-2">Off</Badge>}
          <span className="block text-xs text-muted">{r.countries.length ? r.countries.join(", ") : "Everywhere"}</span>
        </div>
      ),
    },
    { key: "price", header: "Price", cell: (r) => <span className="text-sm">{price(r)}</span> },
    {
      key: "free",
      header: "Free over",
      hideOnMobile: true,
      cell: (r) => (r.free_over_amount === null ? "—" : formatMoney(r.free_over_amount, r.currency)),
    },
    ...(write
      ? [
          {
            key: "actions",
            header: "Actions",
            className: "text-right whitespace-nowrap",
            cell: (r: ShippingRate) => (
              <>
                <Button aria-label={`Edit ${r.name}`} size="sm" variant="ghost" onClick={() => setEditing(r)}>
                  Edit
                </Button>
                <Button aria-label={`Delete ${r.name}`} size="sm" variant="ghost" className="!text-danger" onClick={() => setDeleting(r)}>
                  Delete
                </Button>
              </>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      title="Shipping rates"
      description="Offered at checkout for physical items, in the order's currency, to the listed countries."
      actions={
        write && (
          <Button size="sm" variant="secondary" onClick={() => setEditing("new")}>
            Add shipping rate
          </Button>
        )
      }
      bodyClassName="p-0"
    >
      <Table
        caption="Shipping rates"
        columns={columns}
        rows={list.data?.data ?? []}
        rowKey={(r) => r.id}
        empty={
          <p className="p-5 text-sm text-muted">
            {list.isPending ? "Loading…" : "No shipping rates: physical items cannot be checked out yet."}
          </p>
        }
      />
      <ShippingRateDialog rate={editing} currencies={currencies} onClose={() => setEditing(null)} onSaved={refresh} />
      <ConfirmDelete
        what={deleting?.name ?? null}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && del.mutate(deleting.id)}
        busy={del.isPending}
      />
    </Card>
  );
}

interface Band {
  grams: string;
  amount: string;
}
function ShippingRateDialog({
  rate,
  currencies,
  onClose,
  onSaved,
}: {
  rate: ShippingRate | "new" | null;
  currencies: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const existing = rate && rate !== "new" ? rate : null;
  const [name, setName] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [countries, setCountries] = useState("");
  const [kind, setKind] = useState<"flat" | "weight">("flat");
  const [amount, setAmount] = useState("");
  const [bands, setBands] = useState<Band[]>([]);
  const [freeOver, setFreeOver] = useState("");
  const [active, setActive] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const cur = existing?.currency ?? currencies[0] ?? "USD";
    setName(existing?.name ?? "");
    setCurrency(cur);
    setCountries(existing?.countries.join(", ") ?? "");
    setKind(existing?.kind ?? "flat");
    setAmount(toMajorText(existing?.amount ?? null, cur));
    setBands(
      existing?.weight_bands.map((b) => ({ grams: String(b.up_to_grams), amount: toMajorText(b.amount, cur) })) ?? [
        { grams: "1000", amount: "" },
      ],
    );
    setFreeOver(toMajorText(existing?.free_over_amount ?? null, cur));
    setActive(existing?.active ?? true);
    setError(null);
  }, [existing, currencies]);
  const save = useMutation({
    mutationFn: () => {
      const body: CommerceShippingRateInput = {
        name: name.trim(),
        currency,
        countries: countries
          .split(/[\s,]+/)
          .map((c) => c.trim().toUpperCase())
          .filter(Boolean),
        kind,
        amount: kind === "flat" ? (parseMajor(amount, currency) ?? 0) : undefined,
        weight_bands:
          kind === "weight" ? bands.map((b) => ({ up_to_grams: Number(b.grams), amount: parseMajor(b.amount, currency) ?? 0 })) : undefined,
        free_over_amount: parseMajor(freeOver, currency),
        active,
      };
      return existing
        ? api("PATCH /api/v1/commerce/shipping-rates/{id}", { params: { id: existing.id }, body })
        : api("POST /api/v1/commerce/shipping-rates", { body });
    },
    onSuccess: () => {
      toast.success("Shipping rate saved");
      onSaved();
      onClose();
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  const f = (k: string) => error?.field(k);
  return (
    <Dialog
      open={rate !== null}
      onClose={onClose}
      title={existing ? `Edit ${existing.name}` : "Add a shipping rate"}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="ship-form" loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form
        id="ship-form"
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {error && !error.problem.errors && (
          <p role="alert" className="text-sm text-danger sm:col-span-2">
            {error.message}
          </p>
        )}
        <Field label="Name" error={f("name")}>
          <Input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Standard" />
        </Field>
        <Field label="Currency" error={f("currency")}>
          <Select value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {currencies.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </Select>
        </Field>
        <Field label="Countries" hint="Comma-separated codes (US, CA); blank = everywhere" error={f("countries")} className="sm:col-span-2">
          <Input value={countries} onChange={(e) => setCountries(e.target.value)} />
        </Field>
        <Field label="Pricing">
          <Select value={kind} onChange={(e) => setKind(e.target.value as "flat" | "weight")}>
            <option value="flat">Flat price</option>
            <option value="weight">By weight</option>
          </Select>
        </Field>
        {kind === "flat" ? (
          <Field label={`Price (${currency})`} error={f("amount")}>
            <Input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </Field>
        ) : (
          <fieldset className="grid gap-2 sm:col-span-2">
            <legend className="text-sm font-medium">Weight bands (the first band the order fits in)</legend>
            {bands.map((b, i) => (
              <div key={`band-${i.toString()}`} className="flex items-center gap-2">
                <Input
                  aria-label={`Band ${i + 1} up to grams`}
                  inputMode="numeric"
                  value={b.grams}
                  onChange={(e) => setBands(bands.map((x, j) => (j === i ? { ...x, grams: e.target.value } : x)))}
                />
                <span className="text-sm text-muted">g →</span>
                <Input
                  aria-label={`Band ${i + 1} price`}
                  inputMode="decimal"
                  value={b.amount}
                  onChange={(e) => setBands(bands.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))}
                />
                <Button variant="ghost" size="sm" onClick={() => setBands(bands.filter((_, j) => j !== i))}>
                  Remove<span className="sr-only"> band {i + 1}</span>
                </Button>
              </div>
            ))}
            {f("weight_bands") && <p className="text-xs text-danger">{f("weight_bands")}</p>}
            <Button
              variant="secondary"
              size="sm"
              className="justify-self-start"
              onClick={() => setBands([...bands, { grams: "", amount: "" }])}
            >
              Add band
            </Button>
          </fieldset>
        )}
        <Field label={`Free over (${currency}, optional)`} error={f("free_over_amount")}>
          <Input inputMode="decimal" value={freeOver} onChange={(e) => setFreeOver(e.target.value)} />
        </Field>
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" className="size-4 accent-accent" checked={active} onChange={(e) => setActive(e.target.checked)} />
          Offered at checkout
        </label>
      </form>
    </Dialog>
  );
}
