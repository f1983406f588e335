import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { NoteBody } from "../releases/common";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Textarea } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { AuthorName } from "./AuthorName";
import { type Post, STATUS_LABEL, STATUS_TONE } from "./client";
import { PostModeration } from "./PostModeration";
import { TopicModeration } from "./TopicModeration";

/**
 * One thread as staff see it: every post (held and hidden ones marked), a reply box that posts as
 * staff (the public page shows the staff badge), "Accept answer" on question topics, moderators'
 * post actions, and "Turn into knowledge" once a question is solved.
 */
export function TopicPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "forum", "topic", id);
  const view = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => api("GET /api/v1/forum/topics/{id}", { params: { id }, query: { after: pageParam } }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_after ?? undefined,
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: tkey(ws.id, "forum", "topics") });
  };
  const accept = useMutation({
    mutationFn: (p: { postId: string | null }) =>
      p.postId
        ? api("POST /api/v1/forum/topics/{id}/accepted", { params: { id }, body: { post_id: p.postId } })
        : api("DELETE /api/v1/forum/topics/{id}/accepted", { params: { id } }),
    onSuccess: (_r, p) => {
      refresh();
      toast.success(p.postId ? "Marked as the accepted answer: the topic shows as solved" : "Accepted answer removed");
    },
    onError: (e) => toast.error(errorMessage(e)),
  });

  if (view.isError)
    return (
      <div role="alert" className="space-y-3">
        <p className="text-sm text-danger">{errorMessage(view.error)}</p>
        <Link to="/forum/topics" className="text-sm text-accent underline">
          Back to topics
        </Link>
      </div>
    );
  const first = view.data?.pages[0];
  if (!first) return <PageSkeleton />;
  const t = first.topic;
  const posts = (view.data?.pages ?? []).flatMap((p) => p.posts);
  const canPost = ws.can("forum:post");
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link to="/forum/topics" className="hover:text-fg hover:underline">
          Topics
        </Link>
        {t.category && <> › {t.category.name}</>}
      </nav>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">{t.title}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-1.5 text-sm text-muted">
            {t.status !== "visible" && <Badge tone={STATUS_TONE[t.status]}>{STATUS_LABEL[t.status]}</Badge>}
            {t.kind === "question" && (t.solved ? <Badge tone="success">Solved</Badge> : <Badge tone="accent">Question</Badge>)}
            {t.locked && <Badge>Locked</Badge>}
            {t.pinned !== "none" && <Badge tone="warning">{t.pinned === "global" ? "Pinned everywhere" : "Pinned"}</Badge>}
            <span>
              {t.reply_count === 1 ? "1 reply" : `${t.reply_count} replies`} · {t.view_count === 1 ? "1 view" : `${t.view_count} views`} ·
              started {formatRelative(t.created_at)}
            </span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {t.solved && ws.can("forum:manage") && <ToKnowledge topicId={t.id} />}
          {ws.can("forum:moderate") && <TopicModeration topic={t} onDone={refresh} />}
        </div>
      </header>
      <ol aria-label="Posts" className="space-y-4">
        {posts.map((p) => (
          <li key={p.id}>
            <PostCard
              post={p}
              isQuestion={t.kind === "question"}
              canAccept={canPost && first.can_accept && p.number > 1}
              onAccept={() => accept.mutate({ postId: p.accepted ? null : p.id })}
              accepting={accept.isPending && (accept.variables?.postId === p.id || (p.accepted && accept.variables?.postId === null))}
              onChanged={refresh}
            />
          </li>
        ))}
      </ol>
      {view.hasNextPage && (
        <div className="mt-4 text-center">
          <Button variant="secondary" onClick={() => view.fetchNextPage()} loading={view.isFetchingNextPage}>
            Load more posts
          </Button>
        </div>
      )}
      {canPost && <ReplyBox topicId={id} locked={t.locked} onPosted={refresh} />}
    </>
  );
}

function PostCard({
  post: p,
  isQuestion,
  canAccept,
  onAccept,
  accepting,
  onChanged,
}: {
  post: Post;
  isQuestion: boolean;
  canAccept: boolean;
  onAccept: () => void;
  accepting: boolean;
  onChanged: () => void;
}) {
  const ws = useWorkspace();
  return (
    <article
      aria-label={`Post ${p.number} by ${p.author.display_name}`}
      className={
        p.accepted
          ? "rounded-xl border border-success bg-surface shadow-sm ring-1 ring-success"
          : p.status === "visible"
            ? "rounded-xl border border-line bg-surface shadow-sm"
            : "rounded-xl border border-dashed border-warning bg-surface shadow-sm"
      }
    >
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-line px-4 py-2.5 text-sm">
        <span className="flex flex-wrap items-center gap-2">
          <AuthorName author={p.author} withHandle />
          <span className="text-muted" title={formatDateTime(p.created_at)}>
            #{p.number} · {formatRelative(p.created_at)}
            {p.edited_at ? " · edited" : ""}
          </span>
          {p.status !== "visible" && (
            <Badge tone={STATUS_TONE[p.status]}>
              {STATUS_LABEL[p.status]}
              {p.hidden_reason ? ` (${p.hidden_reason})` : ""}
            </Badge>
          )}
          {p.accepted && <Badge tone="success">✓ Accepted answer</Badge>}
        </span>
        <span className="flex flex-wrap gap-1">
          {isQuestion && canAccept && p.status === "visible" && (
            <Button size="sm" variant={p.accepted ? "ghost" : "secondary"} onClick={onAccept} loading={accepting}>
              {p.accepted ? "Unaccept" : "Accept answer"}
            </Button>
          )}
          {ws.can("forum:moderate") && <PostModeration post={p} onDone={onChanged} />}
        </span>
      </header>
      <div className="px-4 py-3">
        {p.body_html ? <NoteBody html={p.body_html} /> : <p className="text-sm text-muted italic">(no text)</p>}
        {Object.entries(p.reactions).some(([, n]) => (n ?? 0) > 0) && (
          <p className="mt-2 flex flex-wrap gap-2 text-xs text-muted">
            {Object.entries(p.reactions)
              .filter(([, n]) => (n ?? 0) > 0)
              .map(([r, n]) => (
                <span key={r}>
                  {r} {n}
                </span>
              ))}
            {p.score !== 0 && <span>score {p.score}</span>}
          </p>
        )}
      </div>
    </article>
  );
}

function ReplyBox({ topicId, locked, onPosted }: { topicId: string; locked: boolean; onPosted: () => void }) {
  const [body, setBody] = useState("");
  const send = useMutation({
    mutationFn: () => api("POST /api/v1/forum/topics/{id}/posts", { params: { id: topicId }, body: { body } }),
    onSuccess: () => {
      setBody("");
      toast.success("Reply posted as staff");
      onPosted();
    },
  });
  const err = send.error instanceof ApiError ? send.error : null;
  return (
    <Card title="Reply as staff" description="Markdown. Your reply shows with the Staff badge in the community." className="mt-6">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim()) send.mutate();
        }}
        className="space-y-3"
      >
        {locked && <p className="text-sm text-warning">This topic is locked: only staff and moderators can reply.</p>}
        <Field
          label="Your reply"
          hideLabel
          error={err?.field("body") ?? (send.isError && !err?.field("body") ? errorMessage(send.error) : undefined)}
        >
          <Textarea
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={5}
            placeholder="Write a helpful answer…"
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && body.trim()) {
                e.preventDefault();
                send.mutate();
              }
            }}
          />
        </Field>
        <div className="flex items-center gap-3">
          <Button type="submit" loading={send.isPending} disabled={!body.trim()}>
            Post reply
          </Button>
          <span className="text-xs text-muted">Ctrl/⌘ + Enter</span>
        </div>
      </form>
    </Card>
  );
}

/** A solved question becomes a knowledge FAQ entry (the server takes the title and the accepted answer), after a confirmation. */
function ToKnowledge({ topicId }: { topicId: string }) {
  const [open, setOpen] = useState(false);
  const [collection, setCollection] = useState("community");
  const create = useMutation({
    mutationFn: () =>
      api("POST /api/v1/forum/topics/{id}/knowledge", { params: { id: topicId }, body: { collection: collection.trim() || undefined } }),
    onSuccess: () => {
      setOpen(false);
      toast.success("Added to knowledge: the chat assistant can answer with it once it is indexed");
    },
  });
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Turn into knowledge
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Turn into knowledge?"
        description="The question (title and first post) and its accepted answer become a knowledge FAQ entry, indexed for the chat assistant and search."
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button onClick={() => create.mutate()} loading={create.isPending}>
              Add to knowledge
            </Button>
          </>
        }
      >
        <Field label="Knowledge collection" error={create.isError ? errorMessage(create.error) : undefined}>
          <Input value={collection} onChange={(e) => setCollection(e.target.value)} maxLength={60} />
        </Field>
      </Dialog>
    </>
  );
}
