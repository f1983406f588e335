import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { CategoryDialog } from "./CategoryDialog";
import { type Category, POST_ACCESS, READ_ACCESS } from "./client";
import { TopicIcon } from "./icons";

const label = (list: readonly { value: string; label: string }[], v: string) => list.find((x) => x.value === v)?.label ?? v;

/**
 * Categories in their order. Reorder with the ↑/↓ buttons or, on a focused row, Alt+↑/Alt+↓
 * (sent as the whole new order, as the API wants it); edit in a dialog; archive (reversible) or
 * delete an empty one after a confirmation.
 */
export function CategoriesCard({ canManage }: { canManage: boolean }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "forum", "categories");
  const list = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/forum/categories") });
  const [editing, setEditing] = useState<Category | "new" | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const cats = list.data?.data ?? [];
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const reorder = useMutation({
    mutationFn: (ids: string[]) => api("POST /api/v1/forum/categories/reorder", { body: { ids } }),
    onSuccess: () => refresh(),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const archive = useMutation({
    mutationFn: (c: Category) => api("PATCH /api/v1/forum/categories/{id}", { params: { id: c.id }, body: { archived: !c.archived } }),
    onSuccess: (_r, c) => {
      void refresh();
      toast.success(c.archived ? `${c.name} is back` : `${c.name} archived: hidden from the community, its topics kept`);
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (c: Category) => api("DELETE /api/v1/forum/categories/{id}", { params: { id: c.id } }),
    onSuccess: (_r, c) => {
      setDeleting(null);
      void refresh();
      toast.success(`${c.name} deleted`);
    },
    onError: (e) => {
      setDeleting(null);
      toast.error(errorMessage(e));
    },
  });
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= cats.length || reorder.isPending) return;
    const ids = cats.map((c) => c.id);
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
    // Show the new order at once; the server's answer (or the refetch after an error) settles it.
    qc.setQueryData(key, { ...list.data, data: ids.map((id) => cats.find((c) => c.id === id) as Category) });
    reorder.mutate(ids, {
      onSettled: () => document.querySelector<HTMLElement>(`[data-category-row="${cats[i]?.id}"]`)?.focus(),
    });
  };
  return (
    <Card
      title="Categories"
      description="Where topics live, who may read them and who may start or answer topics."
      actions={canManage && <Button onClick={() => setEditing("new")}>New category</Button>}
      bodyClassName="p-0"
    >
      {list.isLoading ? (
        <TableSkeleton rows={3} />
      ) : cats.length === 0 ? (
        <EmptyState icon={<TopicIcon className="size-6" />} title="No categories yet">
          Topics are started in a category. Make one for questions, one for ideas, one for announcements…
        </EmptyState>
      ) : (
        <ol aria-label="Categories in order" className="divide-y divide-line">
          {cats.map((c, i) => (
            <li
              key={c.id}
              data-category-row={c.id}
              tabIndex={canManage ? 0 : undefined}
              aria-label={`${c.name}, position ${i + 1} of ${cats.length}`}
              onKeyDown={(e) => {
                if (!canManage || !e.altKey) return;
                if (e.key === "ArrowUp" || e.key === "ArrowDown") {
                  e.preventDefault();
                  move(i, e.key === "ArrowUp" ? -1 : 1);
                }
              }}
              className="flex flex-wrap items-center gap-3 px-5 py-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent"
            >
              <span aria-hidden="true" className="size-3 shrink-0 rounded-full" style={{ background: c.color }} />
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2 font-medium">
                  {c.name}
                  {c.archived && <Badge>Archived</Badge>}
                  {c.questions && <Badge tone="accent">Questions</Badge>}
                  {c.read_access === "staff" && <Badge tone="warning">Staff only</Badge>}
                </p>
                <p className="truncate text-xs text-muted">
                  Read: {label(READ_ACCESS, c.read_access)} · Topics: {label(POST_ACCESS, c.topic_access)} · Replies:{" "}
                  {label(POST_ACCESS, c.reply_access)}
                  {c.min_trust_to_topic > 0 ? ` · trust ≥ ${c.min_trust_to_topic} to start topics` : ""} · {c.topic_count} topics
                </p>
              </div>
              {canManage && (
                <div className="flex flex-wrap gap-1">
                  <Button variant="ghost" size="sm" aria-label={`Move ${c.name} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Move ${c.name} down`}
                    disabled={i === cats.length - 1}
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </Button>
                  <Button variant="secondary" size="sm" onClick={() => setEditing(c)}>
                    Edit
                  </Button>
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => archive.mutate(c)}
                    loading={archive.isPending && archive.variables?.id === c.id}
                  >
                    {c.archived ? "Unarchive" : "Archive"}
                  </Button>
                  <Button variant="ghost" size="sm" className="!text-danger" onClick={() => setDeleting(c)}>
                    Delete
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {canManage && cats.length > 1 && (
        <p className="border-t border-line px-5 py-2 text-xs text-muted">Tip: focus a row and press Alt+↑ or Alt+↓ to move it.</p>
      )}
      {editing && (
        <CategoryDialog
          category={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? "category"}?`}
        description="Only an empty category can be deleted. A category with topics can be archived instead: it leaves the community, its topics stay."
        size="sm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete
            </Button>
          </>
        }
      />
    </Card>
  );
}
