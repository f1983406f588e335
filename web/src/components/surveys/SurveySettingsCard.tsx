import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { q } from "../../lib/queries";
import { tkey, useWorkspace } from "../../lib/workspace";
import { CopyButton } from "../settings/CopyButton";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { SurveySettings } from "./client";

/** NPS display rules (applied by the server on every eligibility check, so no site redeploy). */
export function SurveySettingsCard({ settings }: { settings: SurveySettings }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [form, setForm] = useState(settings);
  useEffect(() => setForm(settings), [settings]);
  const save = useMutation({
    mutationFn: () =>
      api("PATCH /api/v1/surveys/settings", {
        body: {
          nps_enabled: form.nps_enabled,
          nps_question: form.nps_question,
          min_days_since_signup: Number(form.min_days_since_signup),
          ask_every_days: Number(form.ask_every_days),
          sampling_percent: Number(form.sampling_percent),
          feedback_enabled: form.feedback_enabled,
          notify_email: form.notify_email?.trim() || null,
        },
      }),
    onSuccess: (s) => {
      toast.success("Survey settings saved");
      qc.setQueryData(tkey(ws.id, "surveys", "settings"), s);
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const err = (f: string) => (save.error instanceof ApiError ? save.error.field(f) : undefined);
  const readOnly = !ws.can("surveys:manage");
  const num = (k: "min_days_since_signup" | "ask_every_days" | "sampling_percent") => ({
    type: "number",
    value: form[k],
    disabled: readOnly,
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value as unknown as number }),
  });
  return (
    <Card title="Display rules" description="Your site asks Weft before showing the prompt, so changes apply at once.">
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="flex flex-wrap gap-6">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              checked={form.nps_enabled}
              disabled={readOnly}
              onChange={(e) => setForm({ ...form, nps_enabled: e.target.checked })}
            />
            Ask NPS
          </label>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              checked={form.feedback_enabled}
              disabled={readOnly}
              onChange={(e) => setForm({ ...form, feedback_enabled: e.target.checked })}
            />
            Show the Feedback button
          </label>
        </div>
        <Field label="Question" error={err("nps_question")}>
          <Input
            value={form.nps_question}
            disabled={readOnly}
            maxLength={300}
            onChange={(e) => setForm({ ...form, nps_question: e.target.value })}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Days since sign-up" hint="Not before a user has had time to form an opinion" error={err("min_days_since_signup")}>
            <Input min={0} max={3650} {...num("min_days_since_signup")} />
          </Field>
          <Field label="Ask again every (days)" hint="Answering or dismissing counts as asked" error={err("ask_every_days")}>
            <Input min={1} max={3650} {...num("ask_every_days")} />
          </Field>
          <Field label="Sampling %" hint="Stable per user and period" error={err("sampling_percent")}>
            <Input min={0} max={100} {...num("sampling_percent")} />
          </Field>
        </div>
        <Field label="Detractor alerts to" hint="Empty: the workspace's owners and admins" error={err("notify_email")}>
          <Input
            type="email"
            value={form.notify_email ?? ""}
            disabled={readOnly}
            placeholder="team@example.com"
            onChange={(e) => setForm({ ...form, notify_email: e.target.value })}
          />
        </Field>
        {!readOnly && (
          <div className="flex justify-end">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save rules"}
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}

/** The script tag for the tenant's site, with a publishable key when one exists. */
export function SurveysInstallCard() {
  const ws = useWorkspace();
  const keys = useQuery({ ...q.publishableKeys(ws.id, { limit: 100 }), enabled: ws.can("publishable_keys:read") });
  const active = (keys.data?.data ?? []).filter((k) => !k.revoked_at);
  const [picked, setPicked] = useState("");
  const key = active.find((k) => k.id === picked) ?? active[0];
  const snippet = `<script src="${location.origin}/surveys.js" data-key="${key?.key ?? "pk_live_…"}" defer></script>
<script>
  // After sign-in: ties answers to your user, their plan and sign-up cohort.
  addEventListener("load", () => weftSurveys.identify(user.id, { plan: user.plan, signed_up_at: user.createdAt }));
</script>`;
  return (
    <Card title="Install" description="Adds the Feedback button and, for eligible users, the NPS prompt (about 3.5 KB gzip).">
      <div className="space-y-3">
        {ws.can("publishable_keys:read") && active.length === 0 && (
          <p className="text-sm">
            Create a{" "}
            <Link to="/settings/publishable-keys" className="text-accent underline">
              publishable key
            </Link>{" "}
            that allows your site's origin, then paste its key below.
          </p>
        )}
        {active.length > 1 && (
          <Field label="Publishable key">
            <Select value={key?.id} onChange={(e) => setPicked(e.target.value)}>
              {active.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <pre className="whitespace-pre-wrap break-all rounded-lg bg-subtle p-3 text-xs">
          <code>{snippet}</code>
        </pre>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-xs text-muted">
            SPAs: <code>weftSurveys.showNps()</code> asks at a moment you choose; add <code>data-nps="manual"</code> to stop the check on
            load.
          </p>
          <CopyButton value={snippet} label="Copy snippet" />
        </div>
      </div>
    </Card>
  );
}
