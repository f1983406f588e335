import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { Product, Variant } from "./client";
import { VariantsTable } from "./VariantsTable";
import { draftOf, draftToInput, emptyDraft, type VariantDraft } from "./variant-draft";

/**
 * An existing product's variants: each row saves on its own (PATCH), new rows are added (POST),
 * stock changes through "Stock" (adjust by ± or set after a count), delete asks first.
 */
export function ProductVariants({ product, currencies }: { product: Product; currencies: string[] }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const write = ws.can("commerce:write");
  const [drafts, setDrafts] = useState<VariantDraft[]>(() => product.variants.map(draftOf));
  const [errors, setErrors] = useState<Record<string, Record<string, string>>>({});
  const [stockOf, setStockOf] = useState<Variant | null>(null);
  const [deleting, setDeleting] = useState<Variant | null>(null);
  // Saved rows follow the server (stock changed elsewhere); unsaved new rows stay.
  useEffect(() => {
    setDrafts((ds) => [...product.variants.map(draftOf), ...ds.filter((d) => !d.id)]);
  }, [product]);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce") });
  const patch = (key: string, p: Partial<VariantDraft>) => setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...p } : d)));
  const dirty = (d: VariantDraft) => {
    const v = product.variants.find((x) => x.id === d.id);
    return !v || JSON.stringify({ ...draftOf(v), onHand: "" }) !== JSON.stringify({ ...d, onHand: "" });
  };

  const save = useMutation({
    mutationFn: async (d: VariantDraft) => {
      const r = draftToInput(d, product.options, currencies);
      if (r.errors) {
        setErrors((e) => ({ ...e, [d.key]: r.errors }));
        throw new Error("Fix the highlighted fields.");
      }
      setErrors((e) => ({ ...e, [d.key]: {} }));
      if (!d.id) return api("POST /api/v1/commerce/products/{id}/variants", { params: { id: product.id }, body: r.input });
      const { on_hand: _ignored, ...body } = r.input;
      return api("PATCH /api/v1/commerce/variants/{id}", { params: { id: d.id }, body });
    },
    onSuccess: (_v, d) => {
      toast.success(d.id ? `Variant ${d.sku} saved` : `Variant ${d.sku} added`);
      if (!d.id) setDrafts((ds) => ds.filter((x) => x.key !== d.key));
      void refresh();
    },
    onError: (e, d) => {
      if (e instanceof ApiError && e.problem.errors) {
        setErrors((x) => ({
          ...x,
          [d.key]: Object.fromEntries(e.problem.errors?.map((p) => [p.path === "on_hand" ? "onHand" : p.path, p.message]) ?? []),
        }));
      }
      toast.error(errorMessage(e));
    },
  });
  const remove = useMutation({
    mutationFn: (v: Variant) => api("DELETE /api/v1/commerce/variants/{id}", { params: { id: v.id } }),
    onSuccess: (_r, v) => {
      setDeleting(null);
      toast.success(`Variant ${v.sku} deleted`);
      void refresh();
    },
    onError: (e) => {
      setDeleting(null);
      toast.error(errorMessage(e));
    },
  });

  return (
    <Card
      title="Variants and stock"
      description={`${product.variants.length} variant${product.variants.length === 1 ? "" : "s"} · prices in ${currencies.join(", ")}`}
      actions={
        write && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setDrafts((ds) => [...ds, emptyDraft(product.options, product.type === "physical")])}
          >
            Add variant
          </Button>
        )
      }
      bodyClassName="p-2"
    >
      <VariantsTable
        drafts={drafts}
        options={product.options}
        currencies={currencies}
        errors={errors}
        onChange={patch}
        disabled={!write}
        onHandEditable={(d) => !d.id}
        actions={(d, i) => {
          const v = product.variants.find((x) => x.id === d.id);
          if (!write) return null;
          return (
            <div className="flex gap-1">
              <Button
                size="sm"
                variant={dirty(d) ? "primary" : "secondary"}
                disabled={!dirty(d)}
                loading={save.isPending && save.variables?.key === d.key}
                onClick={() => save.mutate(d)}
              >
                {d.id ? "Save" : "Add"}
                <span className="sr-only"> variant {i + 1}</span>
              </Button>
              {v ? (
                <>
                  {v.inventory.tracked && (
                    <Button size="sm" variant="ghost" onClick={() => setStockOf(v)}>
                      Stock<span className="sr-only"> of {v.sku}</span>
                    </Button>
                  )}
                  {product.variants.length > 1 && (
                    <Button size="sm" variant="ghost" className="!text-danger" onClick={() => setDeleting(v)}>
                      Delete<span className="sr-only"> {v.sku}</span>
                    </Button>
                  )}
                </>
              ) : (
                <Button size="sm" variant="ghost" onClick={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))}>
                  Discard
                </Button>
              )}
            </div>
          );
        }}
      />
      <StockDialog variant={stockOf} onClose={() => setStockOf(null)} onDone={refresh} />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete variant ${deleting?.sku ?? ""}?`}
        description="It leaves the product and the storefront; carts holding it show it as unavailable. Past orders are unchanged."
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete variant
            </Button>
          </>
        }
      />
    </Card>
  );
}

/** Stock of one variant: receive / remove units (±) or set the counted number. Units held by checkouts are shown. */
function StockDialog({ variant, onClose, onDone }: { variant: Variant | null; onClose: () => void; onDone: () => void }) {
  const [mode, setMode] = useState<"adjust" | "set">("adjust");
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<string | null>(null);
  const n = Number(amount);
  const valid = amount.trim() !== "" && Number.isInteger(n) && (mode === "adjust" ? n !== 0 : n >= 0);
  const change = useMutation({
    mutationFn: () =>
      api("POST /api/v1/commerce/variants/{id}/inventory", {
        params: { id: variant?.id ?? "" },
        body: mode === "adjust" ? { adjust: n } : { on_hand: n },
      }),
    onSuccess: (v) => {
      toast.success(`${v.sku}: ${v.inventory.on_hand} on hand`);
      setAmount("");
      setError(null);
      onDone();
      onClose();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const inv = variant?.inventory;
  return (
    <Dialog
      open={variant !== null}
      onClose={onClose}
      size="sm"
      title={`Stock of ${variant?.sku ?? ""}`}
      description={inv && `${inv.on_hand} on hand · ${inv.reserved} held by open checkouts · ${inv.available ?? 0} available`}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="stock-form" disabled={!valid} loading={change.isPending}>
            {mode === "adjust" ? "Adjust" : "Set count"}
          </Button>
        </>
      }
    >
      <form
        id="stock-form"
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) change.mutate();
        }}
      >
        <Field label="Change">
          <Select value={mode} onChange={(e) => setMode(e.target.value as "adjust" | "set")}>
            <option value="adjust">Add or remove units (e.g. 10 or -2)</option>
            <option value="set">Set the counted number on hand</option>
          </Select>
        </Field>
        <Field label={mode === "adjust" ? "Units (+/−)" : "On hand"} error={error ?? undefined}>
          <Input inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} autoFocus />
        </Field>
        {mode === "adjust" && valid && inv && (
          <p className="text-sm text-muted">
            On hand becomes <strong className="text-fg">{inv.on_hand + n}</strong>.
          </p>
        )}
      </form>
    </Dialog>
  );
}
