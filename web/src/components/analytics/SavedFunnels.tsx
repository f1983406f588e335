import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { cx } from "../ui/cx";
import { aq, type FunnelDefinition, type SavedFunnel } from "./client";

/** Saved funnels (open, rename, delete) and the built-in templates as starting points. */
export function SavedFunnels({
  currentId,
  onOpen,
  onTemplate,
  onDeleted,
  onRenamed,
}: {
  currentId: string | null;
  onOpen: (f: SavedFunnel) => void;
  onTemplate: (name: string, d: FunnelDefinition) => void;
  onDeleted: (id: string) => void;
  onRenamed: (f: SavedFunnel) => void;
}) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canEdit = ws.can("analytics:edit");
  const list = useQuery(aq.funnels(ws.id));
  const templates = useQuery(aq.templates(ws.id));
  const [renaming, setRenaming] = useState<SavedFunnel | null>(null);
  const [deleting, setDeleting] = useState<SavedFunnel | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "analytics", "funnels") });
  const del = useMutation({
    mutationFn: (f: SavedFunnel) => api("DELETE /api/v1/analytics/funnels/{id}", { params: { id: f.id } }),
    onSuccess: (_, f) => {
      toast.success(`Deleted “${f.name}”.`);
      setDeleting(null);
      onDeleted(f.id);
      void invalidate();
    },
  });
  const funnels = list.data?.data ?? [];
  return (
    <div className="order-1 grid content-start items-start gap-6 md:grid-cols-2 2xl:order-2 2xl:grid-cols-1">
      <Card title="Saved funnels" bodyClassName="p-2">
        {list.isPending ? (
          <TableSkeleton rows={3} />
        ) : list.isError ? (
          <p role="alert" className="p-3 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : funnels.length === 0 ? (
          <p className="p-3 text-sm text-muted">
            No saved funnels yet. Build one{canEdit ? " and save it" : ""}, or start from a template.
          </p>
        ) : (
          <ul className="divide-y divide-line">
            {funnels.map((f) => (
              <li key={f.id} className={cx("flex items-center gap-1 rounded-lg p-1", f.id === currentId && "bg-accent-soft/60")}>
                <button
                  type="button"
                  onClick={() => onOpen(f)}
                  aria-current={f.id === currentId || undefined}
                  className="min-w-0 flex-1 rounded-md px-2 py-1.5 text-left hover:bg-subtle"
                >
                  <span className="block truncate text-sm font-medium">{f.name}</span>
                  <span className="block text-xs text-muted">
                    {f.definition.steps.length} steps · updated {formatRelative(f.updated_at)}
                  </span>
                </button>
                {canEdit && (
                  <>
                    <Button variant="ghost" size="sm" aria-label={`Rename ${f.name}`} onClick={() => setRenaming(f)}>
                      Rename
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      className="text-danger"
                      aria-label={`Delete ${f.name}`}
                      onClick={() => setDeleting(f)}
                    >
                      Delete
                    </Button>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Templates" description="One click to start from a common funnel." bodyClassName="p-2">
        {templates.isPending ? (
          <TableSkeleton rows={3} />
        ) : (
          <ul className="space-y-1">
            {(templates.data?.data ?? []).map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  onClick={() => onTemplate(t.name, t.definition)}
                  className="w-full rounded-md px-3 py-2 text-left hover:bg-subtle"
                >
                  <span className="block text-sm font-medium">{t.name}</span>
                  <span className="block text-xs text-muted">{t.description}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {renaming && (
        <RenameDialog
          funnel={renaming}
          onClose={() => setRenaming(null)}
          onDone={(f) => {
            onRenamed(f);
            void invalidate();
          }}
        />
      )}
      <Dialog
        open={!!deleting}
        onClose={() => setDeleting(null)}
        title="Delete this funnel?"
        size="sm"
        description={<>“{deleting?.name}” is removed for everyone in the workspace. The events stay; you can build the funnel again.</>}
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={del.isPending} onClick={() => deleting && del.mutate(deleting)}>
              Delete funnel
            </Button>
          </>
        }
      >
        {del.isError && (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(del.error)}
          </p>
        )}
      </Dialog>
    </div>
  );
}

function RenameDialog({ funnel, onClose, onDone }: { funnel: SavedFunnel; onClose: () => void; onDone: (f: SavedFunnel) => void }) {
  const [name, setName] = useState(funnel.name);
  const rename = useMutation({
    mutationFn: () => api("PATCH /api/v1/analytics/funnels/{id}", { params: { id: funnel.id }, body: { name: name.trim() } }),
    onSuccess: (f) => {
      toast.success("Funnel renamed.");
      onDone(f);
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} title="Rename funnel" size="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) rename.mutate();
        }}
        className="space-y-4"
      >
        <Field label="Name" error={rename.isError ? errorMessage(rename.error) : undefined}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required autoFocus />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={rename.isPending} disabled={!name.trim()}>
            Rename
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
