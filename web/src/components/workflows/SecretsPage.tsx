import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { KeyIcon } from "../icons";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Textarea } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Table } from "../ui/Table";
import { toast } from "../ui/Toast";
import { wfq } from "./data";
import { ProblemNote } from "./ProblemNote";
import type { Secret } from "./types";

/** The vault for HTTP steps: names only (values are sealed and never shown again); set, replace, delete. */
export function SecretsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const secrets = useQuery(wfq.secrets(ws.id));
  const canWrite = ws.can("workflows:write");
  const [editing, setEditing] = useState<{ name: string; isNew: boolean } | null>(null);
  const [value, setValue] = useState("");
  const [deleting, setDeleting] = useState<Secret | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "workflows", "secrets") });
  const put = useMutation({
    mutationFn: (e: { name: string }) => api("PUT /api/v1/workflows/secrets/{name}", { params: { name: e.name }, body: { value } }),
    onSuccess: (s) => {
      toast.success(`Saved ${s.name}`);
      setEditing(null);
      setValue("");
      refresh();
    },
  });
  const del = useMutation({
    mutationFn: (s: Secret) => api("DELETE /api/v1/workflows/secrets/{name}", { params: { name: s.name } }),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (editing?.name && value) put.mutate({ name: editing.name });
  };
  const err = put.error instanceof ApiError ? put.error : undefined;
  return (
    <>
      <PageHeader
        title="Workflow secrets"
        description={
          <>
            API tokens for HTTP request steps, used as <code className="font-mono">{"{{ secrets.NAME }}"}</code>. Values are encrypted and
            never shown again.
          </>
        }
        actions={canWrite && <Button onClick={() => setEditing({ name: "", isNew: true })}>Add secret</Button>}
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {secrets.isPending ? (
          <TableSkeleton rows={3} />
        ) : secrets.isError ? (
          <ProblemNote error={secrets.error} />
        ) : (
          <Table
            caption="Secrets"
            rows={secrets.data}
            rowKey={(s) => s.name}
            empty={
              <EmptyState icon={<KeyIcon />} title="No secrets yet">
                Add one (e.g. CRM_TOKEN) and use it in an HTTP step's headers.
              </EmptyState>
            }
            columns={[
              { key: "name", header: "Name", cell: (s) => <code className="font-mono text-sm">{s.name}</code> },
              { key: "updated", header: "Updated", cell: (s) => <span className="text-muted">{formatRelative(s.updated_at)}</span> },
              {
                key: "actions",
                header: "Actions",
                className: "text-right",
                cell: (s) =>
                  canWrite && (
                    <span className="flex justify-end gap-1">
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setEditing({ name: s.name, isNew: false })}
                        aria-label={`Replace the value of ${s.name}`}
                      >
                        Replace
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        className="text-danger"
                        onClick={() => setDeleting(s)}
                        aria-label={`Delete ${s.name}`}
                      >
                        Delete
                      </Button>
                    </span>
                  ),
              },
            ]}
          />
        )}
      </section>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.isNew ? "Add secret" : `Replace ${editing?.name}`}
        size="sm"
      >
        <form onSubmit={submit} className="space-y-4">
          {editing?.isNew && (
            <Field label="Name" hint="Upper-case letters, digits and _" error={err?.field("name")}>
              <Input
                value={editing.name}
                onChange={(e) => setEditing({ ...editing, name: e.target.value.toUpperCase() })}
                placeholder="CRM_TOKEN"
                className="font-mono"
                autoComplete="off"
              />
            </Field>
          )}
          <Field label="Value" error={err?.field("value") ?? (err && !err.problem.errors?.length ? errorMessage(err) : undefined)}>
            <Textarea
              value={value}
              onChange={(e) => setValue(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-xs"
            />
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setEditing(null)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!editing?.name || !value} loading={put.isPending}>
              Save
            </Button>
          </div>
        </form>
      </Dialog>
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name}?`}
        description="HTTP steps that use it will fail until it is added again."
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => deleting && del.mutate(deleting)} loading={del.isPending}>
              Delete
            </Button>
          </>
        }
      >
        {del.isError && <p className="text-sm text-danger">{errorMessage(del.error)}</p>}
      </Dialog>
    </>
  );
}
