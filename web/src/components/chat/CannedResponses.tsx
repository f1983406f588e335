import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { FormError } from "../AuthLayout";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Textarea } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";

/** Saved replies: inserted by agents, and the local answerer's source of answers. */
export function CannedResponses() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("chat:manage");
  const key = tkey(ws.id, "chat", "canned");
  const list = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/chat/canned-responses") });
  const [form, setForm] = useState({ shortcut: "", body: "" });
  const [removing, setRemoving] = useState<{ id: string; shortcut: string } | null>(null);
  const create = useMutation({
    mutationFn: () => api("POST /api/v1/chat/canned-responses", { body: form }),
    onSuccess: () => (setForm({ shortcut: "", body: "" }), toast.success("Saved reply added"), qc.invalidateQueries({ queryKey: key })),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api("DELETE /api/v1/chat/canned-responses/{id}", { params: { id } }),
    onSuccess: () => (setRemoving(null), toast.success("Saved reply deleted"), qc.invalidateQueries({ queryKey: key })),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const err = create.error instanceof ApiError ? create.error : null;
  const items = list.data?.data ?? [];
  return (
    <Card
      title="Saved replies"
      description="Agents insert these in the inbox. Without an AI provider configured, the local answerer replies to visitors only from these (labelled “local”)."
    >
      {list.isPending ? (
        <TableSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState title="No saved replies yet">Add answers to common questions — shipping, refunds, opening hours.</EmptyState>
      ) : (
        <ul className="mb-4 divide-y divide-line">
          {items.map((c) => (
            <li key={c.id} className="flex items-start justify-between gap-3 py-3">
              <div className="min-w-0">
                <code className="text-xs font-semibold">/{c.shortcut}</code>
                <p className="whitespace-pre-wrap text-sm text-muted">{c.body}</p>
              </div>
              {canManage && (
                <Button
                  size="sm"
                  variant="ghost"
                  className="text-danger"
                  aria-label={`Delete /${c.shortcut}`}
                  onClick={() => setRemoving(c)}
                >
                  Delete
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form
          onSubmit={(e: FormEvent) => (e.preventDefault(), create.mutate())}
          className="grid gap-3 sm:grid-cols-[10rem_1fr_auto] sm:items-end"
        >
          <FormError message={create.error && !err?.field("shortcut") && !err?.field("body") ? errorMessage(create.error) : null} />
          <Field label="Shortcut" error={err?.field("shortcut")}>
            <Input
              value={form.shortcut}
              onChange={(e) => setForm({ ...form, shortcut: e.target.value })}
              placeholder="shipping"
              required
              maxLength={40}
            />
          </Field>
          <Field label="Reply" error={err?.field("body")}>
            <Textarea
              value={form.body}
              onChange={(e) => setForm({ ...form, body: e.target.value })}
              rows={2}
              required
              maxLength={4000}
              className="min-h-10"
            />
          </Field>
          <Button type="submit" loading={create.isPending}>
            Add
          </Button>
        </form>
      )}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        busy={remove.isPending}
        title={`Delete /${removing?.shortcut}?`}
        confirmLabel="Delete"
        onConfirm={() => removing && remove.mutate(removing.id)}
      >
        Agents will no longer see it, and the local answerer stops using it.
      </ConfirmDialog>
    </Card>
  );
}
