import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { Button, buttonClass } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { Menu } from "../ui/Menu";
import { toast } from "../ui/Toast";
import type { Post } from "./client";

export type PostAction = "approve" | "reject" | "hide" | "unhide" | "delete" | "restore";
const LABEL: Record<PostAction, string> = {
  approve: "Approve",
  reject: "Reject",
  hide: "Hide",
  unhide: "Unhide",
  delete: "Delete",
  restore: "Restore",
};
const DONE: Record<PostAction, string> = {
  approve: "Approved: the post is visible",
  reject: "Rejected",
  hide: "Hidden from the community",
  unhide: "Visible again",
  delete: "Deleted",
  restore: "Restored",
};
/** Actions that take something away from the community are confirmed (with an optional reason). */
const CONFIRM = new Set<PostAction>(["hide", "delete", "reject"]);

/** The actions a post's status allows. */
export function actionsFor(status: Post["status"]): PostAction[] {
  if (status === "pending") return ["approve", "reject"];
  if (status === "hidden") return ["unhide", "delete"];
  if (status === "deleted") return ["restore"];
  return ["hide", "delete"];
}

export function usePostAction(onDone: () => void) {
  return useMutation({
    mutationFn: (a: { postId: string; action: PostAction; reason?: string }) =>
      api("POST /api/v1/forum/moderation/posts/{id}/{action}", {
        params: { id: a.postId, action: a.action },
        body: a.reason ? { reason: a.reason } : {},
      }),
    onSuccess: (_r, a) => {
      toast.success(DONE[a.action]);
      onDone();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
}

/** A post's moderation menu (hide / delete / restore …), with a confirmation for the destructive ones. */
export function PostModeration({ post, onDone }: { post: Post; onDone: () => void }) {
  const act = usePostAction(onDone);
  const [confirm, setConfirm] = useState<PostAction | null>(null);
  const run = (action: PostAction) => (CONFIRM.has(action) ? setConfirm(action) : act.mutate({ postId: post.id, action }));
  return (
    <>
      <Menu
        label={`Moderate post ${post.number}`}
        button={
          <>
            Moderate <span aria-hidden="true">▾</span>
          </>
        }
        buttonClassName={buttonClass("secondary", "sm")}
        items={actionsFor(post.status).map((a) => ({ label: LABEL[a], onSelect: () => run(a), danger: CONFIRM.has(a) }))}
      />
      <ConfirmPostAction
        action={confirm}
        busy={act.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={(reason) =>
          act.mutate({ postId: post.id, action: confirm as PostAction, reason }, { onSettled: () => setConfirm(null) })
        }
      />
    </>
  );
}

export function ConfirmPostAction({
  action,
  busy,
  onCancel,
  onConfirm,
}: {
  action: PostAction | null;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string | undefined) => void;
}) {
  const [reason, setReason] = useState("");
  return (
    <Dialog
      open={action !== null}
      onClose={onCancel}
      title={`${action ? LABEL[action] : ""} this post?`}
      description={
        action === "delete"
          ? "It leaves the community for everyone. The moderation log keeps the action, and Reverse brings the post back."
          : "It leaves the community (its author still sees it). Reverse it from the moderation log."
      }
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button variant="danger" loading={busy} onClick={() => onConfirm(reason.trim() || undefined)}>
            {action ? LABEL[action] : ""}
          </Button>
        </>
      }
    >
      <Field label="Reason (optional, kept in the log)">
        <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
      </Field>
    </Dialog>
  );
}
