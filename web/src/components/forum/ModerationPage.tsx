import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { NoteBody } from "../releases/common";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { Tabs } from "../ui/Tabs";
import { toast } from "../ui/Toast";
import { AuthorName } from "./AuthorName";
import { FLAG_REASON, HELD_FOR, type QueueItem, type QueueKind } from "./client";
import { FlagIcon } from "./icons";
import { ModerationLog } from "./ModerationLog";
import { ConfirmPostAction, type PostAction, usePostAction } from "./PostModeration";

type Tab = QueueKind | "log";
const TABS: { key: Tab; label: string }[] = [
  { key: "flagged", label: "Flagged" },
  { key: "pending", label: "Held for approval" },
  { key: "ai", label: "AI-held" },
  { key: "log", label: "Moderation log" },
];
const EMPTY: Record<QueueKind, { title: string; text: string }> = {
  flagged: { title: "No flagged posts", text: "When members flag a post as spam, off-topic or abusive, it waits here for a decision." },
  pending: {
    title: "Nothing held",
    text: "New members' first posts, silenced members' posts and posts the AI check holds wait here for approval.",
  },
  ai: {
    title: "Nothing held by the AI check",
    text: "With AI moderation on (Settings), posts it judges spam or abuse are held here with its reason.",
  },
};

/**
 * Community → Moderation: flagged posts (reasons and flaggers), held posts (new members, silenced,
 * AI-held with the AI's label and explanation), their actions, and the moderation log with Reverse.
 */
export function ModerationPage() {
  const ws = useWorkspace();
  const [tab, setTab] = useState<Tab>("flagged");
  return (
    <>
      <PageHeader title="Moderation" description="Decide on flagged and held posts. Every action is logged and can be reversed." />
      <Tabs label="Moderation" items={TABS} value={tab} onChange={setTab}>
        <div className="pt-4">
          {tab === "log" ? <ModerationLog canReverse={ws.can("forum:moderate")} /> : <Queue kind={tab} key={tab} />}
        </div>
      </Tabs>
    </>
  );
}

function Queue({ kind }: { kind: QueueKind }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const query = { kind, cursor: pager.cursor, limit: 20 };
  const list = useQuery({
    queryKey: tkey(ws.id, "forum", "queue", query),
    queryFn: () => api("GET /api/v1/forum/moderation/queue", { query }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => {
    for (const k of ["queue", "actions", "activity", "topic", "topics"]) void qc.invalidateQueries({ queryKey: tkey(ws.id, "forum", k) });
  };
  if (list.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(list.error)}
      </p>
    );
  if (!list.data) return <TableSkeleton />;
  const items = list.data.data;
  if (items.length === 0)
    return (
      <Card>
        <EmptyState icon={<FlagIcon className="size-6" />} title={EMPTY[kind].title}>
          {EMPTY[kind].text}
        </EmptyState>
      </Card>
    );
  return (
    <>
      <ul aria-label="Queue" className="space-y-4">
        {items.map((item) => (
          <li key={item.post.id}>
            <QueueCard item={item} canAct={ws.can("forum:moderate")} onDone={refresh} />
          </li>
        ))}
      </ul>
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(list.data.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(list.data?.next_cursor)}
      />
    </>
  );
}

function QueueCard({ item, canAct, onDone }: { item: QueueItem; canAct: boolean; onDone: () => void }) {
  const { post, topic, flags, ai_review: ai } = item;
  const act = usePostAction(onDone);
  const [confirm, setConfirm] = useState<PostAction | null>(null);
  const decide = useMutation({
    mutationFn: (d: { flagId: string; decision: "agree" | "disagree" | "ignore" }) =>
      api("POST /api/v1/forum/moderation/flags/{id}/{decision}", { params: { id: d.flagId, decision: d.decision } }),
    onSuccess: (_r, d) => {
      toast.success(
        d.decision === "agree"
          ? "Flags agreed: the post stays hidden"
          : d.decision === "disagree"
            ? "Flags rejected: the post is visible"
            : "Flags ignored",
      );
      onDone();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const override = useMutation({
    mutationFn: (verdict: "allow" | "hold") =>
      api("POST /api/v1/forum/moderation/posts/{id}/ai-override", { params: { id: post.id }, body: { verdict } }),
    onSuccess: (_r, v) => {
      toast.success(v === "allow" ? "AI decision overruled: the post is visible" : "Kept held");
      onDone();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const busy = act.isPending || decide.isPending || override.isPending;
  const held = post.status === "pending";
  return (
    <article
      aria-label={`Post by ${post.author.display_name} in ${topic.title}`}
      className="rounded-xl border border-line bg-surface shadow-sm"
    >
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-line px-4 py-2.5 text-sm">
        <span className="flex min-w-0 flex-wrap items-center gap-2">
          <AuthorName author={post.author} withHandle />
          <span className="text-muted">
            in{" "}
            <Link to="/forum/topics/$id" params={{ id: topic.id }} className="text-fg hover:underline">
              {topic.title}
            </Link>{" "}
            · #{post.number} · {formatRelative(post.created_at)}
          </span>
        </span>
        <span className="flex flex-wrap gap-1">
          {held && <Badge tone="warning">{HELD_FOR[post.hidden_reason ?? ""] ?? "Held"}</Badge>}
          {post.status === "hidden" && <Badge tone="danger">Hidden{post.hidden_reason ? ` (${post.hidden_reason})` : ""}</Badge>}
          {post.status === "deleted" && <Badge>Deleted</Badge>}
        </span>
      </header>
      <div className="space-y-3 px-4 py-3">
        <NoteBody html={post.body_html} />
        {ai && (
          <div className="rounded-lg border border-accent/30 bg-accent-soft px-3 py-2 text-sm">
            <p className="flex flex-wrap items-center gap-2 font-medium">
              <Badge tone="accent">AI</Badge>
              {ai.verdict === "hold" ? "Held" : "Allowed"}: {ai.labels.join(", ") || "no label"}
              {ai.overridden_at && <span className="text-xs font-normal text-muted">(overruled)</span>}
            </p>
            {ai.explanation && <p className="mt-1 text-muted">{ai.explanation}</p>}
            <p className="mt-1 text-xs text-muted">Model: {ai.model}</p>
          </div>
        )}
        {flags.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">
              {flags.length} flag{flags.length === 1 ? "" : "s"} · weight {post.flag_weight}
            </h3>
            <ul className="mt-1 space-y-1 text-sm">
              {flags.map((f) => (
                <li key={f.id} className="flex flex-wrap items-center gap-2">
                  <Badge tone={f.reason === "spam" || f.reason === "abusive" ? "danger" : "warning"}>
                    {FLAG_REASON[f.reason] ?? f.reason}
                  </Badge>
                  <AuthorName author={f.flagger} />
                  {f.note && <span className="text-muted">“{f.note}”</span>}
                  <span className="text-xs text-muted">{formatRelative(f.created_at)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {canAct && (
        <footer className="flex flex-wrap gap-2 border-t border-line px-4 py-3">
          {held && (
            <>
              <Button
                size="sm"
                disabled={busy}
                onClick={() =>
                  ai && ai.verdict === "hold" && !ai.overridden_at
                    ? override.mutate("allow")
                    : act.mutate({ postId: post.id, action: "approve" })
                }
              >
                Approve
              </Button>
              <Button size="sm" variant="secondary" disabled={busy} onClick={() => setConfirm("reject")}>
                Reject
              </Button>
            </>
          )}
          {flags.length > 0 && (
            <>
              <Button
                size="sm"
                disabled={busy}
                onClick={() =>
                  post.status === "hidden" ? decide.mutate({ flagId: flags[0]?.id ?? "", decision: "agree" }) : setConfirm("hide")
                }
              >
                {post.status === "hidden" ? "Keep hidden (agree)" : "Hide post"}
              </Button>
              <Button
                size="sm"
                variant="secondary"
                disabled={busy}
                onClick={() => decide.mutate({ flagId: flags[0]?.id ?? "", decision: "disagree" })}
              >
                Keep visible (reject flags)
              </Button>
              <Button
                size="sm"
                variant="ghost"
                disabled={busy}
                onClick={() => decide.mutate({ flagId: flags[0]?.id ?? "", decision: "ignore" })}
              >
                Ignore flags
              </Button>
            </>
          )}
          {!held && post.status !== "deleted" && (
            <Button size="sm" variant="ghost" className="!text-danger" disabled={busy} onClick={() => setConfirm("delete")}>
              Delete post
            </Button>
          )}
          {post.status === "hidden" && flags.length === 0 && (
            <Button size="sm" variant="secondary" disabled={busy} onClick={() => act.mutate({ postId: post.id, action: "unhide" })}>
              Unhide
            </Button>
          )}
        </footer>
      )}
      <ConfirmPostAction
        action={confirm}
        busy={act.isPending || decide.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={(reason) => {
          const action = confirm as PostAction;
          const flagId = flags[0]?.id;
          // Agreeing with the flags hides the post and settles them in one logged action.
          if (flagId && action === "hide") return decide.mutate({ flagId, decision: "agree" }, { onSettled: () => setConfirm(null) });
          act.mutate(
            { postId: post.id, action, reason },
            {
              onSuccess: () => {
                if (flagId && action === "delete") decide.mutate({ flagId, decision: "agree" });
              },
              onSettled: () => setConfirm(null),
            },
          );
        }}
      />
    </article>
  );
}
