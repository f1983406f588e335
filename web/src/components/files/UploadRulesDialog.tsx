import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Textarea } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";

const MB = 1024 * 1024;
const MAX_MB = 5 * 1024; // the API's ceiling: 5 GiB
const PATTERN = /^(\*\/\*|[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+))$/i;

/**
 * The workspace's upload rules (GET/PUT /files/settings): which types may be stored (MIME types or
 * patterns such as image/*, checked against the type sniffed from the bytes) and the largest file.
 */
export function UploadRulesDialog({ onClose }: { onClose: () => void }) {
  const ws = useWorkspace();
  const q = useQuery({ queryKey: tkey(ws.id, "files", "settings"), queryFn: () => api("GET /api/v1/files/settings") });
  return (
    <Dialog open onClose={onClose} title="Upload rules" size="sm">
      {q.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(q.error)}
        </p>
      ) : q.data ? (
        <RulesForm settings={q.data} onClose={onClose} />
      ) : (
        <Skeleton className="h-48" />
      )}
    </Dialog>
  );
}

function RulesForm({ settings, onClose }: { settings: { allowed_types: string[]; max_file_size: number }; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [types, setTypes] = useState(settings.allowed_types.join("\n"));
  const [size, setSize] = useState(String(Math.round((settings.max_file_size / MB) * 10) / 10));
  const list = types
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean);
  const bad = list.filter((t) => !PATTERN.test(t));
  const typesError = !list.length
    ? "At least one type, or */* for any."
    : bad.length
      ? `Not a type or pattern: ${bad.join(", ")}`
      : undefined;
  const mb = Number(size);
  const sizeError = Number.isFinite(mb) && mb > 0 && mb <= MAX_MB ? undefined : `A size from 0.1 to ${MAX_MB.toLocaleString()} MB.`;
  const save = useMutation({
    mutationFn: () => api("PUT /api/v1/files/settings", { body: { allowed_types: list, max_file_size: Math.round(mb * MB) } }),
    onSuccess: () => {
      toast.success("Upload rules saved.");
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "files", "settings") });
      onClose();
    },
  });
  const field = (f: string) => (save.error instanceof ApiError ? save.error.field(f) : undefined);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!typesError && !sizeError) save.mutate();
      }}
    >
      <Field
        label="Allowed types"
        hint="One per line: a type (application/pdf), a family (image/*) or */* for any. Checked against the type read from the file's bytes."
        error={typesError ?? field("allowed_types")}
      >
        <Textarea rows={5} value={types} onChange={(e) => setTypes(e.target.value)} className="font-mono text-xs" spellCheck={false} />
      </Field>
      <Field
        label="Largest file (MB)"
        hint={`Up to ${MAX_MB.toLocaleString()} MB (5 GB).`}
        error={sizeError ?? field("max_file_size")}
        className="max-w-xs"
      >
        <Input type="number" min={0.1} max={MAX_MB} step="any" value={size} onChange={(e) => setSize(e.target.value)} />
      </Field>
      {save.isError && !field("allowed_types") && !field("max_file_size") && (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(save.error)}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" loading={save.isPending} disabled={!!typesError || !!sizeError}>
          Save rules
        </Button>
      </div>
    </form>
  );
}
