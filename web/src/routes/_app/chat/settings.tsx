import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { FormError } from "../../../components/AuthLayout";
import { CannedResponses } from "../../../components/chat/CannedResponses";
import { WidgetPreview } from "../../../components/chat/WidgetPreview";
import { CopyButton } from "../../../components/settings/CopyButton";
import { ConfirmDialog } from "../../../components/team/ConfirmDialog";
import { Badge } from "../../../components/ui/Badge";
import { Button } from "../../../components/ui/Button";
import { Card, PageHeader } from "../../../components/ui/Card";
import { Dialog } from "../../../components/ui/Dialog";
import { Field, Input, Select, Textarea } from "../../../components/ui/Field";
import { PageSkeleton } from "../../../components/ui/Skeleton";
import { toast } from "../../../components/ui/Toast";
import { api, ApiError, errorMessage, type Body } from "../../../lib/api";
import type { ChatSettings } from "../../../lib/api-types";
import { q } from "../../../lib/queries";
import { tkey, useWorkspace } from "../../../lib/workspace";

export const Route = createFileRoute("/_app/chat/settings")({ component: WidgetSettingsPage });

type Patch = Body<"PATCH /api/v1/chat/settings">;
type Mode = "off" | "optional" | "required";

function WidgetSettingsPage() {
  const ws = useWorkspace();
  const settings = useQuery({ queryKey: tkey(ws.id, "chat", "settings"), queryFn: () => api("GET /api/v1/chat/settings") });
  const tenant = useQuery(q.tenant(ws.id));
  return (
    <>
      <PageHeader
        title="Chat widget"
        description={
          <>
            Appearance, pre-chat form, identity verification and install snippet.{" "}
            <Link to="/chat" className="text-accent underline">
              Back to the inbox
            </Link>
          </>
        }
      />
      {settings.isPending ? (
        <PageSkeleton />
      ) : settings.isError ? (
        <p role="alert" className="text-danger">
          {errorMessage(settings.error)}
        </p>
      ) : (
        <div className="space-y-6">
          <SettingsForm key={settings.data.updated_at ?? "new"} s={settings.data} title={tenant.data?.name ?? ws.name} />
          <IdentityCard s={settings.data} />
          <InstallCard />
          <CannedResponses />
        </div>
      )}
    </>
  );
}

function SettingsForm({ s, title }: { s: ChatSettings; title: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("chat:manage");
  const [f, setF] = useState(s);
  const set = <K extends keyof ChatSettings>(k: K, v: ChatSettings[K]) => setF((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: () => {
      const body: Patch = {
        color: f.color,
        position: f.position,
        theme: f.theme,
        locale: f.locale as Patch["locale"],
        title: f.title || null,
        logo_url: f.logo_url || null,
        greeting: f.greeting,
        prechat: f.prechat,
        ai_enabled: f.ai_enabled,
        notify_email: f.notify_email || null,
      };
      return api("PATCH /api/v1/chat/settings", { body });
    },
    onSuccess: (next) => (toast.success("Widget settings saved"), qc.setQueryData(tkey(ws.id, "chat", "settings"), next)),
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const modes: Mode[] = ["off", "optional", "required"];
  return (
    <Card title="Appearance and behaviour">
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <form onSubmit={(e: FormEvent) => (e.preventDefault(), save.mutate())} className="space-y-4">
          <fieldset disabled={!canManage} className="space-y-4">
            <FormError message={save.error && !err?.problem.errors ? errorMessage(save.error) : null} />
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Title" hint={`Shown in the header; defaults to “${title}”.`} error={err?.field("title")}>
                <Input value={f.title ?? ""} onChange={(e) => set("title", e.target.value)} maxLength={80} />
              </Field>
              <Field label="Logo URL" hint="https:// image, optional" error={err?.field("logo_url")}>
                <Input type="url" value={f.logo_url ?? ""} onChange={(e) => set("logo_url", e.target.value)} />
              </Field>
              <Field label="Colour" error={err?.field("color")}>
                <Input type="color" value={f.color} onChange={(e) => set("color", e.target.value)} className="h-10 w-24 p-1" />
              </Field>
              <Field label="Position">
                <Select value={f.position} onChange={(e) => set("position", e.target.value as ChatSettings["position"])}>
                  <option value="right">Bottom right</option>
                  <option value="left">Bottom left</option>
                </Select>
              </Field>
              <Field label="Theme" hint="Auto follows the host page (its dark class or the visitor's system setting).">
                <Select value={f.theme} onChange={(e) => set("theme", e.target.value as ChatSettings["theme"])}>
                  <option value="auto">Auto</option>
                  <option value="light">Light</option>
                  <option value="dark">Dark</option>
                </Select>
              </Field>
              <Field label="Language">
                <Select value={f.locale} onChange={(e) => set("locale", e.target.value)}>
                  <option value="auto">Visitor's browser</option>
                  <option value="en">English</option>
                  <option value="es">Español</option>
                  <option value="de">Deutsch</option>
                  <option value="fr">Français</option>
                </Select>
              </Field>
            </div>
            <Field label="Greeting" error={err?.field("greeting")}>
              <Textarea value={f.greeting} onChange={(e) => set("greeting", e.target.value)} rows={2} maxLength={300} required />
            </Field>
            <fieldset className="space-y-3 rounded-lg border border-line p-4">
              <legend className="px-1 text-sm font-medium">Pre-chat form</legend>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={f.prechat.enabled}
                  onChange={(e) => set("prechat", { ...f.prechat, enabled: e.target.checked })}
                />{" "}
                Ask before the conversation starts
              </label>
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label="Name">
                  <Select
                    value={f.prechat.name}
                    disabled={!f.prechat.enabled}
                    onChange={(e) => set("prechat", { ...f.prechat, name: e.target.value as Mode })}
                  >
                    {modes.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field label="Email">
                  <Select
                    value={f.prechat.email}
                    disabled={!f.prechat.enabled}
                    onChange={(e) => set("prechat", { ...f.prechat, email: e.target.value as Mode })}
                  >
                    {modes.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </Select>
                </Field>
              </div>
            </fieldset>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={f.ai_enabled} onChange={(e) => set("ai_enabled", e.target.checked)} /> AI assistant answers
              first (until a visitor asks for a person)
            </label>
            <Field label="Offline messages go to" hint="Empty: the workspace owners." error={err?.field("notify_email")}>
              <Input
                type="email"
                value={f.notify_email ?? ""}
                onChange={(e) => set("notify_email", e.target.value)}
                placeholder="support@example.com"
              />
            </Field>
            {canManage && (
              <div className="flex justify-end">
                <Button type="submit" loading={save.isPending}>
                  Save settings
                </Button>
              </div>
            )}
          </fieldset>
        </form>
        <WidgetPreview s={f} title={title} />
      </div>
    </Card>
  );
}

function IdentityCard({ s }: { s: ChatSettings }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("chat:manage");
  const [confirm, setConfirm] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "chat", "settings") });
  const rotate = useMutation({
    mutationFn: () => api("POST /api/v1/chat/settings/identity-secret"),
    onSuccess: (r) => (setConfirm(false), setSecret(r.secret), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const enforce = useMutation({
    mutationFn: (on: boolean) => api("PATCH /api/v1/chat/settings", { body: { identity_required: on } }),
    onSuccess: () => (toast.success("Saved"), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const snippet = `// On your server, for a signed-in user (Node, jose):
const jwt = await new SignJWT({ user_id: user.id, email: user.email, name: user.name })
  .setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("1h")
  .sign(new TextEncoder().encode(process.env.WEFT_IDENTITY_SECRET));
// In the page, before or after widget.js loads:
window.Weft = window.Weft || function () { (Weft.q = Weft.q || []).push(arguments) };
Weft("identify", { jwt });`;
  return (
    <Card
      title="Identity verification"
      description="Prove which of your users is chatting, so nobody can impersonate them. Sign a short-lived JWT on your server with this secret (or send the legacy user_hash = HMAC-SHA256(secret, user_id))."
    >
      <div className="space-y-4">
        <p className="flex items-center gap-2 text-sm">
          Secret: {s.has_identity_secret ? <Badge tone="success">configured</Badge> : <Badge>not set</Badge>} · Enforcement:{" "}
          {s.identity_required ? <Badge tone="warning">only verified users can chat</Badge> : <Badge>off</Badge>}
        </p>
        {canManage && (
          <div className="flex flex-wrap gap-2">
            <Button
              variant="secondary"
              onClick={() => (s.has_identity_secret ? setConfirm(true) : rotate.mutate())}
              loading={rotate.isPending && !confirm}
            >
              {s.has_identity_secret ? "Rotate secret" : "Create secret"}
            </Button>
            <Button
              variant={s.identity_required ? "secondary" : "primary"}
              disabled={!s.has_identity_secret}
              loading={enforce.isPending}
              onClick={() => enforce.mutate(!s.identity_required)}
            >
              {s.identity_required ? "Stop enforcing" : "Enforce verification"}
            </Button>
          </div>
        )}
        <pre tabIndex={0} aria-label="Server and page code" className="overflow-x-auto rounded-lg bg-subtle p-3 text-xs">
          <code>{snippet}</code>
        </pre>
      </div>
      <ConfirmDialog
        open={confirm}
        onClose={() => setConfirm(false)}
        busy={rotate.isPending}
        title="Rotate the identity secret?"
        confirmLabel="Rotate"
        onConfirm={() => rotate.mutate()}
      >
        The current secret stops working immediately: update your server before visitors sign in again.
      </ConfirmDialog>
      <Dialog
        open={secret !== null}
        onClose={() => setSecret(null)}
        title="Your identity secret"
        description="Copy it now and store it on your server; it is not shown again."
      >
        <div className="flex flex-wrap items-center gap-2">
          <code className="break-all rounded bg-subtle px-2 py-1 text-xs">{secret}</code>
          {secret && <CopyButton value={secret} />}
        </div>
        <div className="mt-4 flex justify-end">
          <Button onClick={() => setSecret(null)}>Done</Button>
        </div>
      </Dialog>
    </Card>
  );
}

function InstallCard() {
  const ws = useWorkspace();
  const keys = useQuery({ ...q.publishableKeys(ws.id, { limit: 100 }), enabled: ws.can("publishable_keys:read") });
  const active = (keys.data?.data ?? []).filter((k) => !k.revoked_at);
  const [picked, setPicked] = useState<string>("");
  const key = active.find((k) => k.id === picked) ?? active[0];
  const snippet = key ? `<script src="${location.origin}/widget.js" data-key="${key.key}" async></script>` : "";
  return (
    <Card
      title="Install"
      description="Paste this tag before </body> on every page of your site. It loads a 2 KB launcher; the chat itself loads when a visitor opens it."
    >
      {!ws.can("publishable_keys:read") ? (
        <p className="text-sm text-muted">Ask an admin for the install snippet.</p>
      ) : active.length === 0 ? (
        <p className="text-sm">
          Create a{" "}
          <Link to="/settings/publishable-keys" className="text-accent underline">
            publishable key
          </Link>{" "}
          that allows your site's origin first.
        </p>
      ) : (
        <div className="space-y-3">
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
          <p className="text-xs text-muted">
            Works on:{" "}
            {key!.allowed_origins.map((o) => (
              <code key={o} className="mr-1">
                {o}
              </code>
            ))}
          </p>
          <div className="flex flex-wrap items-start gap-2">
            <pre tabIndex={0} aria-label="Install snippet" className="flex-1 overflow-x-auto rounded-lg bg-subtle p-3 text-xs">
              <code>{snippet}</code>
            </pre>
            <CopyButton value={snippet} label="Copy snippet" />
          </div>
        </div>
      )}
    </Card>
  );
}
