import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, type ApiError } from "../../lib/api";
import type { UpdateCommerceProduct } from "../../lib/api-types";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input, Select, Textarea } from "../ui/Field";
import type { Product } from "./client";
import { FilePickerDialog, FileThumbById, useFile } from "./FilePicker";

export interface DetailsDraft {
  title: string;
  slug: string;
  description: string;
  status: "active" | "archived";
  type: "physical" | "digital";
  weight: string;
  options: string[];
  digitalFileId: string | null;
  images: string[];
  collectionIds: string[];
}

export function detailsOf(p: Product | null): DetailsDraft {
  return {
    title: p?.title ?? "",
    slug: p?.slug ?? "",
    description: p?.description ?? "",
    status: p?.status ?? "active",
    type: p?.type ?? "physical",
    weight: p?.weight_grams === null || p?.weight_grams === undefined ? "" : String(p.weight_grams),
    options: p?.options ?? [],
    digitalFileId: p?.digital_file_id ?? null,
    images: p?.images ?? [],
    collectionIds: p?.collections.map((c) => c.id) ?? [],
  };
}

export function detailsToInput(d: DetailsDraft): UpdateCommerceProduct & { title: string } {
  const weight = d.weight.trim() === "" ? null : Number(d.weight);
  return {
    title: d.title.trim(),
    slug: d.slug.trim() || undefined,
    description: d.description,
    status: d.status,
    type: d.type,
    weight_grams: weight !== null && Number.isFinite(weight) ? Math.round(weight) : null,
    options: d.options.map((o) => o.trim()).filter(Boolean),
    digital_file_id: d.type === "digital" ? d.digitalFileId : null,
    images: d.images,
    collection_ids: d.collectionIds,
  };
}

/** The product's own fields (not its variants). Options are editable only before the variants exist. */
export function ProductDetailsFields({
  value: d,
  onChange,
  error,
  optionsEditable,
  disabled,
}: {
  value: DetailsDraft;
  onChange: (d: DetailsDraft) => void;
  error: ApiError | null;
  optionsEditable: boolean;
  disabled?: boolean;
}) {
  const ws = useWorkspace();
  const set = (p: Partial<DetailsDraft>) => onChange({ ...d, ...p });
  const [picking, setPicking] = useState<"image" | "digital" | null>(null);
  const collections = useQuery({
    queryKey: tkey(ws.id, "commerce", "collections"),
    queryFn: () => api("GET /api/v1/commerce/collections"),
  });
  const digital = useFile(d.digitalFileId);
  const move = (i: number, by: number) => {
    const next = [...d.images];
    const [x] = next.splice(i, 1);
    if (x) next.splice(i + by, 0, x);
    set({ images: next });
  };
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <Card title="Details">
        <fieldset disabled={disabled} className="grid gap-4">
          <Field label="Title" error={error?.field("title")}>
            <Input required maxLength={200} value={d.title} onChange={(e) => set({ title: e.target.value })} />
          </Field>
          <Field label="Slug" hint="The product's address on your shop; made from the title when blank." error={error?.field("slug")}>
            <Input value={d.slug} onChange={(e) => set({ slug: e.target.value })} placeholder="linen-shirt" />
          </Field>
          <Field label="Description" error={error?.field("description")}>
            <Textarea rows={5} value={d.description} onChange={(e) => set({ description: e.target.value })} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label="Status">
              <Select value={d.status} onChange={(e) => set({ status: e.target.value as DetailsDraft["status"] })}>
                <option value="active">Active</option>
                <option value="archived">Archived</option>
              </Select>
            </Field>
            <Field label="Type">
              <Select value={d.type} onChange={(e) => set({ type: e.target.value as DetailsDraft["type"] })}>
                <option value="physical">Physical</option>
                <option value="digital">Digital</option>
              </Select>
            </Field>
            <Field label="Weight (g)" hint="Variants may override it" error={error?.field("weight_grams")}>
              <Input
                inputMode="numeric"
                value={d.weight}
                onChange={(e) => set({ weight: e.target.value })}
                disabled={d.type === "digital"}
              />
            </Field>
          </div>
          {optionsEditable && (
            <fieldset className="grid gap-2">
              <legend className="mb-1 text-sm font-medium">Options</legend>
              <p className="text-xs text-muted">Up to three dimensions your variants differ by, e.g. Size and Colour.</p>
              {d.options.map((o, i) => (
                <div key={`opt-${i.toString()}`} className="flex gap-2">
                  <Input
                    aria-label={`Option ${i + 1} name`}
                    value={o}
                    maxLength={40}
                    onChange={(e) => set({ options: d.options.map((x, j) => (j === i ? e.target.value : x)) })}
                  />
                  <Button variant="ghost" onClick={() => set({ options: d.options.filter((_, j) => j !== i) })}>
                    Remove<span className="sr-only"> option {i + 1}</span>
                  </Button>
                </div>
              ))}
              {d.options.length < 3 && (
                <Button variant="secondary" size="sm" className="justify-self-start" onClick={() => set({ options: [...d.options, ""] })}>
                  Add option
                </Button>
              )}
            </fieldset>
          )}
          {!optionsEditable && d.options.length > 0 && (
            <p className="text-sm text-muted">
              Options: <strong className="text-fg">{d.options.join(", ")}</strong> (each variant has a value for each).
            </p>
          )}
          {d.type === "digital" && (
            <div className="rounded-lg border border-line p-3">
              <p className="text-sm font-medium">File delivered after payment</p>
              <div className="mt-2 flex flex-wrap items-center gap-3">
                {d.digitalFileId ? (
                  <>
                    <FileThumbById id={d.digitalFileId} className="size-10 rounded" />
                    <span className="text-sm">{digital.data?.name ?? d.digitalFileId}</span>
                    <Button variant="ghost" size="sm" onClick={() => set({ digitalFileId: null })}>
                      Remove file
                    </Button>
                  </>
                ) : (
                  <span className="text-sm text-muted">None yet: buyers get a signed download link to it.</span>
                )}
                <Button variant="secondary" size="sm" onClick={() => setPicking("digital")}>
                  {d.digitalFileId ? "Change file" : "Choose file"}
                </Button>
              </div>
              {error?.field("digital_file_id") && <p className="mt-1 text-xs text-danger">{error.field("digital_file_id")}</p>}
            </div>
          )}
        </fieldset>
      </Card>
      <div className="space-y-6">
        <Card title="Images" description="The first is the main image.">
          <ul className="grid grid-cols-3 gap-2">
            {d.images.map((img, i) => (
              <li key={img} className="group relative">
                <FileThumbById id={img} className="aspect-square w-full rounded-lg" />
                {!disabled && (
                  <div className="mt-1 flex justify-center gap-1 text-xs">
                    {i > 0 && (
                      <button
                        type="button"
                        className="rounded px-1 hover:bg-subtle"
                        onClick={() => move(i, -1)}
                        aria-label={`Move image ${i + 1} earlier`}
                      >
                        ←
                      </button>
                    )}
                    <button
                      type="button"
                      className="rounded px-1 text-danger hover:bg-subtle"
                      onClick={() => set({ images: d.images.filter((x) => x !== img) })}
                      aria-label={`Remove image ${i + 1}`}
                    >
                      ✕
                    </button>
                    {i < d.images.length - 1 && (
                      <button
                        type="button"
                        className="rounded px-1 hover:bg-subtle"
                        onClick={() => move(i, 1)}
                        aria-label={`Move image ${i + 1} later`}
                      >
                        →
                      </button>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
          {d.images.length === 0 && <p className="text-sm text-muted">No images.</p>}
          {!disabled && d.images.length < 20 && (
            <Button variant="secondary" size="sm" className="mt-3" onClick={() => setPicking("image")}>
              Add image
            </Button>
          )}
          {error?.field("images") && <p className="mt-1 text-xs text-danger">{error.field("images")}</p>}
        </Card>
        <Card title="Collections">
          {collections.data?.data.length ? (
            <fieldset disabled={disabled} className="grid gap-2">
              <legend className="sr-only">Collections</legend>
              {collections.data.data.map((c) => (
                <label key={c.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-accent"
                    checked={d.collectionIds.includes(c.id)}
                    onChange={(e) =>
                      set({ collectionIds: e.target.checked ? [...d.collectionIds, c.id] : d.collectionIds.filter((x) => x !== c.id) })
                    }
                  />
                  {c.title}
                </label>
              ))}
            </fieldset>
          ) : (
            <p className="text-sm text-muted">No collections yet.</p>
          )}
        </Card>
      </div>
      <FilePickerDialog
        open={picking !== null}
        onClose={() => setPicking(null)}
        title={picking === "image" ? "Add an image" : "Choose the file to deliver"}
        accept={picking === "image" ? "image/" : undefined}
        exclude={picking === "image" ? d.images : []}
        onPick={(fileId) => {
          if (picking === "image") set({ images: [...d.images, fileId] });
          else {
            set({ digitalFileId: fileId });
            setPicking(null);
          }
        }}
      />
    </div>
  );
}
