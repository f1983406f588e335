import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage, type Body, type Res } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { CopyButton } from "../settings/CopyButton";
import { Button, buttonClass } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";

type Settings = Res<"GET /api/v1/end-users/portal-settings">;
type Policy = Settings["signup_policy"];
interface Form {
  enabled: boolean;
  signup_policy: Policy;
  brand_name: string;
  logo_file_id: string;
  primary_color: string;
  accent_color: string;
  custom_domain: string;
}
const fromSettings = (s: Settings): Form => ({
  enabled: s.enabled,
  signup_policy: s.signup_policy,
  brand_name: s.brand_name ?? "",
  logo_file_id: s.logo_file_id ?? "",
  primary_color: s.primary_color ?? "",
  accent_color: s.accent_color ?? "",
  custom_domain: s.custom_domain ?? "",
});
const POLICIES: { value: Policy; label: string; hint: string }[] = [
  { value: "open", label: "Anyone", hint: "Anyone with an email address can create an account." },
  { value: "invite", label: "By invitation", hint: "Only people you add under End users can sign in." },
  {
    value: "customers",
    label: "Existing customers",
    hint: "Only people you added, handed over from your site, or who bought from you can create an account.",
  },
];

/** Portal settings: on/off, who may sign up, branding, the custom-domain note and hand-over from the workspace's own site. */
export function PortalSettingsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const manage = ws.can("endusers:manage");
  const key = tkey(ws.id, "end-users", "settings");
  const settings = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/end-users/portal-settings") });
  const images = useQuery({
    queryKey: tkey(ws.id, "files", "portal-logo-candidates"),
    queryFn: () => api("GET /api/v1/files", { query: { limit: 100, sort: "created_at", order: "desc" } }),
    enabled: ws.can("files:read"),
    select: (r) => r.data.filter((f) => f.content_type.startsWith("image/")),
  });
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirmRotate, setConfirmRotate] = useState(false);
  useEffect(() => {
    if (settings.data && !form) setForm(fromSettings(settings.data));
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (f: Form) => {
      const body: Body<"PUT /api/v1/end-users/portal-settings"> = {
        enabled: f.enabled,
        signup_policy: f.signup_policy,
        brand_name: f.brand_name.trim() || null,
        logo_file_id: f.logo_file_id || null,
        primary_color: f.primary_color || null,
        accent_color: f.accent_color || null,
        custom_domain: f.custom_domain.trim() || null,
      };
      return api("PUT /api/v1/end-users/portal-settings", { body });
    },
    onSuccess: (s) => {
      setError(null);
      qc.setQueryData(key, s);
      setForm(fromSettings(s));
      toast.success("Portal settings saved");
    },
    onError: (e) => (e instanceof ApiError && e.status === 400 ? setError(e) : toast.error(errorMessage(e))),
  });
  const rotate = useMutation({
    mutationFn: () => api("POST /api/v1/end-users/portal-settings/handover-secret"),
    onSuccess: (r) => {
      setConfirmRotate(false);
      setSecret(r.secret);
      qc.invalidateQueries({ queryKey: key });
    },
    onError: (e) => {
      setConfirmRotate(false);
      toast.error(errorMessage(e));
    },
  });

  if (settings.isPending || !form) return settings.isError ? <p role="alert">{errorMessage(settings.error)}</p> : <PageSkeleton />;
  const s = settings.data;
  if (!s) return null;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));
  const dirty = JSON.stringify(fromSettings(s)) !== JSON.stringify(form);

  return (
    <>
      <PageHeader
        title="Portal settings"
        description="Your customers' own signed-in space, branded as you: who may have an account, how it looks, and sign-in from your own site."
        actions={
          <>
            <Link to="/customers" className={buttonClass("secondary")}>
              End users
            </Link>
            {s.enabled && (
              <a href={s.portal_url} target="_blank" rel="noopener" className={buttonClass("secondary")}>
                Open portal
              </a>
            )}
          </>
        }
      />
      <form
        className="grid gap-6"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form);
        }}
      >
        <fieldset disabled={!manage} className="grid gap-6">
          <Card title="Access">
            <div className="grid gap-4">
              <label className="flex items-start gap-3 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-accent"
                  checked={form.enabled}
                  onChange={(e) => set("enabled", e.target.checked)}
                />
                <span>
                  <span className="font-medium">Customer accounts are on</span>
                  <span className="block text-muted">
                    When off, nobody can sign in to your portal, and signed-in end users are refused everywhere.
                  </span>
                </span>
              </label>
              <fieldset className="grid gap-2">
                <legend className="mb-1 text-sm font-medium">Who may create an account</legend>
                {POLICIES.map((p) => (
                  <label
                    key={p.value}
                    className="flex items-start gap-3 rounded-lg border border-line p-3 text-sm has-[:checked]:border-accent"
                  >
                    <input
                      type="radio"
                      name="signup_policy"
                      value={p.value}
                      className="mt-0.5 size-4 accent-accent"
                      checked={form.signup_policy === p.value}
                      onChange={() => set("signup_policy", p.value)}
                    />
                    <span>
                      <span className="font-medium">{p.label}</span>
                      <span className="block text-muted">{p.hint}</span>
                    </span>
                  </label>
                ))}
              </fieldset>
              <p className="text-sm text-muted">
                Portal address:{" "}
                <a href={s.portal_url} className="break-all text-accent hover:underline">
                  {s.portal_url}
                </a>
              </p>
            </div>
          </Card>

          <Card title="Branding">
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Name shown to customers" hint={`Defaults to your workspace's name`} error={error?.field("brand_name")}>
                <Input value={form.brand_name} maxLength={100} onChange={(e) => set("brand_name", e.target.value)} />
              </Field>
              <Field label="Logo" hint="An image from Files" error={error?.field("logo_file_id")}>
                <Select value={form.logo_file_id} onChange={(e) => set("logo_file_id", e.target.value)}>
                  <option value="">No logo</option>
                  {form.logo_file_id && !images.data?.some((f) => f.id === form.logo_file_id) && (
                    <option value={form.logo_file_id}>Current logo</option>
                  )}
                  {(images.data ?? []).map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </Select>
              </Field>
              <ColorField
                label="Button colour"
                value={form.primary_color}
                onChange={(v) => set("primary_color", v)}
                error={error?.field("primary_color")}
              />
              <ColorField
                label="Accent colour"
                value={form.accent_color}
                onChange={(v) => set("accent_color", v)}
                error={error?.field("accent_color")}
              />
            </div>
          </Card>

          <Card title="Custom domain">
            <div className="grid gap-3">
              <Field
                label="Domain for your portal"
                hint="Noted for your records and links. Serving the portal on it needs a CNAME to Weft and a certificate, which Weft does not set up yet."
                error={error?.field("custom_domain")}
              >
                <Input
                  value={form.custom_domain}
                  placeholder="account.example.com"
                  onChange={(e) => set("custom_domain", e.target.value)}
                />
              </Field>
            </div>
          </Card>
        </fieldset>
        {manage && (
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" disabled={!dirty} onClick={() => setForm(fromSettings(s))}>
              Discard
            </Button>
            <Button type="submit" disabled={!dirty || save.isPending}>
              Save settings
            </Button>
          </div>
        )}
      </form>

      <Card title="Sign-in from your own site (hand-over)" className="mt-6">
        <div className="grid gap-3 text-sm">
          <p className="text-muted">
            When your customers already have accounts on your site, your server signs a short JWT (HS256 with this secret, at most 10
            minutes, with <code>sub</code> = your user id and <code>email</code>) and your page posts it to{" "}
            <code className="break-all">/public/v1/portal/{ws.slug}/auth/handover</code>. They arrive signed in, without a second password.
          </p>
          <p>{s.has_handover_secret ? "A hand-over secret is set." : "No hand-over secret yet."}</p>
          {secret && (
            <div className="grid gap-2 rounded-lg border border-line bg-subtle p-3" role="status">
              <p className="font-medium">Copy the secret now: it is shown only once.</p>
              <div className="flex flex-wrap items-center gap-2">
                <code className="break-all">{secret}</code>
                <CopyButton value={secret} />
              </div>
            </div>
          )}
          {manage && (
            <div>
              <Button variant="secondary" onClick={() => (s.has_handover_secret ? setConfirmRotate(true) : rotate.mutate())}>
                {s.has_handover_secret ? "Replace the secret" : "Create a secret"}
              </Button>
            </div>
          )}
        </div>
      </Card>
      <Dialog
        open={confirmRotate}
        onClose={() => setConfirmRotate(false)}
        title="Replace the hand-over secret?"
        description="The old secret stops working at once: update your server before your customers sign in again."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmRotate(false)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
              Replace
            </Button>
          </>
        }
      />
    </>
  );
}

function ColorField({ label, value, onChange, error }: { label: string; value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <Field label={label} hint="Hex, like #4f46e5; empty for the default" error={error}>
      <Input value={value} placeholder="#4f46e5" onChange={(e) => onChange(e.target.value.trim())} className="font-mono" />
    </Field>
  );
}
