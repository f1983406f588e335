import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Body, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button, buttonClass } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { Menu, type MenuItem } from "../ui/Menu";
import { toast } from "../ui/Toast";
import type { TopicView } from "./client";

type Topic = TopicView["topic"];
type Action = "lock" | "unlock" | "pin" | "unpin" | "move" | "hide" | "unhide" | "delete" | "restore";
const DONE: Record<Action, string> = {
  lock: "Locked: only staff and moderators can reply",
  unlock: "Unlocked",
  pin: "Pinned",
  unpin: "Unpinned",
  move: "Moved",
  hide: "Hidden from the community",
  unhide: "Visible again",
  delete: "Deleted",
  restore: "Restored",
};

/** A topic's moderation menu: lock, pin (category / everywhere), move, hide, delete — the last three confirmed. */
export function TopicModeration({ topic, onDone }: { topic: Topic; onDone: () => void }) {
  const ws = useWorkspace();
  const [confirm, setConfirm] = useState<"hide" | "delete" | "move" | null>(null);
  const [reason, setReason] = useState("");
  const [categoryId, setCategoryId] = useState(topic.category_id);
  const cats = useQuery({
    queryKey: tkey(ws.id, "forum", "categories"),
    queryFn: () => api("GET /api/v1/forum/categories"),
    enabled: confirm === "move",
  });
  const act = useMutation({
    mutationFn: (a: { action: Action; body?: Body<"POST /api/v1/forum/moderation/topics/{id}/{action}"> }) =>
      api("POST /api/v1/forum/moderation/topics/{id}/{action}", { params: { id: topic.id, action: a.action }, body: a.body ?? {} }),
    onSuccess: (_r, a) => {
      setConfirm(null);
      setReason("");
      toast.success(DONE[a.action]);
      onDone();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const items: MenuItem[] = [
    topic.locked
      ? { label: "Unlock", onSelect: () => act.mutate({ action: "unlock" }) }
      : { label: "Lock", onSelect: () => act.mutate({ action: "lock" }) },
    ...(topic.pinned === "none"
      ? [
          { label: "Pin in its category", onSelect: () => act.mutate({ action: "pin", body: { scope: "category" } }) },
          { label: "Pin everywhere", onSelect: () => act.mutate({ action: "pin", body: { scope: "global" } }) },
        ]
      : [{ label: "Unpin", onSelect: () => act.mutate({ action: "unpin" }) }]),
    { label: "Move to another category…", onSelect: () => setConfirm("move") },
    topic.status === "hidden"
      ? { label: "Unhide", onSelect: () => act.mutate({ action: "unhide" }) }
      : { label: "Hide…", onSelect: () => setConfirm("hide"), danger: true, disabled: topic.status !== "visible" },
    topic.status === "deleted"
      ? { label: "Restore", onSelect: () => act.mutate({ action: "restore" }) }
      : { label: "Delete…", onSelect: () => setConfirm("delete"), danger: true },
  ];
  return (
    <>
      <Menu
        label="Topic moderation"
        button={
          <>
            Moderate topic <span aria-hidden="true">▾</span>
          </>
        }
        buttonClassName={buttonClass("secondary")}
        items={items}
      />
      <Dialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === "move" ? "Move this topic" : confirm === "delete" ? "Delete this topic?" : "Hide this topic?"}
        description={
          confirm === "move"
            ? "It keeps its posts and address; readers of the new category see it."
            : "It leaves the community with all its posts. The moderation log keeps the action, and Reverse brings it back."
        }
        size="sm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button
              variant={confirm === "move" ? "primary" : "danger"}
              loading={act.isPending}
              disabled={confirm === "move" && categoryId === topic.category_id}
              onClick={() =>
                confirm === "move"
                  ? act.mutate({ action: "move", body: { category_id: categoryId } })
                  : confirm && act.mutate({ action: confirm, body: reason.trim() ? { reason: reason.trim() } : {} })
              }
            >
              {confirm === "move" ? "Move" : confirm === "delete" ? "Delete" : "Hide"}
            </Button>
          </>
        }
      >
        {confirm === "move" ? (
          <Field label="Category">
            <Select value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              {(cats.data?.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Field label="Reason (optional, kept in the log)">
            <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
          </Field>
        )}
      </Dialog>
    </>
  );
}
