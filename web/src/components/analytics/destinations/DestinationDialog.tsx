import { useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ApiError, api, type Body, errorMessage } from "../../../lib/api";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { Button } from "../../ui/Button";
import { Dialog } from "../../ui/Dialog";
import { Field, Input, Select, Textarea } from "../../ui/Field";
import { toast } from "../../ui/Toast";
import { type Destination, PROVIDERS, type Provider } from "./common";

type CreateBody = Body<"POST /api/v1/analytics/destinations">;
type UpdateBody = Body<"PATCH /api/v1/analytics/destinations/{id}">;

interface Form {
  provider: Provider;
  name: string;
  eventsMode: "all" | "some";
  events: string;
  projectId: string;
  region: "us" | "eu" | "in";
  auth: "service_account" | "api_secret";
  username: string;
  secret: string;
  measurementId: string;
  endpointIds: string[];
}

function initial(d: Destination | null): Form {
  return {
    provider: d?.provider ?? "mixpanel",
    name: d?.name ?? "",
    eventsMode: d?.event_names ? "some" : "all",
    events: d?.event_names?.join("\n") ?? "",
    projectId: d?.settings.project_id ?? "",
    region: d?.settings.region ?? "us",
    auth: d?.settings.auth ?? "service_account",
    username: d?.settings.service_account_username ?? "",
    secret: "",
    measurementId: d?.settings.measurement_id ?? "",
    endpointIds: d?.settings.endpoint_ids ?? [],
  };
}

const eventList = (text: string) => [
  ...new Set(
    text
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

/** Add (editing = null) or edit a destination; each provider shows its own fields. Secrets are write-only. */
export function DestinationDialog({
  open,
  editing,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: Destination | null;
  onClose: () => void;
  onSaved: (d: Destination) => void;
}) {
  return open ? <DestinationForm key={editing?.id ?? "new"} editing={editing} onClose={onClose} onSaved={onSaved} /> : null;
}

function DestinationForm({
  editing,
  onClose,
  onSaved,
}: {
  editing: Destination | null;
  onClose: () => void;
  onSaved: (d: Destination) => void;
}) {
  const ws = useWorkspace();
  const [f, setF] = useState<Form>(() => initial(editing));
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((prev) => ({ ...prev, [k]: v }));
  const endpoints = useQuery({
    queryKey: tkey(ws.id, "webhooks", "for-analytics"),
    queryFn: () => api("GET /api/v1/webhook-endpoints", { query: { limit: 100 } }),
    enabled: f.provider === "webhook" && ws.can("webhooks:read"),
  });
  const save = useMutation({
    mutationFn: () => {
      const event_names = f.eventsMode === "all" ? null : eventList(f.events);
      if (editing) {
        const body: UpdateBody = { name: f.name, event_names };
        if (f.provider === "mixpanel") {
          Object.assign(body, {
            project_id: f.projectId,
            region: f.region,
            service_account_username: f.auth === "service_account" ? f.username : null,
          });
          if (f.secret) body.secret = f.secret;
        } else if (f.provider === "ga4") {
          body.measurement_id = f.measurementId;
          if (f.secret) body.api_secret = f.secret;
        } else body.endpoint_ids = f.endpointIds;
        return api("PATCH /api/v1/analytics/destinations/{id}", { params: { id: editing.id }, body });
      }
      const common = { name: f.name, event_names };
      const body: CreateBody =
        f.provider === "mixpanel"
          ? {
              provider: "mixpanel",
              ...common,
              project_id: f.projectId,
              region: f.region,
              service_account_username: f.auth === "service_account" ? f.username : null,
              secret: f.secret,
            }
          : f.provider === "ga4"
            ? { provider: "ga4", ...common, measurement_id: f.measurementId, api_secret: f.secret }
            : { provider: "webhook", ...common, endpoint_ids: f.endpointIds };
      return api("POST /api/v1/analytics/destinations", { body });
    },
    onSuccess: (d) => {
      toast.success(editing ? "Destination saved." : "Destination added. New events will be forwarded to it.");
      onSaved(d);
    },
    onError: (e) => {
      if (!(e instanceof ApiError) || !e.problem.errors?.length) toast.error(errorMessage(e));
    },
  });
  const err = (path: string) => (save.error instanceof ApiError ? save.error.field(path) : undefined);
  const secretLabel = f.provider === "ga4" ? "API secret" : f.auth === "service_account" ? "Service account secret" : "Project API secret";
  const secretHint = editing?.credential_hint
    ? `Stored (${editing.credential_hint}); it is never shown again. Leave blank to keep it.`
    : "Stored encrypted; Weft never shows it again.";

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={editing ? `Edit ${editing.name}` : "Add a destination"}
      description="New events are forwarded as they are ingested; events already stored are not sent."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="destination-form" loading={save.isPending}>
            {editing ? "Save" : "Add destination"}
          </Button>
        </>
      }
    >
      <form
        id="destination-form"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {!editing && (
          <fieldset>
            <legend className="text-sm font-medium">Send to</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-3">
              {(Object.keys(PROVIDERS) as Provider[]).map((p) => (
                <label
                  key={p}
                  className="flex cursor-pointer gap-2 rounded-lg border border-line p-3 text-sm has-[:checked]:border-accent has-[:checked]:bg-accent-soft"
                >
                  <input
                    type="radio"
                    name="provider"
                    className="mt-0.5 accent-[var(--accent)]"
                    checked={f.provider === p}
                    onChange={() => set("provider", p)}
                  />
                  <span>
                    <span className="block font-medium">{PROVIDERS[p].label}</span>
                    <span className="block text-xs text-muted">{PROVIDERS[p].blurb}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <Field label="Name" error={err("name")}>
          <Input
            required
            maxLength={100}
            value={f.name}
            onChange={(e) => set("name", e.target.value)}
            placeholder={`${PROVIDERS[f.provider].label} (production)`}
          />
        </Field>

        {f.provider === "mixpanel" && (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Project ID" hint="Project settings → Overview." error={err("project_id")}>
                <Input
                  required
                  inputMode="numeric"
                  value={f.projectId}
                  onChange={(e) => set("projectId", e.target.value.trim())}
                  placeholder="1234567"
                />
              </Field>
              <Field label="Data residency" error={err("region")}>
                <Select value={f.region} onChange={(e) => set("region", e.target.value as Form["region"])}>
                  <option value="us">US (api.mixpanel.com)</option>
                  <option value="eu">EU (api-eu.mixpanel.com)</option>
                  <option value="in">India (api-in.mixpanel.com)</option>
                </Select>
              </Field>
            </div>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Authentication</legend>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="auth"
                  className="accent-[var(--accent)]"
                  checked={f.auth === "service_account"}
                  onChange={() => set("auth", "service_account")}
                />
                Service account (recommended)
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="auth"
                  className="accent-[var(--accent)]"
                  checked={f.auth === "api_secret"}
                  onChange={() => set("auth", "api_secret")}
                />
                Project API secret (deprecated by Mixpanel)
              </label>
            </fieldset>
            {f.auth === "service_account" && (
              <Field label="Service account username" error={err("service_account_username")}>
                <Input
                  required
                  value={f.username}
                  onChange={(e) => set("username", e.target.value)}
                  placeholder="weft.1a2b3c.mp-service-account"
                  autoComplete="off"
                />
              </Field>
            )}
          </>
        )}

        {f.provider === "ga4" && (
          <Field label="Measurement ID" hint="Admin → Data streams → your web stream." error={err("measurement_id")}>
            <Input
              required
              value={f.measurementId}
              onChange={(e) => set("measurementId", e.target.value.trim().toUpperCase())}
              placeholder="G-XXXXXXXXXX"
            />
          </Field>
        )}

        {f.provider !== "webhook" && (
          <Field label={secretLabel} hint={secretHint} error={err(f.provider === "ga4" ? "api_secret" : "secret")}>
            <Input
              type="password"
              required={!editing}
              autoComplete="new-password"
              value={f.secret}
              onChange={(e) => set("secret", e.target.value)}
              placeholder={editing?.credential_hint ? `•••••••• ${editing.credential_hint}` : undefined}
            />
          </Field>
        )}

        {f.provider === "webhook" && (
          <fieldset>
            <legend className="text-sm font-medium">Endpoints</legend>
            <p className="text-xs text-muted">
              Each batch of new events is one signed <code>analytics.events</code> delivery per endpoint.
            </p>
            {!ws.can("webhooks:read") ? (
              <p className="mt-2 text-sm text-muted">Your role cannot see webhook endpoints.</p>
            ) : endpoints.isPending ? (
              <p className="mt-2 text-sm text-muted">Loading endpoints…</p>
            ) : endpoints.isError ? (
              <p role="alert" className="mt-2 text-sm text-danger">
                {errorMessage(endpoints.error)}
              </p>
            ) : endpoints.data.data.length === 0 ? (
              <p className="mt-2 text-sm text-muted">
                No webhook endpoints yet.{" "}
                <Link to="/messaging/webhooks" className="text-accent underline">
                  Add one under Webhooks
                </Link>{" "}
                first.
              </p>
            ) : (
              <div className="mt-2 space-y-1">
                {endpoints.data.data.map((ep) => (
                  <label key={ep.id} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="mt-1 accent-[var(--accent)]"
                      checked={f.endpointIds.includes(ep.id)}
                      onChange={(e) =>
                        set("endpointIds", e.target.checked ? [...f.endpointIds, ep.id] : f.endpointIds.filter((x) => x !== ep.id))
                      }
                    />
                    <span className="min-w-0">
                      <code className="break-all text-xs">{ep.url}</code>
                      {ep.status !== "enabled" && <span className="ml-2 text-xs text-danger">disabled</span>}
                    </span>
                  </label>
                ))}
              </div>
            )}
            {err("endpoint_ids") && <p className="mt-1 text-xs font-medium text-danger">{err("endpoint_ids")}</p>}
          </fieldset>
        )}

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Events</legend>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="events"
              className="accent-[var(--accent)]"
              checked={f.eventsMode === "all"}
              onChange={() => set("eventsMode", "all")}
            />
            Every event (bot traffic is never forwarded)
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="events"
              className="accent-[var(--accent)]"
              checked={f.eventsMode === "some"}
              onChange={() => set("eventsMode", "some")}
            />
            Only these events
          </label>
          {f.eventsMode === "some" && (
            <Field
              label="Event names"
              hideLabel
              hint="One per line or comma-separated, exactly as tracked (e.g. $pageview, Signed Up)."
              error={err("event_names")}
            >
              <Textarea rows={3} value={f.events} onChange={(e) => set("events", e.target.value)} required />
            </Field>
          )}
        </fieldset>
        {f.provider === "ga4" && (
          <p className="text-xs text-muted">
            GA4 event names must be letters, digits and underscores: <code>$pageview</code> becomes <code>page_view</code>, other names are
            converted to snake_case, and reserved names (e.g. <code>session_start</code>) or events older than 72 hours are left out. The
            delivery log lists every rename and omission.
          </p>
        )}
      </form>
    </Dialog>
  );
}
