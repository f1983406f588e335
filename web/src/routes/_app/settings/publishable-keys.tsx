import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { FormError } from "../../../components/AuthLayout";
import { PlusIcon, RocketIcon } from "../../../components/icons";
import { CopyButton } from "../../../components/settings/CopyButton";
import { ConfirmDialog } from "../../../components/team/ConfirmDialog";
import { Badge } from "../../../components/ui/Badge";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { Dialog } from "../../../components/ui/Dialog";
import { EmptyState } from "../../../components/ui/EmptyState";
import { Field, Input, Textarea } from "../../../components/ui/Field";
import { TableSkeleton } from "../../../components/ui/Skeleton";
import { toast } from "../../../components/ui/Toast";
import { api, ApiError, errorMessage } from "../../../lib/api";
import type { PublishableKey } from "../../../lib/api-types";
import { formatDate } from "../../../lib/format";
import { q } from "../../../lib/queries";
import { tkey, useWorkspace } from "../../../lib/workspace";

export const Route = createFileRoute("/_app/settings/publishable-keys")({ component: PublishableKeysPage });

function PublishableKeysPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const list = useQuery(q.publishableKeys(ws.id, { limit: 100 }));
  const canManage = ws.can("publishable_keys:manage");
  const [editing, setEditing] = useState<PublishableKey | "new" | null>(null);
  const [revoking, setRevoking] = useState<PublishableKey | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "pk") });
  const revoke = useMutation({
    mutationFn: (id: string) => api("DELETE /api/v1/publishable-keys/{id}", { params: { id } }),
    onSuccess: () => (toast.success("Publishable key revoked"), setRevoking(null), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const keys = list.data?.data ?? [];
  return (
    <Card
      title="Publishable keys"
      description="Public keys for the chat widget and tracker on your website. They only work from the origins you allow."
      actions={
        canManage && (
          <Button onClick={() => setEditing("new")}>
            <PlusIcon className="size-4" />
            Create publishable key
          </Button>
        )
      }
      bodyClassName=""
    >
      {list.isPending ? (
        <TableSkeleton rows={2} />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : keys.length === 0 ? (
        <EmptyState
          icon={<RocketIcon />}
          title="No publishable keys yet"
          action={canManage && <Button onClick={() => setEditing("new")}>Create a publishable key</Button>}
        >
          Create one for each website that embeds Weft, and list the origins it is served from.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-line">
          {keys.map((k) => (
            <li key={k.id} className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start sm:justify-between">
              <div className="min-w-0 space-y-1.5">
                <p className="flex items-center gap-2 font-medium">
                  {k.name} {k.revoked_at ? <Badge tone="danger">Revoked</Badge> : <Badge tone="success">Active</Badge>}
                </p>
                <div className="flex flex-wrap items-center gap-2">
                  <code className="rounded bg-subtle px-2 py-0.5 font-mono text-xs break-all">{k.key}</code>
                  <CopyButton value={k.key} />
                </div>
                <p className="text-xs text-muted">
                  Allowed origins:{" "}
                  {k.allowed_origins.length
                    ? k.allowed_origins.map((o) => (
                        <code key={o} className="mr-1">
                          {o}
                        </code>
                      ))
                    : "none (the key works nowhere)"}
                </p>
                <p className="text-xs text-muted">Created {formatDate(k.created_at)}</p>
              </div>
              {canManage && !k.revoked_at && (
                <div className="flex shrink-0 gap-1">
                  <Button size="sm" variant="secondary" onClick={() => setEditing(k)} aria-label={`Edit ${k.name}`}>
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" className="text-danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <KeyDialog value={editing} onClose={() => setEditing(null)} onSaved={() => (setEditing(null), refresh())} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        busy={revoke.isPending}
        title={`Revoke ${revoking?.name}?`}
        confirmLabel="Revoke key"
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        Widgets and trackers using this key stop working on every site.
      </ConfirmDialog>
    </Card>
  );
}

function KeyDialog({ value, onClose, onSaved }: { value: PublishableKey | "new" | null; onClose: () => void; onSaved: () => void }) {
  const existing = value && value !== "new" ? value : null;
  const [draft, setDraft] = useState<{ name: string; origins: string } | null>(null);
  const form = draft ?? { name: existing?.name ?? "", origins: existing?.allowed_origins.join("\n") ?? "" };
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name.trim(),
        allowed_origins: form.origins
          .split(/[\s,]+/)
          .map((o) => o.trim())
          .filter(Boolean),
      };
      return existing
        ? api("PATCH /api/v1/publishable-keys/{id}", { params: { id: existing.id }, body })
        : api("POST /api/v1/publishable-keys", { body });
    },
    onSuccess: () => (toast.success(existing ? "Publishable key saved" : "Publishable key created"), setDraft(null), onSaved()),
  });
  const close = () => (setDraft(null), save.reset(), onClose());
  const err = save.error instanceof ApiError ? save.error : null;
  const originsError = err?.problem.errors?.find((e) => e.path.startsWith("allowed_origins"))?.message;
  const submit = (e: FormEvent) => (e.preventDefault(), save.mutate());
  return (
    <Dialog open={value !== null} onClose={close} title={existing ? `Edit ${existing.name}` : "Create a publishable key"}>
      <form onSubmit={submit} className="space-y-4">
        <FormError message={save.error && !originsError && !err?.field("name") ? errorMessage(save.error) : null} />
        <Field label="Name" error={err?.field("name")}>
          <Input
            value={form.name}
            onChange={(e) => setDraft({ ...form, name: e.target.value })}
            required
            maxLength={100}
            autoFocus
            placeholder="Marketing site"
          />
        </Field>
        <Field label="Allowed origins" hint="One per line, e.g. https://www.example.com. Scheme and host, no path." error={originsError}>
          <Textarea
            value={form.origins}
            onChange={(e) => setDraft({ ...form, origins: e.target.value })}
            rows={4}
            placeholder="https://www.example.com"
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {existing ? "Save changes" : "Create key"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
