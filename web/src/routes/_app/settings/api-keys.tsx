import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { FormError } from "../../../components/AuthLayout";
import { KeyIcon, PlusIcon } from "../../../components/icons";
import { CopyButton } from "../../../components/settings/CopyButton";
import { ConfirmDialog } from "../../../components/team/ConfirmDialog";
import { Badge } from "../../../components/ui/Badge";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { Dialog } from "../../../components/ui/Dialog";
import { EmptyState } from "../../../components/ui/EmptyState";
import { Field, Input, Select } from "../../../components/ui/Field";
import { TableSkeleton } from "../../../components/ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../../../components/ui/Table";
import { toast } from "../../../components/ui/Toast";
import { api, errorMessage } from "../../../lib/api";
import type { ApiKey, ApiKeyCreated, CreateApiKey } from "../../../lib/api-types";
import { formatDate, formatRelative } from "../../../lib/format";
import { q } from "../../../lib/queries";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { PERMISSIONS } from "../../../../../workers/platform/rbac";

type Scope = CreateApiKey["scopes"][number];
export const Route = createFileRoute("/_app/settings/api-keys")({ component: ApiKeysPage });

function ApiKeysPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const list = useQuery(q.apiKeys(ws.id, { limit: 25, cursor: pager.cursor }));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const canManage = ws.can("api_keys:manage");
  const revoke = useMutation({
    mutationFn: (id: string) => api("DELETE /api/v1/api-keys/{id}", { params: { id } }),
    onSuccess: () => (toast.success("API key revoked"), setRevoking(null), qc.invalidateQueries({ queryKey: tkey(ws.id, "api-keys") })),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const columns: Column<ApiKey>[] = [
    {
      key: "name",
      header: "Name",
      sort: (k) => k.name,
      cell: (k) => (
        <div>
          <p className="font-medium">{k.name}</p>
          <code className="text-xs text-muted">{k.prefix}…</code>
        </div>
      ),
    },
    {
      key: "scopes",
      header: "Scopes",
      hideOnMobile: true,
      cell: (k) => (
        <div className="flex max-w-xs flex-wrap gap-1">
          {k.scopes.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </div>
      ),
    },
    {
      key: "used",
      header: "Last used",
      sort: (k) => k.last_used_at ?? "",
      cell: (k) => <span className="text-muted">{k.last_used_at ? formatRelative(k.last_used_at) : "Never"}</span>,
    },
    {
      key: "created",
      header: "Created",
      sort: (k) => k.created_at,
      hideOnMobile: true,
      cell: (k) => <span className="text-muted">{formatDate(k.created_at)}</span>,
    },
    {
      key: "status",
      header: "Status",
      cell: (k) =>
        k.revoked_at ? (
          <Badge tone="danger">Revoked</Badge>
        ) : k.expires_at && new Date(k.expires_at) < new Date() ? (
          <Badge tone="warning">Expired</Badge>
        ) : (
          <Badge tone="success">Active</Badge>
        ),
    },
    {
      key: "actions",
      header: "Actions",
      className: "text-right",
      cell: (k) =>
        canManage && !k.revoked_at ? (
          <Button size="sm" variant="ghost" className="text-danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
            Revoke
          </Button>
        ) : null,
    },
  ];
  return (
    <Card
      title="Secret API keys"
      description="Server-to-server access to this workspace. Keep them secret: never put them in a browser or app."
      actions={
        canManage && (
          <Button onClick={() => setCreating(true)}>
            <PlusIcon className="size-4" />
            Create API key
          </Button>
        )
      }
      bodyClassName=""
    >
      {list.isPending ? (
        <TableSkeleton rows={3} />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : (
        <Table
          caption="API keys"
          columns={columns}
          rows={list.data.data}
          rowKey={(k) => k.id}
          empty={
            <EmptyState
              icon={<KeyIcon />}
              title="No API keys yet"
              action={canManage && <Button onClick={() => setCreating(true)}>Create your first key</Button>}
            >
              Create a key to call the Weft API from your backend.
            </EmptyState>
          }
        />
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(list.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(list.data?.next_cursor)}
      />
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(k) => (setCreating(false), setCreated(k), qc.invalidateQueries({ queryKey: tkey(ws.id, "api-keys") }))}
      />
      <Dialog
        open={created !== null}
        onClose={() => setCreated(null)}
        title="Copy your new API key"
        description="This is the only time the secret is shown. Store it in your secrets manager now."
        footer={<Button onClick={() => setCreated(null)}>Done</Button>}
      >
        <div className="space-y-3">
          <code data-testid="api-key-secret" className="block rounded-lg border border-line bg-subtle p-3 font-mono text-sm break-all">
            {created?.secret}
          </code>
          <CopyButton value={created?.secret ?? ""} label="Copy key" />
        </div>
      </Dialog>
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        busy={revoke.isPending}
        title={`Revoke ${revoking?.name}?`}
        confirmLabel="Revoke key"
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        Requests using this key will fail immediately. This can't be undone.
      </ConfirmDialog>
    </Card>
  );
}

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (k: ApiKeyCreated) => void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["tenant:read", "members:read"]);
  const [expires, setExpires] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api("POST /api/v1/api-keys", { body: { name: name.trim(), scopes, ...(expires ? { expires_in_days: Number(expires) } : {}) } }),
    onSuccess: (k) => (setName(""), onCreated(k)),
  });
  const toggle = (s: Scope) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  const submit = (e: FormEvent) => (e.preventDefault(), create.mutate());
  return (
    <Dialog open={open} onClose={onClose} title="Create an API key" size="lg">
      <form onSubmit={submit} className="space-y-4">
        <FormError message={create.error ? errorMessage(create.error) : null} />
        <Field label="Name" hint="Where it's used, e.g. “Billing backend”.">
          <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
        </Field>
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Scopes</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {(Object.keys(PERMISSIONS) as Scope[]).map((s) => (
              <label key={s} className="flex items-start gap-2 rounded-lg border border-line p-2 text-sm has-[:checked]:border-accent">
                <input type="checkbox" className="mt-0.5 accent-[var(--accent)]" checked={scopes.includes(s)} onChange={() => toggle(s)} />
                <span>
                  <code className="text-xs">{s}</code>
                  <span className="block text-xs text-muted">{PERMISSIONS[s].description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Expires">
          <Select value={expires} onChange={(e) => setExpires(e.target.value)}>
            <option value="">Never</option>
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="365">In a year</option>
          </Select>
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!scopes.length}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
