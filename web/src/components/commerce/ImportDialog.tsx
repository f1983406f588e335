import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { CommerceImportResult } from "../../lib/api-types";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { toast } from "../ui/Toast";
import { rawRequest } from "./client";

const MAX_BYTES = 5 * 1024 * 1024;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 rows have 5 problems; their products are skipped". */
function problemSummary(errors: CommerceImportResult["errors"]): string {
  const rows = new Set(errors.map((e) => e.row)).size;
  return `${plural(rows, "row")} ${rows === 1 ? "has" : "have"} ${plural(errors.length, "problem")}; their products are skipped`;
}

/**
 * CSV import in two steps: a dry run shows what would be created/updated and every bad row
 * (row number, column, message); only then does "Import" write. Rows with errors are skipped.
 */
export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [text, setText] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [preview, setPreview] = useState<CommerceImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reset = () => {
    setText(null);
    setName("");
    setPreview(null);
    setError(null);
  };
  const close = () => {
    reset();
    onClose();
  };
  const run = async (csv: string, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const res = await rawRequest("POST", `/api/v1/commerce/products/import?dry_run=${dryRun}`, csv);
      const body = await res.json();
      if (!res.ok) throw new Error(body.detail || body.title || "The import failed.");
      if (dryRun) setPreview(body as CommerceImportResult);
      else {
        const r = body as CommerceImportResult;
        toast.success(
          `Imported: ${r.products_created} products created, ${r.products_updated} updated${r.errors.length ? `, ${r.errors.length} rows skipped` : ""}`,
        );
        void qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce") });
        close();
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pick = async (file: File | undefined) => {
    reset();
    if (!file) return;
    if (file.size > MAX_BYTES) return setError("A CSV import is at most 5 MB; split the file.");
    const csv = await file.text();
    setText(csv);
    setName(file.name);
    await run(csv, true);
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title="Import products from CSV"
      description="One row per variant, the columns of the export (handle, title, sku, on_hand, price_USD…). Products are matched by handle and variants by SKU. Nothing is written until you confirm."
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            disabled={!preview || !text || preview.products_created + preview.products_updated === 0}
            loading={busy && Boolean(preview)}
            onClick={() => text && void run(text, false)}
          >
            Import
          </Button>
        </>
      }
    >
      <label className="block text-sm font-medium">
        CSV file
        <input
          type="file"
          accept=".csv,text/csv"
          className="mt-1.5 block w-full text-sm file:mr-3 file:rounded-lg file:border file:border-line file:bg-surface file:px-3 file:py-1.5 file:text-sm"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
      </label>
      {error && (
        <p role="alert" className="mt-3 text-sm text-danger">
          {error}
        </p>
      )}
      {busy && !preview && <p className="mt-3 text-sm text-muted">Checking {name}…</p>}
      {preview && (
        <div className="mt-4 space-y-3" aria-live="polite">
          <p className="text-sm">
            <strong>{name}</strong>: {preview.rows} rows. Would create <strong>{plural(preview.products_created, "product")}</strong> and
            update <strong>{preview.products_updated}</strong> ({plural(preview.variants_created, "variant")} created,{" "}
            {preview.variants_updated} updated).
          </p>
          {preview.errors.length > 0 ? (
            <div className="rounded-lg border border-danger/40">
              <p className="border-b border-danger/40 bg-danger-soft px-3 py-2 text-sm font-medium text-danger">
                {problemSummary(preview.errors)}
              </p>
              <div className="max-h-48 overflow-y-auto">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">Rows with problems</caption>
                  <thead className="text-xs text-muted uppercase">
                    <tr>
                      <th scope="col" className="px-3 py-1.5">
                        Row
                      </th>
                      <th scope="col" className="px-3 py-1.5">
                        Column
                      </th>
                      <th scope="col" className="px-3 py-1.5">
                        Problem
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-line">
                    {preview.errors.map((e) => (
                      <tr key={`${e.row}-${e.field}-${e.message}`}>
                        <td className="px-3 py-1.5 tabular-nums">{e.row}</td>
                        <td className="px-3 py-1.5 font-mono text-xs">{e.field ?? "—"}</td>
                        <td className="px-3 py-1.5">{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ) : (
            <p className="text-sm text-success">No problems found.</p>
          )}
        </div>
      )}
    </Dialog>
  );
}
