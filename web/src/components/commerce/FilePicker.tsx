import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { FileThumb } from "../files/FileThumb";
import { formatBytes } from "../files/format";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";

/** A file of the workspace by id, cached (product images and digital goods name files by id only). */
export function useFile(id: string | null) {
  const ws = useWorkspace();
  return useQuery({
    queryKey: tkey(ws.id, "files", "one", id),
    queryFn: () => api("GET /api/v1/files/{id}", { params: { id: id ?? "" } }),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}

/** A thumbnail for a file id (signed URL from the files API), or an empty tile. */
export function FileThumbById({ id, className }: { id: string | null; className?: string }) {
  const file = useFile(id);
  if (!id || file.isError) return <span className={cx("block bg-subtle", className)} aria-hidden="true" />;
  if (!file.data) return <Skeleton className={className} />;
  return <FileThumb file={file.data} className={className} iconClassName="size-5" />;
}

/**
 * Pick a file from the workspace's file manager: search, then choose one (or several for
 * images). `accept` narrows by content type prefix ("image/").
 */
export function FilePickerDialog({
  open,
  onClose,
  onPick,
  title,
  accept,
  exclude = [],
}: {
  open: boolean;
  onClose: () => void;
  onPick: (id: string) => void;
  title: string;
  accept?: string;
  exclude?: string[];
}) {
  const ws = useWorkspace();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const files = useQuery({
    queryKey: tkey(ws.id, "files", "picker", q),
    queryFn: () => api("GET /api/v1/files", { query: { q: q || undefined, limit: 60, sort: "created_at", order: "desc" } }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const rows = (files.data?.data ?? []).filter((f) => (!accept || f.content_type.startsWith(accept)) && !exclude.includes(f.id));
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      size="lg"
      description={
        <>
          From your{" "}
          <Link to="/files" className="text-accent underline underline-offset-2">
            files
          </Link>
          . Upload there first if it is not listed.
        </>
      }
      footer={
        <Button variant="secondary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <Field label="Search files" hideLabel>
        <Input type="search" placeholder="Search files by name" value={search} onChange={(e) => setSearch(e.target.value)} />
      </Field>
      <div className="mt-3 max-h-80 overflow-y-auto">
        {files.isPending ? (
          <Skeleton className="h-24" />
        ) : files.isError ? (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(files.error)}
          </p>
        ) : rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-muted">{accept === "image/" ? "No images found." : "No files found."}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            {rows.map((f) => (
              <li key={f.id}>
                <button
                  type="button"
                  onClick={() => onPick(f.id)}
                  className="flex w-full items-center gap-2 rounded-lg border border-line p-2 text-left hover:border-accent focus-visible:outline-2 focus-visible:outline-accent"
                >
                  <FileThumb file={f} className="size-10 shrink-0 rounded" iconClassName="size-5" />
                  <span className="min-w-0">
                    <span className="block truncate text-sm">{f.name}</span>
                    <span className="block text-xs text-muted">{formatBytes(f.size)}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
