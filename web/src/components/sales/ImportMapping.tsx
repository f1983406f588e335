import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { cx } from "../ui/cx";
import { Field, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { call } from "./request";
import { fieldLabel, IMPORT_FIELDS, type ImportPreview, type SalesImport } from "./types";

export type Duplicates = SalesImport["duplicates"];

/** Step 2: each CSV column → a lead field (suggested from the header, editable), and what to do with duplicates. */
export function MappingStep({
  imp,
  mapping,
  setMapping,
  duplicates,
  setDuplicates,
}: {
  imp: SalesImport;
  mapping: Record<string, string>;
  setMapping: (m: Record<string, string>) => void;
  duplicates: Duplicates;
  setDuplicates: (d: Duplicates) => void;
}) {
  const used = new Set(Object.values(mapping).filter(Boolean));
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted">
        {imp.total_rows.toLocaleString()} rows in <span className="font-medium text-fg">{imp.file_name}</span>. Columns left on “Ignore” are
        not imported; map at least Email, or a name and a company domain.
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        {imp.headers.map((h) => (
          <Field key={h} label={h}>
            <Select value={mapping[h] ?? ""} onChange={(e) => setMapping({ ...mapping, [h]: e.target.value })}>
              <option value="">Ignore</option>
              {IMPORT_FIELDS.map((f) => (
                <option key={f} value={f} disabled={used.has(f) && mapping[h] !== f}>
                  {fieldLabel(f)}
                </option>
              ))}
            </Select>
          </Field>
        ))}
      </div>
      <Field label="Rows that match an existing lead" hint="Matched by email, or by name and company domain when there is no email.">
        <Select value={duplicates} onChange={(e) => setDuplicates(e.target.value as Duplicates)}>
          <option value="update">Update the existing lead (fill and overwrite mapped fields)</option>
          <option value="merge">Merge (only fill fields the existing lead lacks)</option>
          <option value="skip">Skip the row</option>
        </Select>
      </Field>
    </div>
  );
}

/** Step 3: the first rows as they would be imported, with each row's errors and duplicate marks. */
export function PreviewStep({ imp, mapping, duplicates }: { imp: SalesImport; mapping: Record<string, string>; duplicates: Duplicates }) {
  const ws = useWorkspace();
  const fields = IMPORT_FIELDS.filter((f) => Object.values(mapping).includes(f));
  const preview = useQuery({
    queryKey: tkey(ws.id, "sales", "import", imp.id, "preview", mapping, duplicates),
    queryFn: () =>
      call<ImportPreview>("GET", `/sales/imports/${imp.id}/preview`, {
        query: { mapping: JSON.stringify(mapping), duplicates, limit: 50 },
      }),
  });
  if (preview.isPending) return <TableSkeleton rows={5} />;
  if (preview.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(preview.error)}
      </p>
    );
  const rows = preview.data.rows;
  const bad = rows.filter((r) => r.errors.length).length;
  const dup = rows.filter((r) => r.duplicate_of).length;
  return (
    <div className="space-y-3">
      <p className="text-sm text-muted" aria-live="polite">
        First {rows.length} rows: {bad} with errors (they will be skipped), {dup} matching an existing lead.
      </p>
      <div className="max-h-96 overflow-auto rounded-lg border border-line">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Import preview</caption>
          <thead className="sticky top-0 bg-subtle text-xs text-muted uppercase">
            <tr>
              <th scope="col" className="px-3 py-2">
                Row
              </th>
              {fields.map((f) => (
                <th key={f} scope="col" className="px-3 py-2 whitespace-nowrap">
                  {fieldLabel(f)}
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                Check
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {rows.map((r) => (
              <tr key={r.row} className={cx(r.errors.length > 0 && "bg-danger-soft/40")}>
                <td className="px-3 py-2 tabular-nums text-muted">{r.row}</td>
                {fields.map((f) => (
                  <td key={f} className="max-w-48 truncate px-3 py-2">
                    {r.values[f] ?? ""}
                  </td>
                ))}
                <td className="px-3 py-2">
                  {r.errors.length > 0 ? (
                    <span className="text-xs text-danger">
                      {r.errors.map((e) => (e.field ? `${fieldLabel(e.field)}: ${e.message}` : e.message)).join("; ")}
                    </span>
                  ) : r.duplicate_of ? (
                    <Badge tone="warning">Duplicate</Badge>
                  ) : (
                    <Badge tone="success">New</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
