import { useState } from "react";
import { CopyButton } from "../../../settings/CopyButton";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { Field, Input, Select } from "../../../ui/Field";
import { Spinner } from "../../../ui/Spinner";
import { answers, type SetupStepProps, useInitialAnswers, useStepStatus } from "../store/stepKit";

interface KeyInfo {
  id: string;
  name: string;
  allowed_origins: string[];
}

export function AnalyticsOriginsStep({ kind, stepId, value, onChange, errors }: SetupStepProps) {
  const status = useStepStatus(kind, stepId);
  const keys = (status.data?.detail.keys as KeyInfo[] | undefined) ?? [];
  const dashboard = String(status.data?.detail.dashboard_origin ?? location.origin);
  const v = answers(value, {
    origins: [] as string[],
    include_dashboard: true,
    key_id: null as string | null,
    key_name: "Website tracker",
  });
  const [text, setText] = useState((v.origins ?? []).join("\n"));
  useInitialAnswers(value, v, onChange);
  const set = (p: Record<string, unknown>) => onChange({ ...v, ...p });
  const originErrors = Object.entries(errors).filter(([k]) => k.startsWith("origins"));
  return (
    <div className="space-y-4">
      <Field
        label="Your site's origins"
        hint="One per line: scheme and host, e.g. https://www.example.com (a leading *. allows subdomains)"
        error={originErrors.map(([k, m]) => `${k.replace("origins.", "line ")}: ${m}`).join("; ") || undefined}
      >
        <textarea
          className="block min-h-24 w-full rounded-lg border border-line bg-surface px-3 py-2 font-mono text-sm"
          value={text}
          placeholder="https://www.example.com"
          onChange={(e) => {
            setText(e.target.value);
            set({
              origins: e.target.value
                .split("\n")
                .map((s) => s.trim())
                .filter(Boolean),
            });
          }}
        />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={Boolean(v.include_dashboard)} onChange={(e) => set({ include_dashboard: e.target.checked })} />
        Also allow this dashboard ({dashboard}) so “Send a test event” works
      </label>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Publishable key"
          hint="A new key, or one you already use on the site (the origins are added to it)"
          error={errors.key_id}
        >
          <Select value={v.key_id ?? ""} onChange={(e) => set({ key_id: e.target.value || null })}>
            <option value="">Create a new key</option>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} ({k.allowed_origins.join(", ") || "no origins"})
              </option>
            ))}
          </Select>
        </Field>
        {!v.key_id && (
          <Field label="Key name" error={errors.key_name}>
            <Input value={String(v.key_name)} onChange={(e) => set({ key_name: e.target.value })} />
          </Field>
        )}
      </div>
    </div>
  );
}

interface FirstEvent {
  name: string;
  host: string | null;
  path: string | null;
  received_at: string;
}

/** The snippet, and the wait for the first event (polled every 2 s) with a button that sends one from this browser. */
export function AnalyticsInstallStep({ kind, stepId }: SetupStepProps) {
  const status = useStepStatus(kind, stepId, 2000);
  const d = status.data?.detail as { key?: string; snippet?: string | null; first_event?: FirstEvent | null } | undefined;
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const sendTest = async () => {
    if (!d?.key) return;
    setSending(true);
    setSendError(null);
    try {
      const res = await fetch(`/public/v1/events?key=${encodeURIComponent(d.key)}`, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: JSON.stringify({
          events: [{ name: "wizard_test_event", distinct_id: `wizard-${Date.now().toString(36)}`, props: { $current_url: location.href } }],
        }),
      });
      if (!res.ok)
        setSendError(
          res.status === 403
            ? "Refused: this dashboard's origin is not allowed for the key (go back and tick it)."
            : `Refused (${res.status}).`,
        );
      else await status.refetch();
    } catch {
      setSendError("Could not reach the server.");
    } finally {
      setSending(false);
    }
  };
  if (!d?.snippet) return <p className="text-sm text-muted">Preparing the snippet…</p>;
  return (
    <div className="space-y-4">
      <div>
        <div className="mb-1.5 flex items-center justify-between gap-2">
          <span className="text-sm font-medium">Paste before &lt;/head&gt; on every page</span>
          <CopyButton value={d.snippet} />
        </div>
        <pre className="whitespace-pre-wrap break-all rounded-lg bg-subtle p-3 font-mono text-xs">{d.snippet}</pre>
      </div>
      <div className="rounded-lg border border-line p-4" aria-live="polite">
        {d.first_event ? (
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone="success">Verified</Badge>
            First event <strong>{d.first_event.name}</strong>
            {d.first_event.host ? ` from ${d.first_event.host}${d.first_event.path ?? ""}` : ""} at{" "}
            {new Date(d.first_event.received_at).toLocaleTimeString()}.
          </p>
        ) : (
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <Spinner className="size-4 text-accent" />
            <span>Waiting for the first event…</span>
            <Button type="button" size="sm" variant="secondary" loading={sending} onClick={sendTest}>
              Send a test event
            </Button>
          </div>
        )}
        {sendError && <p className="mt-2 text-sm text-danger">{sendError}</p>}
      </div>
    </div>
  );
}

export function AnalyticsOptionsStep({ kind, stepId, value, onChange }: SetupStepProps) {
  const status = useStepStatus(kind, stepId);
  const current = status.data?.detail.current as Record<string, boolean> | undefined;
  const v = answers(value, current ?? { autocapture_links: true, autocapture_forms: true, require_consent: false, respect_dnt: true });
  useInitialAnswers(value, current ?? null, onChange);
  const options: [string, string, string][] = [
    ["autocapture_links", "Outbound link clicks", "Record clicks on links that leave your site."],
    ["autocapture_forms", "Form submits", "Record that a form was sent (never what was typed)."],
    [
      "require_consent",
      "Wait for consent",
      'Record that you ask for consent; add data-consent="required" to the snippet so the tracker keeps no visitor id until your banner calls weft.consent(true).',
    ],
    ["respect_dnt", "Honour Do-Not-Track", "Drop events from browsers that send DNT or Global Privacy Control."],
  ];
  return (
    <fieldset className="space-y-3">
      <legend className="sr-only">What the tracker captures</legend>
      {options.map(([k, label, hint]) => (
        <label key={k} className="flex items-start gap-3 rounded-lg border border-line p-3 text-sm">
          <input type="checkbox" className="mt-0.5" checked={Boolean(v[k])} onChange={(e) => onChange({ ...v, [k]: e.target.checked })} />
          <span>
            <span className="block font-medium">{label}</span>
            <span className="text-muted">{hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export const ANALYTICS_STEPS = { origins: AnalyticsOriginsStep, install: AnalyticsInstallStep, options: AnalyticsOptionsStep };
