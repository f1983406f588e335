import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { Badge } from "../../../components/ui/Badge";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { Field, Input } from "../../../components/ui/Field";
import { Skeleton } from "../../../components/ui/Skeleton";
import { toast } from "../../../components/ui/Toast";
import { api, ApiError, errorMessage } from "../../../lib/api";
import { meQuery, useMe } from "../../../lib/auth";
import { q } from "../../../lib/queries";
import { tkey, useWorkspace } from "../../../lib/workspace";

export const Route = createFileRoute("/_app/settings/profile")({ component: ProfilePage });

function ProfilePage() {
  return (
    <div className="space-y-6">
      <ProfileCard />
      <WorkspaceCard />
    </div>
  );
}

function ProfileCard() {
  const { data: me } = useMe();
  const qc = useQueryClient();
  const [name, setName] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => api("PATCH /api/v1/me", { body: { name: (name ?? "").trim() } }),
    onSuccess: async () => (await qc.invalidateQueries({ queryKey: meQuery.queryKey }), setName(null), toast.success("Profile saved")),
  });
  const resend = useMutation({
    mutationFn: () => api("POST /api/v1/auth/verify-email/resend"),
    onSuccess: () => toast.success("Verification email sent"),
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (!me) return null;
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  return (
    <Card title="Profile" description="How you appear to your teammates.">
      <form onSubmit={submit} className="max-w-md space-y-4">
        <Field
          label="Name"
          error={save.error ? (save.error instanceof ApiError && save.error.field("name")) || errorMessage(save.error) : undefined}
        >
          <Input value={name ?? me.user.name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoComplete="name" />
        </Field>
        <div className="space-y-1.5">
          <p className="text-sm font-medium" id="email-label">
            Email
          </p>
          <div className="flex flex-wrap items-center gap-2 text-sm" aria-labelledby="email-label">
            <span>{me.user.email}</span>
            {me.user.email_verified ? <Badge tone="success">Verified</Badge> : <Badge tone="warning">Not verified</Badge>}
            {!me.user.email_verified && (
              <Button size="sm" variant="ghost" loading={resend.isPending} onClick={() => resend.mutate()}>
                Resend verification email
              </Button>
            )}
          </div>
        </div>
        <Button type="submit" loading={save.isPending} disabled={name === null || name.trim() === me.user.name}>
          Save profile
        </Button>
      </form>
    </Card>
  );
}

function WorkspaceCard() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const tenant = useQuery(q.tenant(ws.id));
  const [form, setForm] = useState<{ name: string; slug: string } | null>(null);
  const value = form ?? { name: tenant.data?.name ?? "", slug: tenant.data?.slug ?? "" };
  const canEdit = ws.can("tenant:update");
  const save = useMutation({
    mutationFn: () =>
      api("PATCH /api/v1/tenant", {
        body: { name: value.name.trim(), ...(value.slug !== tenant.data?.slug ? { slug: value.slug.trim() } : {}) },
      }),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: meQuery.queryKey }), qc.invalidateQueries({ queryKey: tkey(ws.id, "tenant") })]);
      setForm(null);
      toast.success("Workspace saved");
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <Card
      title="Workspace"
      description={canEdit ? "Rename the workspace or change its URL slug." : "Only owners and admins can change workspace settings."}
    >
      {tenant.isPending ? (
        <div className="max-w-md space-y-3">
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
      ) : (
        <form onSubmit={(e) => (e.preventDefault(), save.mutate())} className="max-w-md space-y-4">
          <Field label="Workspace name" error={err?.field("name")}>
            <Input
              value={value.name}
              onChange={(e) => setForm({ ...value, name: e.target.value })}
              disabled={!canEdit}
              required
              maxLength={100}
            />
          </Field>
          <Field
            label="Slug"
            hint="Lowercase letters, numbers and dashes."
            error={err?.field("slug") ?? (err && !err.field("name") ? errorMessage(err) : undefined)}
          >
            <Input value={value.slug} onChange={(e) => setForm({ ...value, slug: e.target.value })} disabled={!canEdit} required />
          </Field>
          <p className="text-xs text-muted">
            Workspace id: <code>{ws.id}</code>
          </p>
          {canEdit && (
            <Button type="submit" loading={save.isPending} disabled={form === null}>
              Save workspace
            </Button>
          )}
        </form>
      )}
    </Card>
  );
}
