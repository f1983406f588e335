import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, errorMessage } from "../../lib/api";
import type { ChatMessage } from "../../lib/api-types";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Field, Select, Textarea } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { cx } from "../ui/cx";
import { Markdown } from "./Markdown";
import { STATUS_LABEL, statusTone } from "./ConversationList";
import { systemLineForAgent } from "./system-lines";
import { useChatSocket } from "./useChatSocket";

type Msg = ChatMessage;

/** One conversation: live transcript (ChatSession WebSocket), reply, assign, close, saved replies, AI suggestion, visitor details. */
export function ConversationView({ id, meId }: { id: string; meId: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canReply = ws.can("chat:reply");
  const detail = useQuery({
    queryKey: tkey(ws.id, "chat", "conv", id),
    queryFn: () => api("GET /api/v1/chat/conversations/{id}", { params: { id } }),
  });
  const canned = useQuery({ queryKey: tkey(ws.id, "chat", "canned"), queryFn: () => api("GET /api/v1/chat/canned-responses") });
  const [messages, setMessages] = useState<Map<number, Msg>>(new Map());
  const [streaming, setStreaming] = useState<{ reply_id: string; text: string } | null>(null);
  const [visitorTyping, setVisitorTyping] = useState(false);
  const [status, setStatus] = useState<{ status: string; assignee_id: string | null } | null>(null);
  const [draft, setDraft] = useState("");
  const [closing, setClosing] = useState(false);
  const logRef = useRef<HTMLOListElement>(null);
  const refreshLists = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "chat", "list") });

  useEffect(() => {
    setMessages(new Map());
    setStreaming(null);
    setStatus(null);
    setDraft("");
    void api("POST /api/v1/chat/conversations/{id}/read", { params: { id } })
      .then(refreshLists)
      .catch(() => {});
  }, [id]);

  const add = (list: Msg[]) =>
    setMessages((prev) => {
      const next = new Map(prev);
      for (const m of list) next.set(m.seq, m);
      return next;
    });
  const sock = useChatSocket(`/api/v1/chat/conversations/${id}/ws`, (ev) => {
    if (ev.type === "ready") {
      add(ev.messages);
      setStreaming(ev.streaming);
      setStatus(ev.conversation);
    } else if (ev.type === "message") {
      add([ev.message]);
      setStreaming((s) => (s && s.reply_id === ev.message.id ? null : s));
      if (ev.message.role === "visitor") setVisitorTyping(false);
    } else if (ev.type === "ai_start") setStreaming({ reply_id: ev.reply_id, text: "" });
    else if (ev.type === "ai_token")
      setStreaming((s) => ({ reply_id: ev.reply_id, text: (s && s.reply_id === ev.reply_id ? s.text : "") + ev.text }));
    else if (ev.type === "typing") setVisitorTyping(ev.role === "visitor" && ev.on);
    else if (ev.type === "status") {
      setStatus(ev.conversation);
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "chat", "conv", id) });
    } else if (ev.type === "error") toast.error(ev.detail);
  });

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [messages, streaming, visitorTyping]);

  const send = (e?: FormEvent) => {
    e?.preventDefault();
    const body = draft.trim();
    if (!body) return;
    if (sock.send({ type: "message", client_id: `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`, body }))
      setDraft("");
    else
      api("POST /api/v1/chat/conversations/{id}/messages", { params: { id }, body: { body } })
        .then(() => setDraft(""))
        .catch((err) => toast.error(errorMessage(err)));
  };
  const assign = useMutation({
    mutationFn: (userId: string | null) =>
      api("POST /api/v1/chat/conversations/{id}/assign", { params: { id }, body: { user_id: userId } }),
    onSuccess: () => refreshLists(),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const close = useMutation({
    mutationFn: () => api("POST /api/v1/chat/conversations/{id}/close", { params: { id } }),
    onSuccess: () => (setClosing(false), toast.success("Conversation closed"), refreshLists()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const suggest = useMutation({
    mutationFn: () => api("POST /api/v1/chat/conversations/{id}/suggest", { params: { id } }),
    onSuccess: (r) => setDraft(r.text),
    onError: (e) => toast.error(errorMessage(e)),
  });

  const d = detail.data;
  const st = status?.status ?? d?.status ?? "open";
  const assignee = status?.assignee_id ?? d?.assignee_id ?? null;
  const closed = st === "closed";
  const sorted = [...messages.values()].sort((a, b) => a.seq - b.seq);
  const name = d?.visitor_name || d?.visitor_email || "Anonymous visitor";

  return (
    <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
      <section className="flex min-h-0 flex-1 flex-col" aria-label={`Conversation with ${name}`}>
        <header className="flex flex-wrap items-center gap-2 border-b border-line px-4 py-3">
          <h2 className="mr-auto truncate text-base font-semibold">{name}</h2>
          <Badge tone={statusTone(st)}>{STATUS_LABEL[st] ?? st}</Badge>
          {!sock.connected && (
            <span className="text-xs text-muted" role="status">
              Connecting…
            </span>
          )}
          {canReply && !closed && assignee !== meId && (
            <Button size="sm" variant="secondary" loading={assign.isPending} onClick={() => assign.mutate(meId)}>
              Assign to me
            </Button>
          )}
          {canReply && !closed && assignee === meId && (
            <Button size="sm" variant="ghost" onClick={() => assign.mutate(null)}>
              Unassign
            </Button>
          )}
          {canReply && !closed && (
            <Button size="sm" variant="secondary" onClick={() => setClosing(true)}>
              Close
            </Button>
          )}
        </header>
        <ol
          ref={logRef}
          role="log"
          aria-live="polite"
          aria-label="Transcript"
          className="flex min-h-60 flex-1 flex-col gap-3 overflow-y-auto px-4 py-4"
        >
          {sorted.length === 0 && !streaming && (
            <li className="m-auto text-sm text-muted">{sock.connected ? "No messages yet." : <Skeleton className="h-16 w-64" />}</li>
          )}
          {sorted.map((m) => (
            <Bubble key={m.seq} m={m} />
          ))}
          {streaming && (
            <Bubble
              m={{
                seq: -1,
                id: streaming.reply_id,
                role: "ai",
                author_id: null,
                author_name: "Assistant",
                body: streaming.text || "…",
                citations: null,
                system: null,
                created_at: new Date().toISOString(),
              }}
            />
          )}
          {visitorTyping && <li className="text-xs italic text-muted">{name} is typing…</li>}
        </ol>
        {canReply && !closed ? (
          <form onSubmit={send} className="space-y-2 border-t border-line p-3">
            <Field label="Reply" hideLabel>
              <Textarea
                value={draft}
                rows={3}
                maxLength={4000}
                placeholder="Write a reply… (Enter to send, Shift+Enter for a new line)"
                onChange={(e) => {
                  setDraft(e.target.value);
                  sock.send({ type: "typing", on: e.target.value.length > 0 });
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && !e.shiftKey) send(e as unknown as FormEvent);
                }}
              />
            </Field>
            <div className="flex flex-wrap items-center gap-2">
              <Field label="Insert a saved reply" hideLabel className="w-48">
                <Select value="" onChange={(e) => e.target.value && setDraft((x) => (x ? `${x}\n` : "") + e.target.value)}>
                  <option value="">Saved replies…</option>
                  {canned.data?.data.map((c) => (
                    <option key={c.id} value={c.body}>
                      /{c.shortcut}
                    </option>
                  ))}
                </Select>
              </Field>
              <Button size="sm" variant="secondary" loading={suggest.isPending} onClick={() => suggest.mutate()}>
                Suggest reply (AI)
              </Button>
              <Button type="submit" size="sm" className="ml-auto" disabled={!draft.trim()}>
                Send
              </Button>
            </div>
          </form>
        ) : closed ? (
          <p className="border-t border-line p-3 text-sm text-muted">
            This conversation is closed{d?.csat_rating ? ` · rated ${d.csat_rating}/5${d.csat_comment ? `: “${d.csat_comment}”` : ""}` : ""}
            .
          </p>
        ) : null}
      </section>
      <aside
        className="w-full shrink-0 space-y-3 border-t border-line p-4 text-sm lg:w-64 lg:border-t-0 lg:border-l"
        aria-label="Visitor details"
      >
        <h3 className="font-semibold">Visitor</h3>
        {!d ? (
          <Skeleton className="h-24" />
        ) : (
          <dl className="space-y-2">
            <Item k="Name" v={d.visitor?.name ?? d.visitor_name} />
            <Item k="Email" v={d.visitor?.email ?? d.visitor_email} />
            <Item
              k="Identified user"
              v={
                d.visitor?.user_id ? (
                  <>
                    {d.visitor.user_id} {d.visitor.verified && <Badge tone="success">verified</Badge>}
                  </>
                ) : (
                  "Not identified"
                )
              }
            />
            <Item
              k="Page"
              v={
                d.page_url ? (
                  <a className="break-all text-accent underline" href={d.page_url} target="_blank" rel="noopener noreferrer">
                    {d.page_url}
                  </a>
                ) : null
              }
            />
            {d.prechat && Object.entries(d.prechat).map(([k, v]) => <Item key={k} k={`Pre-chat ${k}`} v={v} />)}
            <Item k="Started" v={formatDateTime(d.created_at)} />
            <Item k="First seen" v={d.visitor ? formatRelative(d.visitor.first_seen_at) : null} />
            <Item k="Conversations" v={d.visitor ? String(d.visitor.conversations) : null} />
          </dl>
        )}
      </aside>
      <ConfirmDialog
        open={closing}
        onClose={() => setClosing(false)}
        busy={close.isPending}
        title="Close this conversation?"
        confirmLabel="Close conversation"
        onConfirm={() => close.mutate()}
      >
        The visitor is asked to rate it and can start a new one.
      </ConfirmDialog>
    </div>
  );
}

function Item({ k, v }: { k: string; v: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-muted">{k}</dt>
      <dd className="break-words">{v || "—"}</dd>
    </div>
  );
}

function Bubble({ m }: { m: Msg }) {
  if (m.role === "system") return <li className="self-center text-center text-xs text-muted">{systemLineForAgent(m)}</li>;
  const mine = m.role === "agent";
  return (
    <li className={cx("flex max-w-[80%] flex-col gap-1", mine ? "self-end items-end" : "self-start")}>
      <span className="text-xs text-muted">
        {m.role === "visitor" ? "Visitor" : m.role === "ai" ? (m.author_name ?? "Assistant") : (m.author_name ?? "Agent")} ·{" "}
        <time dateTime={m.created_at}>{formatRelative(m.created_at)}</time>
      </span>
      <div
        className={cx(
          "rounded-2xl px-3 py-2 text-sm",
          mine ? "bg-accent text-accent-fg" : m.role === "ai" ? "border border-line bg-surface" : "bg-subtle",
        )}
      >
        {m.role === "visitor" || mine ? <span className="whitespace-pre-wrap">{m.body}</span> : <Markdown text={m.body} />}
      </div>
      {m.citations && m.citations.length > 0 && (
        <ol className="list-decimal pl-5 text-xs text-muted" aria-label="Sources">
          {m.citations.map((c, i) => (
            <li key={i}>
              {c.url ? (
                <a href={c.url} className="underline" target="_blank" rel="noopener noreferrer">
                  {c.title}
                </a>
              ) : (
                c.title
              )}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}
