import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { Table, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import type { CommerceTaxRateInput } from "../../lib/api-types";
import type { TaxRate } from "./client";
import { ConfirmDelete, pct, useDelete } from "./rates-shared";

/** Tax rates by destination (a region's rate wins over its country's), inclusive or exclusive. */
export function TaxRatesCard({ write }: { write: boolean }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "commerce", "tax-rates");
  const list = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/commerce/tax-rates") });
  const [editing, setEditing] = useState<TaxRate | "new" | null>(null);
  const [deleting, setDeleting] = useState<TaxRate | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const del = useDelete("tax-rates", () => {
    setDeleting(null);
    void refresh();
  });
  const columns: Column<TaxRate>[] = [
    { key: "where", header: "Destination", cell: (r) => `${r.country}${r.region ? ` · ${r.region}` : ""}`, sort: (r) => r.country },
    { key: "name", header: "Name", hideOnMobile: true, cell: (r) => r.name || "—" },
    { key: "rate", header: "Rate", className: "tabular-nums", cell: (r) => pct(r.rate_ppm) },
    {
      key: "how",
      header: "Prices",
      cell: (r) => (
        <span className="text-xs">
          {r.inclusive ? <Badge>Included</Badge> : <Badge tone="accent">Added</Badge>}
          {r.applies_to_shipping && <span className="ml-1 text-muted">+ shipping</span>}
        </span>
      ),
    },
    ...(write
      ? [
          {
            key: "actions",
            header: "Actions",
            className: "text-right whitespace-nowrap",
            cell: (r: TaxRate) => (
              <>
                <Button aria-label={`Edit ${r.country} rate`} size="sm" variant="ghost" onClick={() => setEditing(r)}>
                  Edit
                </Button>
                <Button
                  aria-label={`Delete ${r.country} rate`}
                  size="sm"
                  variant="ghost"
                  className="!text-danger"
                  onClick={() => setDeleting(r)}
                >
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
      title="Tax rates"
      description="By the buyer's country or region. Included: your prices already contain the tax. Added: it goes on top."
      actions={
        write && (
          <Button size="sm" variant="secondary" onClick={() => setEditing("new")}>
            Add tax rate
          </Button>
        )
      }
      bodyClassName="p-0"
    >
      <Table
        caption="Tax rates"
        columns={columns}
        rows={list.data?.data ?? []}
        rowKey={(r) => r.id}
        empty={<p className="p-5 text-sm text-muted">{list.isPending ? "Loading…" : "No tax rates: no tax is charged."}</p>}
      />
      <TaxRateDialog rate={editing} onClose={() => setEditing(null)} onSaved={refresh} />
      <ConfirmDelete
        what={deleting ? `the ${deleting.country}${deleting.region ? ` ${deleting.region}` : ""} tax rate` : null}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && del.mutate(deleting.id)}
        busy={del.isPending}
      />
    </Card>
  );
}

function TaxRateDialog({ rate, onClose, onSaved }: { rate: TaxRate | "new" | null; onClose: () => void; onSaved: () => void }) {
  const existing = rate && rate !== "new" ? rate : null;
  const [country, setCountry] = useState("");
  const [region, setRegion] = useState("");
  const [name, setName] = useState("");
  const [percent, setPercent] = useState("");
  const [inclusive, setInclusive] = useState(false);
  const [shipping, setShipping] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setCountry(existing?.country ?? "");
    setRegion(existing?.region ?? "");
    setName(existing?.name ?? "");
    setPercent(existing ? String(existing.rate_ppm / 10_000) : "");
    setInclusive(existing?.inclusive ?? false);
    setShipping(existing?.applies_to_shipping ?? false);
    setError(null);
  }, [existing]);
  const ppm = Math.round(Number(percent) * 10_000);
  const save = useMutation({
    mutationFn: () => {
      const body: CommerceTaxRateInput = {
        country: country.trim().toUpperCase(),
        region: region.trim() || undefined,
        name: name.trim(),
        rate_ppm: ppm,
        inclusive,
        applies_to_shipping: shipping,
      };
      return existing
        ? api("PATCH /api/v1/commerce/tax-rates/{id}", { params: { id: existing.id }, body })
        : api("POST /api/v1/commerce/tax-rates", { body });
    },
    onSuccess: () => {
      toast.success("Tax rate saved");
      onSaved();
      onClose();
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  return (
    <Dialog
      open={rate !== null}
      onClose={onClose}
      title={existing ? "Edit tax rate" : "Add a tax rate"}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="tax-form" loading={save.isPending} disabled={percent.trim() === "" || !Number.isFinite(ppm)}>
            Save
          </Button>
        </>
      }
    >
      <form
        id="tax-form"
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
        <Field label="Country (2 letters)" error={error?.field("country")}>
          <Input required maxLength={2} value={country} onChange={(e) => setCountry(e.target.value.toUpperCase())} placeholder="DE" />
        </Field>
        <Field label="Region (optional)" hint="e.g. NY for New York" error={error?.field("region")}>
          <Input value={region} onChange={(e) => setRegion(e.target.value)} />
        </Field>
        <Field label="Name" error={error?.field("name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="VAT" />
        </Field>
        <Field label="Rate (%)" error={error?.field("rate_ppm")}>
          <Input required inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} placeholder="19" />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-accent" checked={inclusive} onChange={(e) => setInclusive(e.target.checked)} />
          Prices include this tax
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-accent" checked={shipping} onChange={(e) => setShipping(e.target.checked)} />
          Also tax shipping
        </label>
      </form>
    </Dialog>
  );
}
