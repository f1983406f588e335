import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { ApiError, api, errorMessage } from "../../../lib/api";
import { formatDateTime, formatRelative } from "../../../lib/format";
import { useWorkspace } from "../../../lib/workspace";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Field, Input } from "../../ui/Field";
import { Skeleton } from "../../ui/Skeleton";
import { toast } from "../../ui/Toast";
import { gq, type RecoverySeries, type UpgradePrompts } from "./client";

/**
 * Acting on the growth numbers: the churn-recovery email series (people at risk) and upgrade-prompt
 * emails (customers near a plan limit). Both send messaging templates the workspace can edit.
 */
export function GrowthActionsCard() {
  const ws = useWorkspace();
  const recovery = useQuery(gq.recovery(ws.id));
  const prompts = useQuery(gq.upgradePrompts(ws.id));
  return (
    <Card
      title="Acting on it"
      description="Emails that go out by themselves, from templates you can edit in Messaging → Templates."
      actions={
        <Link to="/messaging/templates" className="self-center text-sm font-medium text-accent underline-offset-2 hover:underline">
          Edit the emails
        </Link>
      }
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <Loaded q={recovery}>{(d) => <RecoveryForm key={JSON.stringify(d.config)} data={d} />}</Loaded>
        <Loaded q={prompts}>{(d) => <UpgradePromptForm key={JSON.stringify(d.config)} data={d} />}</Loaded>
      </div>
    </Card>
  );
}

function Loaded<T>({ q, children }: { q: { data: T | undefined; isError: boolean; error: unknown }; children: (d: T) => ReactNode }) {
  if (q.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(q.error)}
      </p>
    );
  if (q.data === undefined) return <Skeleton className="h-48" />;
  return <>{children(q.data)}</>;
}

function Toggle({
  id,
  checked,
  onChange,
  label,
  help,
}: {
  id: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  help: string;
}) {
  return (
    <label className="flex cursor-pointer items-start gap-3 has-[:disabled]:cursor-default">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-help`}
        className="mt-0.5 size-4 accent-[var(--accent)]"
      />
      <span>
        <span className="block text-sm font-medium">{label}</span>
        <span id={`${id}-help`} className="block text-xs text-muted">
          {help}
        </span>
      </span>
    </label>
  );
}

function RecoveryForm({ data }: { data: RecoverySeries }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const readOnly = !ws.can("analytics:manage");
  const [enabled, setEnabled] = useState(data.config.enabled);
  const [score, setScore] = useState(String(data.config.min_score));
  const n = Number(score);
  const scoreError = Number.isInteger(n) && n >= 1 && n <= 100 ? undefined : "A whole number from 1 to 100.";
  const save = useMutation({
    mutationFn: () => api("PUT /api/v1/analytics/growth/recovery", { body: { enabled, min_score: n } }),
    onSuccess: () => {
      toast.success(enabled ? "Churn-recovery emails are on." : "Churn-recovery emails are off.");
      void qc.invalidateQueries({ queryKey: gq.recovery(ws.id).queryKey });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const active = data.data.filter((p) => p.recovered_at === null);
  return (
    <section aria-labelledby="recovery-title" className="space-y-4">
      <h3 id="recovery-title" className="text-sm font-semibold">
        Churn-recovery emails
      </h3>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!scoreError) save.mutate();
        }}
      >
        <fieldset className="space-y-4" disabled={readOnly}>
          <legend className="sr-only">Churn-recovery settings</legend>
          <Toggle
            id="recovery-enabled"
            checked={enabled}
            onChange={setEnabled}
            label="Email people at risk"
            help={`Three emails (${data.templates.map((t) => `day ${t.after_days}`).join(", ")}) to identified people whose churn-risk score reaches the threshold; they stop when the person comes back.`}
          />
          <Field
            label="From a risk score of"
            hint="1–100; 60 catches people whose activity fell by most of it."
            error={scoreError}
            className="max-w-xs"
          >
            <Input type="number" min={1} max={100} step={1} value={score} onChange={(e) => setScore(e.target.value)} />
          </Field>
        </fieldset>
        {!readOnly && (
          <Button type="submit" size="sm" disabled={save.isPending || !!scoreError}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        )}
      </form>
      <div>
        <p className="text-xs text-muted">
          {data.data.length
            ? `${active.length} in the series now, ${data.data.length - active.length} came back.`
            : "Nobody has been emailed yet."}
        </p>
        {data.data.length > 0 && (
          <ul className="mt-2 divide-y divide-line rounded-lg border border-line text-sm">
            {data.data.slice(0, 5).map((p) => (
              <li key={p.person_id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                <span className="min-w-0 truncate">{p.email}</span>
                <span className="flex items-center gap-2 text-xs text-muted">
                  {p.recovered_at ? <Badge tone="success">came back</Badge> : <Badge tone="warning">email {p.step} of 3</Badge>}
                  <time dateTime={p.last_sent_at} title={formatDateTime(p.last_sent_at)}>
                    {formatRelative(p.last_sent_at)}
                  </time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function UpgradePromptForm({ data }: { data: UpgradePrompts }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const readOnly = !ws.can("analytics:manage");
  const [enabled, setEnabled] = useState(data.config?.enabled ?? false);
  const [pct, setPct] = useState(String(data.config?.min_percent ?? 80));
  const [url, setUrl] = useState(data.config?.upgrade_url ?? "");
  const n = Number(pct);
  const pctError = Number.isInteger(n) && n >= 50 && n <= 100 ? undefined : "A whole number from 50 to 100.";
  const urlError = url && !/^https?:\/\/\S+$/.test(url) ? "A full http(s) address, e.g. https://example.com/pricing." : undefined;
  const save = useMutation({
    mutationFn: () => api("PUT /api/v1/analytics/growth/upgrade-prompts", { body: { enabled, min_percent: n, upgrade_url: url } }),
    onSuccess: () => {
      toast.success(enabled ? "Upgrade prompts are on." : "Upgrade prompts are off.");
      void qc.invalidateQueries({ queryKey: gq.upgradePrompts(ws.id).queryKey });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const serverUrlError = save.error instanceof ApiError ? save.error.field("upgrade_url") : undefined;
  return (
    <section aria-labelledby="prompts-title" className="space-y-4">
      <h3 id="prompts-title" className="text-sm font-semibold">
        Upgrade prompts
      </h3>
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pctError && !urlError && url) save.mutate();
        }}
      >
        <fieldset className="space-y-4" disabled={readOnly}>
          <legend className="sr-only">Upgrade-prompt settings</legend>
          <Toggle
            id="prompts-enabled"
            checked={enabled}
            onChange={setEnabled}
            label="Email customers near a limit"
            help="When your server sends limit_approached for an identified person (props meter, used, limit, percent), they get one email per limit, month and threshold (80 % and 100 %)."
          />
          <Field label="From (percent of the limit)" hint="50–100." error={pctError} className="max-w-xs">
            <Input type="number" min={50} max={100} step={1} value={pct} onChange={(e) => setPct(e.target.value)} />
          </Field>
          <Field label="Upgrade link" hint="Your pricing or billing page: the email's button." error={urlError ?? serverUrlError}>
            <Input type="url" required placeholder="https://example.com/pricing" value={url} onChange={(e) => setUrl(e.target.value)} />
          </Field>
        </fieldset>
        {!readOnly && (
          <Button type="submit" size="sm" disabled={save.isPending || !!pctError || !!urlError || !url}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        )}
      </form>
    </section>
  );
}
