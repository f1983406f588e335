import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Textarea } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Table, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import type { Collection } from "./client";
import { TagIcon } from "./icons";

/** Collections (categories) of products: create, rename, delete. Products join them from the product editor. */
export function CollectionsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Collection | "new" | null>(null);
  const [deleting, setDeleting] = useState<Collection | null>(null);
  const list = useQuery({
    queryKey: tkey(ws.id, "commerce", "collections"),
    queryFn: () => api("GET /api/v1/commerce/collections"),
  });
  const write = ws.can("commerce:write");
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce") });
  const remove = useMutation({
    mutationFn: (c: Collection) => api("DELETE /api/v1/commerce/collections/{id}", { params: { id: c.id } }),
    onSuccess: (_r, c) => {
      setDeleting(null);
      toast.success(`${c.title} deleted`);
      void refresh();
    },
    onError: (e) => {
      setDeleting(null);
      toast.error(errorMessage(e));
    },
  });
  const columns: Column<Collection>[] = [
    {
      key: "title",
      header: "Collection",
      cell: (c) => (
        <div>
          <span className="font-medium">{c.title}</span>
          <span className="block text-xs text-muted">/{c.slug}</span>
        </div>
      ),
      sort: (c) => c.title.toLowerCase(),
    },
    {
      key: "products",
      header: "Products",
      className: "tabular-nums",
      cell: (c) => (
        <Link to="/commerce/products" className="text-accent hover:underline">
          {c.product_count}
        </Link>
      ),
      sort: (c) => c.product_count,
    },
    {
      key: "description",
      header: "Description",
      hideOnMobile: true,
      cell: (c) => <span className="line-clamp-1 text-muted">{c.description || "—"}</span>,
    },
    ...(write
      ? [
          {
            key: "actions",
            header: "Actions",
            className: "text-right whitespace-nowrap",
            cell: (c: Collection) => (
              <>
                <Button aria-label={`Edit ${c.title}`} size="sm" variant="ghost" onClick={() => setEditing(c)}>
                  Edit
                </Button>
                <Button aria-label={`Delete ${c.title}`} size="sm" variant="ghost" className="!text-danger" onClick={() => setDeleting(c)}>
                  Delete
                </Button>
              </>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title="Collections"
        description="Group products for your shop's navigation and filters. A product can be in several."
        actions={write && <Button onClick={() => setEditing("new")}>New collection</Button>}
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {list.isPending ? (
          <TableSkeleton rows={3} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Collections"
            columns={columns}
            rows={list.data.data}
            rowKey={(c) => c.id}
            empty={
              <EmptyState
                icon={<TagIcon />}
                title="No collections yet"
                action={write && <Button onClick={() => setEditing("new")}>Create one</Button>}
              >
                For example "T-shirts" or "Gifts under $20".
              </EmptyState>
            }
          />
        )}
      </section>
      <CollectionDialog collection={editing} onClose={() => setEditing(null)} onSaved={refresh} />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.title ?? ""}?`}
        description={`Its ${deleting?.product_count ?? 0} products stay in the catalogue; only the grouping goes.`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete collection
            </Button>
          </>
        }
      />
    </>
  );
}

function CollectionDialog({
  collection,
  onClose,
  onSaved,
}: {
  collection: Collection | "new" | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const existing = collection && collection !== "new" ? collection : null;
  const [title, setTitle] = useState("");
  const [slug, setSlug] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setTitle(existing?.title ?? "");
    setSlug(existing?.slug ?? "");
    setDescription(existing?.description ?? "");
    setError(null);
  }, [existing]);
  const save = useMutation({
    mutationFn: () => {
      const body = { title: title.trim(), slug: slug.trim() || undefined, description };
      return existing
        ? api("PATCH /api/v1/commerce/collections/{id}", { params: { id: existing.id }, body })
        : api("POST /api/v1/commerce/collections", { body });
    },
    onSuccess: (c) => {
      toast.success(existing ? `${c.title} saved` : `${c.title} created`);
      onSaved();
      onClose();
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  return (
    <Dialog
      open={collection !== null}
      onClose={onClose}
      title={existing ? `Edit ${existing.title}` : "New collection"}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="collection-form" loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form
        id="collection-form"
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {error && !error.problem.errors && (
          <p role="alert" className="text-sm text-danger">
            {error.message}
          </p>
        )}
        <Field label="Title" error={error?.field("title")}>
          <Input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label="Slug" hint="Made from the title when blank." error={error?.field("slug")}>
          <Input value={slug} onChange={(e) => setSlug(e.target.value)} />
        </Field>
        <Field label="Description" error={error?.field("description")}>
          <Textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </form>
    </Dialog>
  );
}
