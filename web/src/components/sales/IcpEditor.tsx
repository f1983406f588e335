import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { cx } from "../ui/cx";
import { Field, Input } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { type ExampleLead, exampleScore } from "./icpExample";
import { call } from "./request";
import { ScoreBadge } from "./ScoreBadge";
import { type Icp, type IcpDefinition, SIZE_BANDS } from "./types";

const EMPTY: IcpDefinition & Pick<Icp, "weights" | "version"> = {
  industries: [],
  sizes: [],
  titles: [],
  regions: [],
  required: [],
  excluded: [],
  weights: { industry: 25, size: 20, title: 25, region: 10, has_phone: 5 },
  version: 0,
};
const LIST_FIELDS: { key: Exclude<keyof IcpDefinition, "sizes">; label: string; hint: string }[] = [
  { key: "industries", label: "Industries", hint: "e.g. Software, Fintech" },
  { key: "titles", label: "Title keywords", hint: "e.g. vp, head of, founder" },
  { key: "regions", label: "Regions", hint: "Country codes or regions: US, GB, EMEA" },
  { key: "required", label: "Required traits", hint: "A lead without one scores 0: industry, title, has_email" },
  { key: "excluded", label: "Excluded traits", hint: "Rule a lead out: industry:gambling, domain:gmail.com, country:KP" },
];
const split = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** The ideal customer profile (traits, required / excluded, points per trait) with a live example score. */
export function IcpEditor() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("sales:manage");
  const icp = useQuery({ queryKey: tkey(ws.id, "sales", "icp"), queryFn: () => call<Icp | null>("GET", "/sales/icp") });
  const [text, setText] = useState<Record<string, string>>({});
  const [sizes, setSizes] = useState<string[]>([]);
  const [weights, setWeights] = useState<Record<string, number>>(EMPTY.weights);
  const [ex, setEx] = useState<ExampleLead>({
    industry: "Software",
    employees: "120",
    title: "VP of Sales",
    country: "US",
    hasPhone: true,
  });
  useEffect(() => {
    if (!icp.isSuccess) return;
    const v = icp.data ?? EMPTY;
    setText(Object.fromEntries(LIST_FIELDS.map((f) => [f.key, (v[f.key] ?? []).join(", ")])));
    setSizes(v.sizes ?? []);
    setWeights({ ...EMPTY.weights, ...v.weights });
  }, [icp.isSuccess, icp.data]);
  const definition: IcpDefinition = {
    industries: split(text.industries ?? ""),
    titles: split(text.titles ?? ""),
    regions: split(text.regions ?? ""),
    required: split(text.required ?? ""),
    excluded: split(text.excluded ?? ""),
    sizes,
  };
  const save = useMutation({
    mutationFn: () => call<Icp>("PUT", "/sales/icp", { body: { ...definition, weights } }),
    onSuccess: () => {
      toast.success("ICP saved. Leads are being re-scored.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const err = (k: string) => (save.error instanceof ApiError ? save.error.field(k) : undefined);
  const preview = exampleScore(definition, weights, ex);
  if (icp.isPending) return <Skeleton className="h-96" />;
  if (icp.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(icp.error)}
      </p>
    );
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <Card
        title="Ideal customer profile"
        description={
          icp.data?.is_default
            ? "Not saved yet: leads are scored with the defaults below."
            : `Version ${icp.data?.version ?? 1}${icp.data?.rescoring?.pending ? ` · re-scoring ${icp.data.rescoring.stale.toLocaleString()} of ${icp.data.rescoring.total.toLocaleString()} leads` : ""}`
        }
        actions={
          canManage && (
            <Button loading={save.isPending} onClick={() => save.mutate()}>
              Save ICP
            </Button>
          )
        }
      >
        <fieldset disabled={!canManage} className="space-y-4">
          {LIST_FIELDS.map((f) => (
            <Field key={f.key} label={f.label} hint={f.hint} error={err(f.key)}>
              <Input value={text[f.key] ?? ""} onChange={(e) => setText((t) => ({ ...t, [f.key]: e.target.value }))} />
            </Field>
          ))}
          <fieldset>
            <legend className="mb-1.5 text-sm font-medium">Company sizes (employees)</legend>
            <div className="flex flex-wrap gap-2">
              {SIZE_BANDS.map((b) => (
                <label
                  key={b}
                  className={cx(
                    "inline-flex cursor-pointer items-center gap-1.5 rounded-full border px-3 py-1 text-sm",
                    sizes.includes(b) ? "border-accent bg-accent-soft text-accent" : "border-line",
                  )}
                >
                  <input
                    type="checkbox"
                    className="sr-only"
                    checked={sizes.includes(b)}
                    onChange={() => setSizes((s) => (s.includes(b) ? s.filter((x) => x !== b) : [...s, b]))}
                  />
                  {b}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend className="mb-1.5 text-sm font-medium">Points per trait</legend>
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
              {Object.entries(weights).map(([k, w]) => (
                <Field key={k} label={k.replace(/_/g, " ")}>
                  <Input
                    type="number"
                    min={-100}
                    max={100}
                    value={w}
                    onChange={(e) => setWeights((ws2) => ({ ...ws2, [k]: Number(e.target.value) }))}
                  />
                </Field>
              ))}
            </div>
          </fieldset>
        </fieldset>
      </Card>
      <Card title="Live example" description="An estimate from the values on the left, before saving (engagement not included).">
        <div className="space-y-3">
          <Field label="Industry">
            <Input value={ex.industry} onChange={(e) => setEx({ ...ex, industry: e.target.value })} />
          </Field>
          <Field label="Employees">
            <Input inputMode="numeric" value={ex.employees} onChange={(e) => setEx({ ...ex, employees: e.target.value })} />
          </Field>
          <Field label="Title">
            <Input value={ex.title} onChange={(e) => setEx({ ...ex, title: e.target.value })} />
          </Field>
          <Field label="Country">
            <Input value={ex.country} onChange={(e) => setEx({ ...ex, country: e.target.value })} />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={ex.hasPhone} onChange={(e) => setEx({ ...ex, hasPhone: e.target.checked })} /> Has a phone
            number
          </label>
          <div className="rounded-lg border border-line p-3" aria-live="polite">
            <p className="mb-2 flex items-center justify-between text-sm font-medium">
              Example score <ScoreBadge score={preview.score} />
            </p>
            <ul className="space-y-1 text-sm">
              {preview.lines.map((l) => (
                <li key={l.label} className="flex justify-between">
                  <span>{l.label}</span>
                  <span className={l.points > 0 ? "text-success" : "text-danger"}>{l.points > 0 ? `+${l.points}` : l.points}</span>
                </li>
              ))}
              {preview.excluded && <li className="text-danger">Excluded by a trait: score 0</li>}
              {preview.missing.length > 0 && <li className="text-danger">Missing required: {preview.missing.join(", ")}</li>}
              {preview.lines.length === 0 && !preview.excluded && <li className="text-muted">No trait matches.</li>}
            </ul>
          </div>
        </div>
      </Card>
    </div>
  );
}
