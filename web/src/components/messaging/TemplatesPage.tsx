import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { cx } from "../ui/cx";

type Channel = "email" | "sms" | "push" | "in_app";
const CHANNELS: Channel[] = ["email", "sms", "push", "in_app"];
const area =
  "block w-full rounded-lg border border-line bg-surface px-3 py-2 font-mono text-sm text-fg shadow-sm focus-visible:outline-2 focus-visible:outline-accent";

function Editor({ tkeyName, channel }: { tkeyName: string; channel: Channel }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const t = useQuery({
    queryKey: tkey(ws.id, "templates", tkeyName),
    queryFn: () => api("GET /api/v1/message-templates/{key}", { params: { key: tkeyName } }),
    retry: false,
  });
  const live = t.data?.channels.find((c) => c.channel === channel);
  const [draft, setDraft] = useState({ subject: "", body: "", html: "" });
  const [sample, setSample] = useState("{}");
  const [confirm, setConfirm] = useState(false);
  useEffect(() => {
    setDraft({ subject: live?.subject ?? "", body: live?.body ?? "", html: live?.html ?? "" });
    setSample(
      JSON.stringify(
        Object.fromEntries((live?.variables ?? []).map((v) => [v, v === "link" ? "https://example.com" : `Sample ${v}`])),
        null,
        2,
      ),
    );
  }, [live?.version, live?.source, tkeyName, channel]);
  let sampleData: Record<string, unknown> | null = null;
  try {
    sampleData = JSON.parse(sample);
  } catch {
    sampleData = null;
  }
  const preview = useQuery({
    queryKey: tkey(ws.id, "templates", "preview", channel, draft, sample),
    queryFn: () =>
      api("POST /api/v1/message-templates/preview", {
        body: {
          channel,
          draft: { subject: draft.subject, body: draft.body, html: channel === "email" ? draft.html || null : null },
          data: sampleData ?? {},
        },
      }),
    enabled: sampleData !== null,
    retry: false,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "templates") });
  const save = useMutation({
    mutationFn: () =>
      api("PUT /api/v1/message-templates/{key}/{channel}", {
        params: { key: tkeyName, channel },
        body: { subject: draft.subject, body: draft.body, html: channel === "email" ? draft.html || null : null },
      }),
    onSuccess: (r) => (toast.success(`Saved version ${r.version}`), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const revert = useMutation({
    mutationFn: () => api("DELETE /api/v1/message-templates/{key}/{channel}", { params: { key: tkeyName, channel } }),
    onSuccess: () => (toast.success("Reverted"), setConfirm(false), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const editable = ws.can("templates:manage");
  const versions = t.data?.versions.filter((v) => v.channel === channel) ?? [];
  return (
    <div className="grid gap-6 2xl:grid-cols-2">
      <Card
        title={
          <span className="flex items-center gap-2">
            Edit <code>{tkeyName}</code> · {channel.replace("_", "-")}{" "}
            {live && (
              <Badge tone={live.source === "system" ? "neutral" : "accent"}>
                {live.source === "system" ? "system default" : `version ${live.version}`}
              </Badge>
            )}
          </span>
        }
      >
        <form className="space-y-3" onSubmit={(e) => (e.preventDefault(), save.mutate())}>
          <Field label={channel === "email" ? "Subject" : channel === "sms" ? "Subject (not sent by SMS)" : "Title"}>
            <Input value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} disabled={!editable} />
          </Field>
          <Field
            label={channel === "email" ? "Text part" : "Body"}
            hint="Variables: {{name}}, {{object.field}}; values are escaped in HTML. {{{name}}} inserts raw HTML."
          >
            <textarea
              rows={6}
              className={area}
              value={draft.body}
              onChange={(e) => setDraft({ ...draft, body: e.target.value })}
              disabled={!editable}
            />
          </Field>
          {channel === "email" && (
            <Field
              label="HTML part"
              hint="Optional; without it the text part is sent alone. Without a text part, one is derived from the HTML."
            >
              <textarea
                rows={8}
                className={area}
                value={draft.html}
                onChange={(e) => setDraft({ ...draft, html: e.target.value })}
                disabled={!editable}
              />
            </Field>
          )}
          {editable && (
            <div className="flex flex-wrap gap-2">
              <Button type="submit" loading={save.isPending}>
                Save new version
              </Button>
              {live?.source === "workspace" && (
                <Button variant="secondary" onClick={() => setConfirm(true)}>
                  {t.data?.system ? "Revert to system default" : "Delete this channel"}
                </Button>
              )}
            </div>
          )}
        </form>
        {versions.length > 0 && (
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer font-medium">Versions ({versions.length})</summary>
            <ul className="mt-2 space-y-1">
              {versions.map((v) => (
                <li key={v.version} className="flex items-center justify-between gap-2">
                  <span>
                    v{v.version} · {formatDateTime(v.created_at)}
                  </span>
                  {editable && (
                    <Button size="sm" variant="ghost" onClick={() => setDraft({ subject: v.subject, body: v.body, html: v.html ?? "" })}>
                      Load into editor
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          </details>
        )}
      </Card>
      <Card title="Preview" description="Rendered by the server with the sample data below.">
        <Field label="Sample data (JSON)" error={sampleData === null ? "Not valid JSON" : undefined}>
          <textarea rows={5} className={area} value={sample} onChange={(e) => setSample(e.target.value)} />
        </Field>
        <div className="mt-4 space-y-2" aria-live="polite">
          {preview.isError ? (
            <p role="alert" className="text-sm text-danger">
              {errorMessage(preview.error)}
            </p>
          ) : (
            preview.data && (
              <>
                {channel !== "sms" && (
                  <p className="text-sm">
                    <span className="text-muted">{channel === "email" ? "Subject:" : "Title:"}</span>{" "}
                    <strong>{preview.data.subject}</strong>
                  </p>
                )}
                {preview.data.html ? (
                  <iframe
                    title="HTML preview"
                    sandbox=""
                    srcDoc={preview.data.html}
                    className="h-64 w-full rounded-lg border border-line bg-white"
                  />
                ) : null}
                <pre className="max-h-48 overflow-auto whitespace-pre-wrap rounded-lg bg-subtle p-3 text-sm">{preview.data.text}</pre>
              </>
            )
          )}
        </div>
      </Card>
      <ConfirmDialog
        open={confirm}
        title="Revert this template?"
        confirmLabel="Revert"
        busy={revert.isPending}
        onConfirm={() => revert.mutate()}
        onClose={() => setConfirm(false)}
      >
        Every saved version of the {channel.replace("_", "-")} template <code>{tkeyName}</code> is deleted
        {t.data?.system ? "; the system default is used again." : "."}
      </ConfirmDialog>
    </div>
  );
}

export function TemplatesPage() {
  const ws = useWorkspace();
  const list = useQuery({ queryKey: tkey(ws.id, "templates"), queryFn: () => api("GET /api/v1/message-templates") });
  const [selected, setSelected] = useState<string | null>(null);
  const [channel, setChannel] = useState<Channel>("email");
  const [newKey, setNewKey] = useState("");
  const key = selected ?? list.data?.data[0]?.key ?? null;
  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <aside className="space-y-4">
        {ws.can("templates:manage") && (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(newKey)) setSelected(newKey), setNewKey("");
              else toast.error("Use lower-case words joined by dots, e.g. newsletter.weekly");
            }}
          >
            <Field label="New template key" hideLabel className="flex-1">
              <Input value={newKey} onChange={(e) => setNewKey(e.target.value)} placeholder="newsletter.weekly" />
            </Field>
            <Button type="submit" variant="secondary">
              New
            </Button>
          </form>
        )}
        <nav aria-label="Templates" className="rounded-xl border border-line bg-surface p-2">
          {list.isPending ? (
            <Skeleton className="h-40" />
          ) : list.isError ? (
            <p role="alert" className="p-2 text-sm text-danger">
              {errorMessage(list.error)}
            </p>
          ) : (
            <ul className="space-y-0.5">
              {[
                ...(selected && !list.data.data.some((t) => t.key === selected)
                  ? [{ key: selected, system: false, overridden: [], updated_at: null }]
                  : []),
                ...list.data.data,
              ].map((t) => (
                <li key={t.key}>
                  <button
                    type="button"
                    aria-current={t.key === key ? "true" : undefined}
                    onClick={() => setSelected(t.key)}
                    className={cx(
                      "w-full rounded-lg px-3 py-1.5 text-left text-sm",
                      t.key === key ? "bg-accent-soft text-accent" : "hover:bg-subtle",
                    )}
                  >
                    <code className="text-xs">{t.key}</code>
                    <span className="block text-[11px] text-muted">
                      {t.system ? "system" : "workspace"}
                      {t.overridden.length ? ` · customised: ${t.overridden.join(", ")}` : ""}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
      </aside>
      <div className="min-w-0 space-y-4">
        {key ? (
          <>
            <Field label="Channel" className="max-w-xs">
              <Select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {c.replace("_", "-")}
                  </option>
                ))}
              </Select>
            </Field>
            <Editor tkeyName={key} channel={channel} />
          </>
        ) : (
          <EmptyState title="No templates">Create one with a key like newsletter.weekly.</EmptyState>
        )}
      </div>
    </div>
  );
}
