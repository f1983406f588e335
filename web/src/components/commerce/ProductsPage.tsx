import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { formatMoney, parseMajor, rawRequest, type Product } from "./client";
import { FileThumbById } from "./FilePicker";
import { ImportDialog } from "./ImportDialog";
import { TagIcon } from "./icons";

/** The price range of a product's variants in one currency ("$20.00 – $25.00"), or "—" without prices in it. */
export function priceRange(p: Product, currency: string): string {
  const prices = p.variants.map((v) => v.prices[currency]).filter((x): x is number => typeof x === "number");
  if (prices.length === 0) return "—";
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  return lo === hi ? formatMoney(lo, currency) : `${formatMoney(lo, currency)} – ${formatMoney(hi, currency)}`;
}

/** Units available to sell over the tracked variants, or null when none is tracked (unlimited). */
export function stockOf(p: Product): { available: number; tracked: number } | null {
  const tracked = p.variants.filter((v) => v.inventory.tracked);
  if (tracked.length === 0) return null;
  return { available: tracked.reduce((s, v) => s + (v.inventory.available ?? 0), 0), tracked: tracked.length };
}

/** The catalogue: full-text search, filters by status / collection / price, CSV import and export. */
export function ProductsPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<"" | "active" | "archived">("");
  const [collection, setCollection] = useState("");
  const [minText, setMinText] = useState("");
  const [maxText, setMaxText] = useState("");
  const [importing, setImporting] = useState(false);
  const settings = useQuery({ queryKey: tkey(ws.id, "commerce", "settings"), queryFn: () => api("GET /api/v1/commerce/settings") });
  const currency = settings.data?.default_currency ?? "USD";
  const collections = useQuery({
    queryKey: tkey(ws.id, "commerce", "collections"),
    queryFn: () => api("GET /api/v1/commerce/collections"),
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typed search changes; a new search starts at page 1
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() === q) return;
      setQ(search.trim());
      pager.reset();
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  const min = parseMajor(minText, currency);
  const max = parseMajor(maxText, currency);
  const priceError = Number.isNaN(min) || Number.isNaN(max) ? "Enter amounts like 12.50" : undefined;
  const query = {
    limit: 25,
    cursor: pager.cursor,
    q: q || undefined,
    status: status || undefined,
    collection: collection || undefined,
    currency,
    price_min: min !== null && !Number.isNaN(min) ? min : undefined,
    price_max: max !== null && !Number.isNaN(max) ? max : undefined,
  };
  const list = useQuery({
    queryKey: tkey(ws.id, "commerce", "products", query),
    queryFn: () => api("GET /api/v1/commerce/products", { query }),
    placeholderData: keepPreviousData,
    enabled: settings.isSuccess,
  });
  const write = ws.can("commerce:write");

  const exportCsv = async () => {
    const res = await rawRequest("GET", "/api/v1/commerce/products/export");
    if (!res.ok) return toast.error("The export failed; try again.");
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = `products-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  const columns: Column<Product>[] = [
    {
      key: "product",
      header: "Product",
      cell: (p) => (
        <Link to="/commerce/products/$id" params={{ id: p.id }} className="flex min-w-0 items-center gap-3 hover:underline">
          <FileThumbById id={p.images[0] ?? null} className="size-10 shrink-0 rounded-lg" />
          <span className="min-w-0">
            <span className="block truncate font-medium">{p.title}</span>
            <span className="block truncate text-xs text-muted">
              {p.variants.length === 1 ? p.variants[0]?.sku : `${p.variants.length} variants`}
              {p.type === "digital" && " · digital"}
            </span>
          </span>
        </Link>
      ),
      sort: (p) => p.title.toLowerCase(),
    },
    {
      key: "status",
      header: "Status",
      cell: (p) => (p.status === "active" ? <Badge tone="success">Active</Badge> : <Badge>Archived</Badge>),
    },
    {
      key: "stock",
      header: "Inventory",
      hideOnMobile: true,
      cell: (p) => {
        const s = stockOf(p);
        if (!s) return <span className="text-muted">Not tracked</span>;
        return (
          <span className={s.available === 0 ? "font-medium text-danger" : s.available < 5 ? "text-warning" : undefined}>
            {s.available} in stock{p.variants.length > 1 && <span className="text-muted"> · {s.tracked} variants</span>}
          </span>
        );
      },
      sort: (p) => stockOf(p)?.available ?? Number.MAX_SAFE_INTEGER,
    },
    { key: "price", header: "Price", className: "tabular-nums", cell: (p) => priceRange(p, currency) },
    {
      key: "collections",
      header: "Collections",
      hideOnMobile: true,
      cell: (p) => <span className="text-muted">{p.collections.map((c) => c.title).join(", ") || "—"}</span>,
    },
    {
      key: "updated",
      header: "Updated",
      hideOnMobile: true,
      cell: (p) => <span className="text-muted">{formatRelative(p.updated_at)}</span>,
      sort: (p) => p.updated_at,
    },
  ];

  const filtered = Boolean(q || status || collection || query.price_min !== undefined || query.price_max !== undefined);
  return (
    <>
      <PageHeader
        title="Products"
        description="What your shop sells: variants with their own SKU, prices per currency and stock."
        actions={
          <>
            <Button variant="secondary" onClick={() => void exportCsv()}>
              Export CSV
            </Button>
            {write && (
              <>
                <Button variant="secondary" onClick={() => setImporting(true)}>
                  Import CSV
                </Button>
                <Link to="/commerce/products/$id" params={{ id: "new" }} className={buttonClass("primary")}>
                  New product
                </Link>
              </>
            )}
          </>
        }
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="grid grid-cols-2 gap-3 border-b border-line p-4 lg:grid-cols-[1fr_9rem_11rem_7rem_7rem]">
          <Field label="Search products" className="col-span-2 lg:col-span-1">
            <Input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Title, description, SKU, colour…"
            />
          </Field>
          <Field label="Status">
            <Select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as "" | "active" | "archived");
                pager.reset();
              }}
            >
              <option value="">Any</option>
              <option value="active">Active</option>
              <option value="archived">Archived</option>
            </Select>
          </Field>
          <Field label="Collection">
            <Select
              value={collection}
              onChange={(e) => {
                setCollection(e.target.value);
                pager.reset();
              }}
            >
              <option value="">Any</option>
              {collections.data?.data.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Min price" error={priceError}>
            <Input inputMode="decimal" value={minText} onChange={(e) => setMinText(e.target.value)} placeholder={`0.00 ${currency}`} />
          </Field>
          <Field label="Max price">
            <Input inputMode="decimal" value={maxText} onChange={(e) => setMaxText(e.target.value)} placeholder={`Any ${currency}`} />
          </Field>
        </div>
        {list.isPending ? (
          <TableSkeleton rows={5} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Products"
            columns={columns}
            rows={list.data.data}
            rowKey={(p) => p.id}
            empty={
              filtered ? (
                <EmptyState title="No products match">Try other words or fewer filters.</EmptyState>
              ) : (
                <EmptyState
                  icon={<TagIcon />}
                  title="No products yet"
                  action={
                    write && (
                      <Link to="/commerce/products/$id" params={{ id: "new" }} className={buttonClass("primary")}>
                        Add your first product
                      </Link>
                    )
                  }
                >
                  Add products one by one, or import a spreadsheet (CSV) with one row per variant.
                </EmptyState>
              )
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
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
