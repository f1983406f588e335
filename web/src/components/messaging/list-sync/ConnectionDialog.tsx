import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError, errorMessage, type Body } from "../../../lib/api";
import { Button } from "../../ui/Button";
import { Dialog } from "../../ui/Dialog";
import { Field, Input, Select } from "../../ui/Field";
import { toast } from "../../ui/Toast";
import { PROVIDERS, type Connection, type Provider } from "./providers";

type CreateBody = Body<"POST /api/v1/email-lists/{id}/sync/connections">;

/** Add (provider chosen first) or edit a connection. The API key is write-only: editing leaves it as is unless a new one is typed. */
export function ConnectionDialog({
  listId,
  open,
  provider,
  editing,
  onClose,
  onSaved,
}: {
  listId: string;
  open: boolean;
  provider: Provider;
  editing: Connection | null;
  onClose: () => void;
  onSaved: (c: Connection) => void;
}) {
  const p = PROVIDERS[editing?.provider ?? provider];
  const [apiKey, setApiKey] = useState("");
  const [remoteId, setRemoteId] = useState(editing?.remote_list_id ?? "");
  const [target, setTarget] = useState<CreateBody["remote_target"]>(editing?.remote_target ?? (p.id === "kit" ? "form" : "list"));
  const [first, setFirst] = useState(editing ? (editing.field_map.first_name ?? "") : (p.fieldMap.first_name ?? ""));
  const [last, setLast] = useState(editing ? (editing.field_map.last_name ?? "") : (p.fieldMap.last_name ?? ""));
  const [direction, setDirection] = useState<CreateBody["direction"]>(editing?.direction ?? "push");
  const [schedule, setSchedule] = useState<CreateBody["schedule"]>(editing?.schedule ?? "daily");
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: () => {
      const common = {
        remote_list_id: remoteId.trim(),
        remote_target: target,
        field_map: { first_name: first.trim() || null, last_name: last.trim() || null },
        direction,
        schedule,
      };
      return editing
        ? api("PATCH /api/v1/email-lists/{id}/sync/connections/{connectionId}", {
            params: { id: listId, connectionId: editing.id },
            body: { ...common, enabled, ...(apiKey.trim() ? { api_key: apiKey.trim() } : {}) },
          })
        : api("POST /api/v1/email-lists/{id}/sync/connections", {
            params: { id: listId },
            body: { ...common, provider: p.id, api_key: apiKey.trim() },
          });
    },
    onSuccess: (c) => {
      setErrors({});
      setApiKey("");
      onSaved(c);
    },
    onError: (e) => {
      const fields = e instanceof ApiError ? (e.problem.errors ?? []) : [];
      setErrors(Object.fromEntries(fields.map((f) => [f.path, f.message])));
      toast.error(errorMessage(e));
    },
  });

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={editing ? `Edit ${p.name} connection` : `Connect ${p.name}`}
      description={p.blurb}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={save.isPending} disabled={(!editing && !apiKey.trim()) || !remoteId.trim()} onClick={() => save.mutate()}>
            {editing ? "Save" : "Connect"}
          </Button>
        </>
      }
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field
          label="API key"
          hint={editing ? `Stored encrypted (${editing.credentials_hint}). Leave empty to keep it.` : p.keyHint}
          error={errors.api_key}
        >
          <Input
            type="password"
            autoComplete="off"
            spellCheck={false}
            required={!editing}
            value={apiKey}
            onChange={(e) => {
              setApiKey(e.target.value);
              setErrors((prev) => ({ ...prev, api_key: "" }));
            }}
            placeholder={p.keyPlaceholder}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          {p.id === "kit" && (
            <Field label="Add subscribers to" error={errors.remote_target}>
              <Select value={target} onChange={(e) => setTarget(e.target.value as CreateBody["remote_target"])}>
                <option value="form">A form</option>
                <option value="tag">A tag</option>
              </Select>
            </Field>
          )}
          <Field
            label={p.id === "kit" ? (target === "tag" ? "Tag id" : "Form id") : p.remoteLabel}
            hint={p.remoteHint}
            error={errors.remote_list_id}
            className={p.id === "kit" ? undefined : "sm:col-span-2"}
          >
            <Input
              required
              value={remoteId}
              onChange={(e) => {
                setRemoteId(e.target.value);
                setErrors((prev) => ({ ...prev, remote_list_id: "" }));
              }}
              placeholder={p.remotePlaceholder}
            />
          </Field>
        </div>
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-medium">Field mapping</legend>
          <Field label="Name → first-name field" hint="Empty: not sent" error={errors["field_map.first_name"]}>
            <Input value={first} onChange={(e) => setFirst(e.target.value)} placeholder={p.fieldMap.first_name ?? ""} />
          </Field>
          <Field label="Last-name field" hint="Empty: the whole name goes to the first-name field" error={errors["field_map.last_name"]}>
            <Input value={last} onChange={(e) => setLast(e.target.value)} placeholder={p.fieldMap.last_name ?? "last_name"} />
          </Field>
        </fieldset>
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Direction</legend>
          <label className="flex items-start gap-2 py-1 text-sm">
            <input type="radio" name="direction" className="mt-1" checked={direction === "push"} onChange={() => setDirection("push")} />
            <span>
              <span className="font-medium">Push</span>{" "}
              <span className="text-muted">— Weft is the source of truth; {p.name} receives changes.</span>
            </span>
          </label>
          <label className="flex items-start gap-2 py-1 text-sm">
            <input
              type="radio"
              name="direction"
              className="mt-1"
              checked={direction === "two_way"}
              onChange={() => setDirection("two_way")}
            />
            <span>
              <span className="font-medium">Two-way unsubscribes</span>{" "}
              <span className="text-muted">— also read unsubscribes back from {p.name} on each sync. An unsubscribe anywhere wins.</span>
            </span>
          </label>
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Full sync schedule" hint="Changes are also sent as they happen.">
            <Select value={schedule} onChange={(e) => setSchedule(e.target.value as CreateBody["schedule"])}>
              <option value="hourly">Every hour</option>
              <option value="daily">Every day</option>
              <option value="off">Only when I click Sync now</option>
            </Select>
          </Field>
          {editing && (
            <label className="flex items-center gap-2 self-end pb-2 text-sm">
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
              Enabled (unchecked: paused, nothing is sent)
            </label>
          )}
        </div>
      </form>
    </Dialog>
  );
}
