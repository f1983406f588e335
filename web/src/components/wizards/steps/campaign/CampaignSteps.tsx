import { useState } from "react";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { Field, Input } from "../../../ui/Field";
import { answers, type SetupStepProps, useInitialAnswers, useStepStatus } from "../store/stepKit";
import { CampaignSequenceStep } from "./CampaignSequenceStep";

const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : "");
const parseList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

export function CampaignIcpStep({ kind, stepId, value, onChange, errors }: SetupStepProps) {
  const status = useStepStatus(kind, stepId);
  const current = status.data?.detail.current as Record<string, string[]> | undefined;
  const v = answers(value, current ?? { industries: [], sizes: [], titles: [], regions: [] });
  useInitialAnswers(value, current ?? null, onChange);
  const [text, setText] = useState<Record<string, string> | null>(null);
  const shown = text ?? { industries: list(v.industries), sizes: list(v.sizes), titles: list(v.titles), regions: list(v.regions) };
  const edit = (k: string, s: string) => {
    const next = { ...shown, [k]: s };
    setText(next);
    onChange(Object.fromEntries(Object.entries(next).map(([key, val]) => [key, parseList(val)])));
  };
  const fields: [string, string, string][] = [
    ["industries", "Industries", "Software, Retail"],
    ["sizes", "Company sizes (1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+)", "11-50, 51-200"],
    ["titles", "Title keywords", "founder, head of, vp"],
    ["regions", "Regions", "DE, FR, US"],
  ];
  return (
    <div className="space-y-4">
      {status.data?.detail.can_edit === false && (
        <p className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm">
          Only admins change the ideal customer profile; keep it as it is to continue.
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        {fields.map(([k, label, ph]) => (
          <Field key={k} label={label} hint="Separate with commas" error={errors[k] ?? errors[`${k}.0`]}>
            <Input value={shown[k]} placeholder={ph} onChange={(e) => edit(k, e.target.value)} />
          </Field>
        ))}
      </div>
    </div>
  );
}

export function CampaignLeadsStep({ kind, stepId, value, onChange, errors }: SetupStepProps) {
  const v = answers(value, {
    mode: "filter",
    tags: [] as string[],
    min_score: undefined as number | undefined,
    csv: "",
    file_name: "leads.csv",
    tag: "campaign",
  });
  const status = useStepStatus(kind, stepId, 2000);
  useInitialAnswers(value, v, onChange);
  const imp = status.data?.detail.import as
    | { status: string; processed_rows: number; total_rows: number; created: number; updated: number; failed: number }
    | null
    | undefined;
  const leads = status.data?.detail.leads as { count: number; capped: boolean } | null | undefined;
  const set = (p: Record<string, unknown>) => onChange({ ...v, ...p });
  const [tagText, setTagText] = useState(list(v.tags));
  return (
    <div className="space-y-4">
      <div role="radiogroup" aria-label="How to choose leads" className="flex flex-wrap gap-2">
        {[
          ["filter", "Choose existing leads"],
          ["csv", "Import a CSV"],
        ].map(([id, label]) => (
          <Button
            key={id}
            type="button"
            role="radio"
            aria-checked={v.mode === id}
            variant={v.mode === id ? "primary" : "secondary"}
            size="sm"
            onClick={() => set({ mode: id })}
          >
            {label}
          </Button>
        ))}
      </div>
      {v.mode === "filter" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Tags" hint="Leads with any of these tags (empty: all leads)" error={errors.tags ?? errors["tags.0"]}>
            <Input
              value={tagText}
              placeholder="spring, webinar"
              onChange={(e) => {
                setTagText(e.target.value);
                set({ tags: parseList(e.target.value.toLowerCase()) });
              }}
            />
          </Field>
          <Field label="Minimum score" hint="0–100, optional" error={errors.min_score}>
            <Input
              inputMode="numeric"
              value={v.min_score ?? ""}
              onChange={(e) => set({ min_score: e.target.value === "" ? undefined : Number(e.target.value) })}
            />
          </Field>
        </div>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="CSV file" hint="Up to 512 KB; columns such as Email, First name, Company are recognised" error={errors.csv}>
            <Input
              type="file"
              accept=".csv,text/csv"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                if (f) set({ csv: await f.text(), file_name: f.name });
              }}
            />
          </Field>
          <Field label="Campaign tag" hint="Added to every imported lead; the sequence enrols this tag" error={errors.tag}>
            <Input value={String(v.tag)} onChange={(e) => set({ tag: e.target.value.toLowerCase() })} />
          </Field>
          {v.csv ? (
            <p className="text-sm text-muted sm:col-span-2">
              {String(v.file_name)}: {String(v.csv).trim().split("\n").length - 1} rows
            </p>
          ) : null}
        </div>
      )}
      {imp && (
        <p className="text-sm" aria-live="polite">
          Import {imp.status}: {imp.processed_rows} of {imp.total_rows} rows — {imp.created} new, {imp.updated} updated, {imp.failed}{" "}
          failed.
        </p>
      )}
      {leads && (
        <p className="text-sm" aria-live="polite">
          <Badge tone="accent">{leads.capped ? `${leads.count}+` : leads.count}</Badge> leads match (saved answers).
        </p>
      )}
    </div>
  );
}

export function CampaignUtmStep({ state, value, onChange, errors }: SetupStepProps) {
  const name = String((state.sequence as { name?: string } | undefined)?.name ?? "campaign");
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "campaign";
  const v = answers(value, { source: "outreach", medium: "email", campaign: slug });
  useInitialAnswers(value, v, onChange);
  const set = (p: Record<string, unknown>) => onChange({ ...v, ...p });
  const sample = `https://example.com/pricing?utm_source=${encodeURIComponent(String(v.source))}&utm_medium=${encodeURIComponent(String(v.medium))}&utm_campaign=${encodeURIComponent(String(v.campaign))}`;
  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-3">
        {(["source", "medium", "campaign"] as const).map((k) => (
          <Field key={k} label={`utm_${k}`} error={errors[k]}>
            <Input value={String(v[k])} onChange={(e) => set({ [k]: e.target.value })} />
          </Field>
        ))}
      </div>
      <p className="break-all rounded-lg bg-subtle p-3 font-mono text-xs">
        <span className="sr-only">Example link: </span>
        {sample}
      </p>
    </div>
  );
}

export function CampaignReviewStep({ kind, stepId }: SetupStepProps) {
  const status = useStepStatus(kind, stepId, 2000);
  const d = status.data?.detail as
    | {
        leads: number;
        more_than_limit: boolean;
        steps: number;
        emails: number;
        first_email: { subject: string; body: string } | null;
        icp_saved_on_finish: boolean;
        import: { status: string; processed_rows: number; total_rows: number } | null;
        first_draft: { to: string | null; subject: string; body: string } | null;
      }
    | undefined;
  if (!d) return <p className="text-sm text-muted">Counting leads…</p>;
  return (
    <div className="space-y-4">
      {d.import && d.import.status !== "done" && d.import.status !== "failed" && (
        <p className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm" aria-live="polite">
          Importing leads: {d.import.processed_rows} of {d.import.total_rows} rows. Finish becomes possible when the import is done.
        </p>
      )}
      <ul className="grid gap-3 text-sm sm:grid-cols-3">
        <li className="rounded-lg border border-line p-3">
          <span className="block text-2xl font-semibold">{d.leads}</span> leads to enrol{d.more_than_limit ? " (the first 1,000)" : ""}
        </li>
        <li className="rounded-lg border border-line p-3">
          <span className="block text-2xl font-semibold">{d.steps}</span> steps, {d.emails} emails
        </li>
        <li className="rounded-lg border border-line p-3">
          <span className="block text-2xl font-semibold">Draft</span> nothing is sent until you activate it
        </li>
      </ul>
      {(d.first_draft ?? d.first_email) && (
        <figure className="rounded-lg border border-line">
          <figcaption className="border-b border-line px-3 py-2 text-sm">
            <span className="font-medium">First email: {(d.first_draft ?? d.first_email)?.subject}</span>
            {d.first_draft?.to && (
              <span className="block text-xs text-muted">
                As {d.first_draft.to} would get it (from the template; the writer adds a personal line when drafting)
              </span>
            )}
          </figcaption>
          <pre className="whitespace-pre-wrap break-words p-3 font-sans text-sm">{(d.first_draft ?? d.first_email)?.body}</pre>
        </figure>
      )}
    </div>
  );
}

export const CAMPAIGN_STEPS = {
  icp: CampaignIcpStep,
  leads: CampaignLeadsStep,
  sequence: CampaignSequenceStep,
  utm: CampaignUtmStep,
  review: CampaignReviewStep,
};
