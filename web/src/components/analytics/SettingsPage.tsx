import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { aq, type AnalyticsSettings } from "./client";
import { InstallCard } from "./InstallCard";

type Toggle = "autocapture_links" | "autocapture_forms" | "respect_dnt" | "require_consent";
const TOGGLES: { key: Toggle; label: string; help: string }[] = [
  {
    key: "autocapture_links",
    label: "Capture outbound link clicks",
    help: "Records $outbound_click when a visitor follows a link to another site.",
  },
  { key: "autocapture_forms", label: "Capture form submits", help: "Records $form_submit with the form's id (never the values typed in)." },
  {
    key: "respect_dnt",
    label: "Respect Do-Not-Track",
    help: "Drops events from browsers that send Do-Not-Track or Global Privacy Control.",
  },
  {
    key: "require_consent",
    label: "Require consent",
    help: "Nothing is stored in the browser until your site calls weft.consent(true); until then visitors get a new id per page.",
  },
];

export function SettingsPage() {
  const ws = useWorkspace();
  const s = useQuery(aq.settings(ws.id));
  if (s.isPending) return <PageSkeleton />;
  if (s.isError)
    return (
      <p role="alert" className="text-danger">
        {errorMessage(s.error)}
      </p>
    );
  return (
    <div className="space-y-6">
      <SettingsForm key={s.data.updated_at ?? "default"} settings={s.data} />
      <InstallCard />
    </div>
  );
}

function SettingsForm({ settings }: { settings: AnalyticsSettings }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const readOnly = !ws.can("analytics:manage");
  const [form, setForm] = useState(settings);
  const [custom, setCustom] = useState(settings.retention_days !== null);
  const [days, setDays] = useState(String(settings.retention_days ?? 365));
  const n = Number(days);
  const daysError = custom && !(Number.isInteger(n) && n >= 7 && n <= 1825) ? "A whole number of days from 7 to 1,825." : undefined;
  const save = useMutation({
    mutationFn: () =>
      api("PATCH /api/v1/analytics/settings", {
        body: {
          autocapture_links: form.autocapture_links,
          autocapture_forms: form.autocapture_forms,
          respect_dnt: form.respect_dnt,
          require_consent: form.require_consent,
          retention_days: custom ? n : null,
        },
      }),
    onSuccess: (next) => {
      toast.success("Analytics settings saved.");
      qc.setQueryData(aq.settings(ws.id).queryKey, next);
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const serverDaysError = save.error instanceof ApiError ? save.error.field("retention_days") : undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!daysError) save.mutate();
      }}
      className="space-y-6"
    >
      {readOnly && (
        <p className="rounded-lg border border-line bg-subtle p-3 text-sm text-muted">
          You can see these settings; an owner or admin can change them.
        </p>
      )}
      <Card title="Tracker" description="Read by the tracker on every batch it sends, so changes apply without touching your site.">
        <fieldset className="space-y-4" disabled={readOnly}>
          <legend className="sr-only">Tracker settings</legend>
          {TOGGLES.map((t) => (
            <label key={t.key} className="flex cursor-pointer items-start gap-3 has-[:disabled]:cursor-default">
              <input
                type="checkbox"
                checked={form[t.key]}
                onChange={(e) => setForm({ ...form, [t.key]: e.target.checked })}
                aria-describedby={`${t.key}-help`}
                className="mt-0.5 size-4 accent-[var(--accent)]"
              />
              <span>
                <span className="block text-sm font-medium">{t.label}</span>
                <span id={`${t.key}-help`} className="block text-xs text-muted">
                  {t.help}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      </Card>
      <Card title="Raw-event retention" description="Raw events older than this are deleted; daily rollups (the Overview chart) are kept.">
        <fieldset className="space-y-3" disabled={readOnly}>
          <legend className="sr-only">Raw-event retention</legend>
          <label className="flex items-center gap-3 text-sm">
            <input
              type="radio"
              name="retention"
              checked={!custom}
              onChange={() => setCustom(false)}
              className="size-4 accent-[var(--accent)]"
            />
            The plan's default
          </label>
          <label className="flex items-center gap-3 text-sm">
            <input
              type="radio"
              name="retention"
              checked={custom}
              onChange={() => setCustom(true)}
              className="size-4 accent-[var(--accent)]"
            />
            A set number of days
          </label>
          {custom && (
            <Field
              label="Keep raw events for (days)"
              hint="7 to 1,825 days (5 years)."
              error={daysError ?? serverDaysError}
              className="max-w-xs pl-7"
            >
              <Input type="number" min={7} max={1825} step={1} value={days} onChange={(e) => setDays(e.target.value)} />
            </Field>
          )}
        </fieldset>
      </Card>
      {!readOnly && (
        <div className="flex flex-wrap items-center justify-end gap-3">
          {settings.updated_at && <span className="text-xs text-muted">Last changed {formatDateTime(settings.updated_at)}</span>}
          <Button type="submit" loading={save.isPending} disabled={!!daysError}>
            Save settings
          </Button>
        </div>
      )}
    </form>
  );
}
