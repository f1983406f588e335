import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import type { Product } from "./client";
import { ProductDetailsFields, type DetailsDraft, detailsOf, detailsToInput } from "./ProductDetailsFields";
import { ProductVariants } from "./ProductVariants";
import { RecurringPlanCard } from "./RecurringPlanCard";
import { VariantsTable } from "./VariantsTable";
import { draftToInput, emptyDraft, type VariantDraft } from "./variant-draft";

/** Create (id null) or edit a product: details, images, digital file, collections, then its variants. */
export function ProductEditor({ id }: { id: string | null }) {
  const ws = useWorkspace();
  const product = useQuery({
    queryKey: tkey(ws.id, "commerce", "product", id),
    queryFn: () => api("GET /api/v1/commerce/products/{id}", { params: { id: id ?? "" } }),
    enabled: id !== null,
  });
  const settings = useQuery({ queryKey: tkey(ws.id, "commerce", "settings"), queryFn: () => api("GET /api/v1/commerce/settings") });
  if (id !== null && product.isError)
    return (
      <>
        <PageHeader title="Product" />
        <p role="alert" className="text-sm text-danger">
          {errorMessage(product.error)}{" "}
          <Link to="/commerce/products" className="text-accent underline underline-offset-2">
            Back to products
          </Link>
        </p>
      </>
    );
  if ((id !== null && !product.data) || !settings.data) return <Skeleton className="h-96" />;
  const currencies = settings.data.currencies;
  return product.data ? <EditProduct product={product.data} currencies={currencies} /> : <NewProduct currencies={currencies} />;
}

function NewProduct({ currencies }: { currencies: string[] }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [details, setDetails] = useState<DetailsDraft>(detailsOf(null));
  const [drafts, setDrafts] = useState<VariantDraft[]>([emptyDraft([])]);
  const [errors, setErrors] = useState<Record<string, Record<string, string>>>({});
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const options = details.options.map((o) => o.trim()).filter(Boolean);
  const create = useMutation({
    mutationFn: () => {
      const errs: Record<string, Record<string, string>> = {};
      const variants = drafts.map((d) => {
        const r = draftToInput(d, options, currencies);
        if (r.errors) errs[d.key] = r.errors;
        return r.input;
      });
      setErrors(errs);
      if (Object.keys(errs).length) throw new Error("Fix the highlighted variant fields.");
      return api("POST /api/v1/commerce/products", {
        body: { ...detailsToInput(details), variants: variants.filter((v) => v !== null) },
      });
    },
    onSuccess: (p) => {
      toast.success(`${p.title} created`);
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce") });
      void navigate({ to: "/commerce/products/$id", params: { id: p.id }, replace: true });
    },
    onError: (e) => (e instanceof ApiError ? setApiError(e) : toast.error(errorMessage(e))),
  });
  const patch = (key: string, p: Partial<VariantDraft>) => setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...p } : d)));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setApiError(null);
        create.mutate();
      }}
      className="space-y-6"
    >
      <PageHeader
        title="New product"
        actions={
          <>
            <Link to="/commerce/products" className="inline-flex h-10 items-center px-3 text-sm text-muted hover:text-fg">
              Cancel
            </Link>
            <Button type="submit" loading={create.isPending}>
              Create product
            </Button>
          </>
        }
      />
      {apiError && (
        <p role="alert" className="rounded-lg border border-danger/40 bg-danger-soft px-4 py-3 text-sm text-danger">
          {apiError.message}
          {apiError.problem.errors?.map((e) => ` · ${e.path}: ${e.message}`).join("")}
        </p>
      )}
      <ProductDetailsFields value={details} onChange={setDetails} error={apiError} optionsEditable />
      <Card
        title="Variants"
        description={
          options.length
            ? `One row per combination of ${options.join(" × ")}. Prices in ${currencies.join(", ")}.`
            : "A product has at least one variant with its SKU and price. Add options (size, colour…) above for several."
        }
        actions={
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setDrafts((ds) => [...ds, emptyDraft(options, details.type === "physical")])}
          >
            Add variant
          </Button>
        }
        bodyClassName="p-2"
      >
        <VariantsTable
          drafts={drafts}
          options={options}
          currencies={currencies}
          errors={errors}
          onChange={patch}
          onHandEditable={() => true}
          actions={(d, i) =>
            drafts.length > 1 && (
              <Button variant="ghost" size="sm" onClick={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))}>
                Remove<span className="sr-only"> variant {i + 1}</span>
              </Button>
            )
          }
        />
      </Card>
    </form>
  );
}

function EditProduct({ product, currencies }: { product: Product; currencies: string[] }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [details, setDetails] = useState<DetailsDraft>(detailsOf(product));
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [deleting, setDeleting] = useState(false);
  const write = ws.can("commerce:write");
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce") });
  const save = useMutation({
    mutationFn: () => api("PATCH /api/v1/commerce/products/{id}", { params: { id: product.id }, body: detailsToInput(details) }),
    onSuccess: () => {
      setApiError(null);
      toast.success("Product saved");
      void refresh();
    },
    onError: (e) => (e instanceof ApiError ? setApiError(e) : toast.error(errorMessage(e))),
  });
  const remove = useMutation({
    mutationFn: () => api("DELETE /api/v1/commerce/products/{id}", { params: { id: product.id } }),
    onSuccess: () => {
      toast.success(`${product.title} deleted`);
      void refresh();
      void navigate({ to: "/commerce/products" });
    },
    onError: (e) => {
      setDeleting(false);
      toast.error(errorMessage(e));
    },
  });
  return (
    <div className="space-y-6">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        className="space-y-6"
      >
        <PageHeader
          title={product.title}
          description={
            <>
              <Link to="/commerce/products" className="text-accent underline underline-offset-2">
                Products
              </Link>{" "}
              › {product.slug}
            </>
          }
          actions={
            write && (
              <>
                <Button variant="secondary" onClick={() => setDeleting(true)}>
                  Delete
                </Button>
                <Button type="submit" loading={save.isPending}>
                  Save details
                </Button>
              </>
            )
          }
        />
        {apiError && (
          <p role="alert" className="rounded-lg border border-danger/40 bg-danger-soft px-4 py-3 text-sm text-danger">
            {apiError.message}
          </p>
        )}
        <ProductDetailsFields value={details} onChange={setDetails} error={apiError} optionsEditable={false} disabled={!write} />
      </form>
      <ProductVariants product={product} currencies={currencies} />
      <RecurringPlanCard key={JSON.stringify(product.recurring)} product={product} />
      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${product.title}?`}
        description="The product and its variants leave the catalogue and the storefront. Past orders keep their own copy of what was sold. To stop selling it but keep it, archive it instead."
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete product
            </Button>
          </>
        }
      />
    </div>
  );
}
