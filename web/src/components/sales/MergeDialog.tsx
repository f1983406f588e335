import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import { Dialog } from "../ui/Dialog";
import { toast } from "../ui/Toast";
import { call } from "./request";
import { fieldLabel, type Lead, leadName } from "./types";

const MERGE_FIELDS = [
  "email",
  "first_name",
  "last_name",
  "title",
  "phone",
  "company_name",
  "domain",
  "industry",
  "employees",
  "country",
  "city",
  "timezone",
  "linkedin_url",
  "source",
  "status",
] as const;
type MergeField = (typeof MERGE_FIELDS)[number];
const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));

/**
 * Merge two leads: the first is kept, the second is merged into it (its timeline, tasks, deals and
 * enrolments move over; its tags are added). For each field whose values differ, pick the side to keep.
 */
export function MergeDialog({ pair, onClose }: { pair: [Lead, Lead] | null; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [keepFirst, setKeepFirst] = useState(true);
  const [pick, setPick] = useState<Partial<Record<MergeField, 0 | 1>>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when another pair opens
  useEffect(() => {
    setKeepFirst(true);
    setPick({});
  }, [pair?.[0].id, pair?.[1].id]);
  const merge = useMutation({
    mutationFn: () => {
      if (!pair) throw new Error("Nothing to merge");
      const [survivor, other] = keepFirst ? pair : [pair[1], pair[0]];
      // Only the fields picked by hand are sent; the server defaults the rest (the survivor's value, else the other's).
      const fields: Record<string, string> = {};
      for (const f of MERGE_FIELDS) if (pick[f] !== undefined) fields[f] = pair[pick[f]].id;
      return call<Lead>("POST", "/sales/leads/merge", { body: { survivor_id: survivor.id, merged_ids: [other.id], fields } });
    },
    onSuccess: () => {
      toast.success("Leads merged.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales") });
      onClose();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (!pair) return <Dialog open={false} onClose={onClose} title="Merge leads" />;
  const differing = MERGE_FIELDS.filter((f) => show(pair[0][f]) !== show(pair[1][f]));
  const chosen = (f: MergeField) => pick[f] ?? (pair[0][f] === null || pair[0][f] === "" ? 1 : 0);
  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title="Merge duplicate leads"
      description="Pick the value to keep where the two differ. The other lead's activity, tasks, deals and tags move to the one kept."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={merge.isPending} onClick={() => merge.mutate()}>
            Merge into {leadName(keepFirst ? pair[0] : pair[1])}
          </Button>
        </>
      }
    >
      <fieldset className="mb-4 flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 font-medium">Keep the record of</legend>
        {[0, 1].map((i) => (
          <label key={i} className="inline-flex items-center gap-2">
            <input type="radio" name="merge-survivor" checked={keepFirst === (i === 0)} onChange={() => setKeepFirst(i === 0)} />
            {leadName(pair[i as 0 | 1])} <span className="text-xs text-muted">({pair[i as 0 | 1].id})</span>
          </label>
        ))}
      </fieldset>
      {differing.length === 0 ? (
        <p className="text-sm text-muted">The two leads have the same values in every field.</p>
      ) : (
        <div className="max-h-80 overflow-y-auto rounded-lg border border-line">
          <table className="w-full text-sm">
            <caption className="sr-only">Fields that differ</caption>
            <thead className="bg-subtle text-xs text-muted uppercase">
              <tr>
                <th scope="col" className="px-3 py-2 text-left">
                  Field
                </th>
                <th scope="col" className="px-3 py-2 text-left">
                  First
                </th>
                <th scope="col" className="px-3 py-2 text-left">
                  Second
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {differing.map((f) => (
                <tr key={f}>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    {fieldLabel(f)}
                  </th>
                  {([0, 1] as const).map((side) => (
                    <td key={side} className="px-3 py-1.5">
                      <label
                        className={cx(
                          "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1",
                          chosen(f) === side && "bg-accent-soft",
                        )}
                      >
                        <input
                          type="radio"
                          name={`merge-${f}`}
                          checked={chosen(f) === side}
                          onChange={() => setPick((p) => ({ ...p, [f]: side }))}
                        />
                        <span className="min-w-0 break-all">{show(pair[side][f])}</span>
                      </label>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}
