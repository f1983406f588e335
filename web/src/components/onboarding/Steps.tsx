import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { meQuery } from "../../lib/auth";
import { switchWorkspace } from "../../lib/workspace";
import { FormError } from "../AuthLayout";
import { KeyIcon, PlusIcon, ShieldIcon, UsersIcon, RocketIcon } from "../icons";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";

export function WorkspaceStep({ tenantId, onDone }: { tenantId: string | null; onDone: () => Promise<unknown> }) {
  const qc = useQueryClient();
  const tenant = useQuery({ queryKey: ["t", tenantId, "tenant"], queryFn: () => api("GET /api/v1/tenant"), enabled: Boolean(tenantId) });
  const [name, setName] = useState<string | null>(null);
  const value = name ?? tenant.data?.name ?? "";
  const loadingName = Boolean(tenantId) && tenant.isPending;
  const save = useMutation({
    mutationFn: async () => {
      if (tenantId) await api("PATCH /api/v1/tenant", { body: { name: value.trim() } });
      else switchWorkspace((await api("POST /api/v1/tenants", { body: { name: value.trim() } })).id);
      await qc.invalidateQueries({ queryKey: meQuery.queryKey });
      await onDone();
    },
  });
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  return (
    <form onSubmit={submit} className="space-y-4">
      <FormError message={save.error ? errorMessage(save.error) : null} />
      <Field label="Workspace name" hint="Usually your company or team name. You can change it later in settings.">
        {/* Not editable until the current name has loaded: typing earlier had the loaded name put before the typed text. */}
        <Input
          value={value}
          onChange={(e) => setName(e.target.value)}
          disabled={loadingName}
          required
          maxLength={100}
          autoFocus
          placeholder="Acme Inc."
        />
      </Field>
      <Button type="submit" className="w-full" loading={save.isPending} disabled={!value.trim()}>
        Continue
      </Button>
    </form>
  );
}

type Role = "admin" | "member" | "viewer";
interface Row {
  email: string;
  role: Role;
}

export function InviteStep({ onBack, onDone }: { onBack: () => void; onDone: (sent: number) => Promise<unknown> }) {
  const [rows, setRows] = useState<Row[]>([{ email: "", role: "member" }]);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const update = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const failed: Record<number, string> = {};
    let sent = 0;
    const keep: Row[] = [];
    for (const [i, r] of rows.entries()) {
      if (!r.email.trim()) continue;
      try {
        await api("POST /api/v1/invitations", { body: { email: r.email.trim(), role: r.role } });
        sent++;
      } catch (err) {
        failed[keep.length] = err instanceof ApiError ? (err.field("email") ?? errorMessage(err)) : errorMessage(err);
        keep.push(r);
      }
      void i;
    }
    setBusy(false);
    if (sent) toast.success(`Sent ${sent} invitation${sent === 1 ? "" : "s"}`);
    if (keep.length) {
      setRows(keep);
      setErrors(failed);
      setError("Some invitations could not be sent. Fix them or remove them to continue.");
      return;
    }
    await onDone(sent).catch((err) => setError(errorMessage(err)));
  };
  const hasAny = rows.some((r) => r.email.trim());
  return (
    <form onSubmit={submit} className="space-y-4">
      <p className="text-sm text-muted">Teammates get an email with a link to join. Invitations expire after 7 days.</p>
      <FormError message={error} />
      <ul className="space-y-3">
        {rows.map((r, i) => (
          <li key={i} className="flex items-start gap-2">
            <Field label={`Email address ${i + 1}`} hideLabel={i > 0} error={errors[i]} className="flex-1">
              <Input
                type="email"
                value={r.email}
                onChange={(e) => update(i, { email: e.target.value })}
                placeholder="teammate@company.com"
                autoFocus={i === 0}
              />
            </Field>
            <Field label={`Role ${i + 1}`} hideLabel={i > 0} className="w-32">
              <Select value={r.role} onChange={(e) => update(i, { role: e.target.value as Role })}>
                <option value="admin">Admin</option>
                <option value="member">Member</option>
                <option value="viewer">Viewer</option>
              </Select>
            </Field>
          </li>
        ))}
      </ul>
      {rows.length < 10 && (
        <button
          type="button"
          onClick={() => setRows((rs) => [...rs, { email: "", role: "member" }])}
          className="inline-flex items-center gap-1.5 text-sm font-medium text-accent hover:underline"
        >
          <PlusIcon className="size-4" /> Add another
        </button>
      )}
      <div className="flex flex-wrap justify-between gap-2 pt-2">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => onDone(0)} disabled={busy}>
            Skip for now
          </Button>
          <Button type="submit" loading={busy} disabled={!hasAny}>
            Send invitations
          </Button>
        </div>
      </div>
    </form>
  );
}

type Focus = "team" | "api" | "widget" | "security";
const CHOICES: { key: Focus; title: string; text: string; icon: typeof UsersIcon }[] = [
  { key: "team", title: "Bring in my team", text: "Manage members, roles and invitations.", icon: UsersIcon },
  { key: "api", title: "Connect via the API", text: "Create a secret API key for your backend.", icon: KeyIcon },
  { key: "widget", title: "Add Weft to my website", text: "Create a publishable key for your site's origins.", icon: RocketIcon },
  { key: "security", title: "Secure my account", text: "Turn on two-factor authentication.", icon: ShieldIcon },
];

export function FocusStep({
  initial,
  onBack,
  onDone,
  busy,
}: {
  initial: Focus | null;
  onBack: () => void;
  onDone: (f: Focus) => void;
  busy: boolean;
}) {
  const [focus, setFocus] = useState<Focus>(initial ?? "team");
  return (
    <form onSubmit={(e) => (e.preventDefault(), onDone(focus))} className="space-y-4">
      <fieldset>
        <legend className="mb-3 text-sm text-muted">What would you like to set up first?</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          {CHOICES.map((c) => (
            <label
              key={c.key}
              className={cx(
                "flex cursor-pointer flex-col gap-1 rounded-xl border p-4 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent",
                focus === c.key ? "border-accent bg-accent-soft" : "border-line hover:bg-subtle",
              )}
            >
              <input
                type="radio"
                name="focus"
                value={c.key}
                checked={focus === c.key}
                onChange={() => setFocus(c.key)}
                className="sr-only"
              />
              <c.icon className={cx("size-5", focus === c.key ? "text-accent" : "text-muted")} />
              <span className="font-medium">{c.title}</span>
              <span className="text-muted">{c.text}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex justify-between gap-2 pt-2">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button type="submit" loading={busy}>
          Finish setup
        </Button>
      </div>
    </form>
  );
}
