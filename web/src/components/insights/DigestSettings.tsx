import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage, type Body } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input, Select } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
type Draft = Required<Body<"PATCH /api/v1/insights/settings">>;

/** The insight digest: the workspace's schedule (admins), the member's own opt-in, and a preview to oneself. */
export function DigestSettings() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "insights", "settings");
  const settings = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/insights/settings") });
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (settings.data)
      setDraft({
        digest_enabled: settings.data.digest_enabled,
        frequency: settings.data.frequency,
        weekday: settings.data.weekday,
        hour: settings.data.hour,
        timezone: settings.data.timezone,
        alerts_enabled: settings.data.alerts_enabled,
      });
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (body: Draft) => api("PATCH /api/v1/insights/settings", { body }),
    onSuccess: (s) => {
      qc.setQueryData(key, s);
      toast.success("Digest settings saved");
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const subscribe = useMutation({
    mutationFn: (subscribed: boolean) => api("PUT /api/v1/insights/digest/subscription", { body: { subscribed } }),
    onSuccess: (s) => qc.setQueryData(key, s),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const preview = useMutation({
    mutationFn: () => api("POST /api/v1/insights/digest/preview"),
    onSuccess: (r) => toast.success(`Preview sent to ${r.sent_to}`),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const canManage = ws.can("insights:manage");
  const tzError = save.error instanceof ApiError ? save.error.field("timezone") : undefined;
  if (!settings.data || !draft) return <Card title="Insight digest">{<Skeleton className="h-40" />}</Card>;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft({ ...draft, [k]: v });
  return (
    <Card
      title="Insight digest"
      description={
        settings.data.next_digest_at
          ? `Next one: ${new Date(settings.data.next_digest_at).toLocaleString()}`
          : "The digest is off for this workspace"
      }
    >
      <div className="space-y-4">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={settings.data.me_subscribed}
            disabled={subscribe.isPending}
            onChange={(e) => subscribe.mutate(e.target.checked)}
          />
          Send the digest to me ({settings.data.me_subscribed ? "you get it" : "you don't get it"})
        </label>
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(draft);
          }}
        >
          <fieldset disabled={!canManage} className="grid gap-4 sm:grid-cols-2">
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input type="checkbox" checked={draft.digest_enabled} onChange={(e) => set("digest_enabled", e.target.checked)} />
              Digest on for this workspace
            </label>
            <Field label="How often">
              <Select value={draft.frequency} onChange={(e) => set("frequency", e.target.value as Draft["frequency"])}>
                <option value="weekly">Weekly</option>
                <option value="daily">Daily</option>
              </Select>
            </Field>
            {draft.frequency === "weekly" && (
              <Field label="Day">
                <Select value={draft.weekday} onChange={(e) => set("weekday", Number(e.target.value))}>
                  {WEEKDAYS.map((d, i) => (
                    <option key={d} value={i}>
                      {d}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            <Field label="Hour">
              <Select value={draft.hour} onChange={(e) => set("hour", Number(e.target.value))}>
                {HOURS.map((h) => (
                  <option key={h} value={h}>
                    {String(h).padStart(2, "0")}:00
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Time zone" error={tzError} hint="An IANA name, e.g. Europe/Berlin">
              <Input value={draft.timezone} onChange={(e) => set("timezone", e.target.value)} />
            </Field>
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input type="checkbox" checked={draft.alerts_enabled} onChange={(e) => set("alerts_enabled", e.target.checked)} />
              Anomaly alerts (in-app and email to owners and admins)
            </label>
          </fieldset>
          <div className="flex flex-wrap gap-2">
            {canManage && (
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            )}
            <Button variant="secondary" loading={preview.isPending} onClick={() => preview.mutate()}>
              Send a preview to me
            </Button>
          </div>
        </form>
      </div>
    </Card>
  );
}
