import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import { call, type Page } from "./request";
import type { Lead } from "./types";

interface SequenceOption {
  id: string;
  name: string;
  status: string;
}

/** Selection bar above the leads table: select the page, enrol the selected leads in a sequence or tag them. */
export function LeadBulkBar({
  selected,
  allOnPage,
  onToggleAll,
  onDone,
}: {
  selected: Lead[];
  allOnPage: boolean;
  onToggleAll: () => void;
  onDone: () => void;
}) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [dialog, setDialog] = useState<"enrol" | "tag" | null>(null);
  const [sequenceId, setSequenceId] = useState("");
  const [tag, setTag] = useState("");
  const sequences = useQuery({
    queryKey: tkey(ws.id, "outreach", "sequences", "enrollable"),
    queryFn: () => call<Page<SequenceOption>>("GET", "/outreach/sequences", { query: { limit: 100 } }),
    enabled: dialog === "enrol",
  });
  const enrollable = (sequences.data?.data ?? []).filter((s) => s.status === "active" || s.status === "draft" || s.status === "paused");
  const enrol = useMutation({
    mutationFn: () =>
      call<{ enrolled: number; skipped: Record<string, number> }>("POST", `/outreach/sequences/${sequenceId}/enrol`, {
        body: { lead_ids: selected.map((l) => l.id) },
      }),
    onSuccess: (r) => {
      toast.success(
        `${r?.enrolled ?? selected.length} enrolled${r?.skipped ? `, ${r.skipped} skipped (already enrolled or not contactable)` : ""}.`,
      );
      setDialog(null);
      onDone();
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const addTag = useMutation({
    mutationFn: async () => {
      const t = tag.trim();
      // No bulk endpoint in the contract: one PATCH per lead, each keeping its other tags.
      for (const l of selected) {
        if (!l.tags.includes(t)) await call("PATCH", `/sales/leads/${l.id}`, { body: { tags: [...l.tags, t] } });
      }
    },
    onSuccess: () => {
      toast.success(`Tagged ${selected.length} lead${selected.length === 1 ? "" : "s"} “${tag.trim()}”.`);
      setDialog(null);
      setTag("");
      onDone();
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "leads") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const n = selected.length;
  return (
    <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2 text-sm">
      <label className="inline-flex items-center gap-2">
        <input type="checkbox" className="size-4" checked={allOnPage} onChange={onToggleAll} />
        Select page
      </label>
      <span className="text-muted" aria-live="polite">
        {n ? `${n} selected` : "None selected"}
      </span>
      {n > 0 && ws.can("sales:write") && (
        <div className="ml-auto flex gap-2">
          <Button size="sm" variant="secondary" onClick={() => setDialog("tag")}>
            Tag…
          </Button>
          <Button size="sm" onClick={() => setDialog("enrol")}>
            Enrol in sequence…
          </Button>
        </div>
      )}
      <Dialog
        open={dialog === "enrol"}
        onClose={() => setDialog(null)}
        title={`Enrol ${n} lead${n === 1 ? "" : "s"}`}
        description="Each lead starts at the sequence's first step, inside its sending window. Leads already enrolled, unsubscribed or bounced are skipped."
        footer={
          <>
            <Button variant="secondary" onClick={() => setDialog(null)}>
              Cancel
            </Button>
            <Button disabled={!sequenceId} loading={enrol.isPending} onClick={() => enrol.mutate()}>
              Enrol
            </Button>
          </>
        }
      >
        <Field
          label="Sequence"
          hint={sequences.isSuccess && enrollable.length === 0 ? "No sequences yet: create one under Sequences." : undefined}
        >
          <Select value={sequenceId} onChange={(e) => setSequenceId(e.target.value)}>
            <option value="">Choose…</option>
            {enrollable.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.status})
              </option>
            ))}
          </Select>
        </Field>
      </Dialog>
      <Dialog
        open={dialog === "tag"}
        onClose={() => setDialog(null)}
        title={`Tag ${n} lead${n === 1 ? "" : "s"}`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setDialog(null)}>
              Cancel
            </Button>
            <Button disabled={!tag.trim()} loading={addTag.isPending} onClick={() => addTag.mutate()}>
              Add tag
            </Button>
          </>
        }
      >
        <Field label="Tag">
          <Input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="e.g. q1-outbound" />
        </Field>
      </Dialog>
    </div>
  );
}
