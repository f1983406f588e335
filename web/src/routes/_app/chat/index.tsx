import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { chime, useChatSocket } from "../../../components/chat/useChatSocket";
import { ConversationList } from "../../../components/chat/ConversationList";
import { ConversationView } from "../../../components/chat/ConversationView";
import { TicketList } from "../../../components/chat/TicketList";
import { TicketView } from "../../../components/chat/TicketView";
import { MailIcon } from "../../../components/icons";
import { Button } from "../../../components/ui/Button";
import { PageHeader } from "../../../components/ui/Card";
import { EmptyState } from "../../../components/ui/EmptyState";
import { Field, Input } from "../../../components/ui/Field";
import { TableSkeleton } from "../../../components/ui/Skeleton";
import { toast } from "../../../components/ui/Toast";
import { api, errorMessage } from "../../../lib/api";
import { useMe } from "../../../lib/auth";
import { tkey, useWorkspace } from "../../../lib/workspace";

const VIEWS = ["all", "waiting", "open", "mine", "closed", "tickets"] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABEL: Record<View, string> = {
  all: "All",
  waiting: "Waiting for a person",
  open: "Open (AI)",
  mine: "Assigned to me",
  closed: "Closed",
  tickets: "Support tickets", // from the customer portal (modules/endusers + tickets)
};

export const Route = createFileRoute("/_app/chat/")({
  validateSearch: (s: Record<string, unknown>): { c?: string; view?: View } => ({
    ...(typeof s.c === "string" ? { c: s.c } : {}),
    ...(typeof s.view === "string" && (VIEWS as readonly string[]).includes(s.view) ? { view: s.view as View } : {}),
  }),
  component: InboxPage,
});

function InboxPage() {
  const ws = useWorkspace();
  const me = useMe();
  const qc = useQueryClient();
  const nav = useNavigate({ from: "/chat/" });
  const { c: selected, view = "all" } = Route.useSearch();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [presence, setPresence] = useState<{ online: number } | null>(null);
  const [waitingAlert, setWaitingAlert] = useState(0);

  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);

  const list = useInfiniteQuery({
    queryKey: tkey(ws.id, "chat", "list", view, q),
    queryFn: ({ pageParam }) =>
      api("GET /api/v1/chat/conversations", {
        query: { view: view === "tickets" ? "all" : view, q: q || undefined, limit: 25, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.next_cursor ?? undefined,
    enabled: view !== "tickets",
  });
  const tickets = useInfiniteQuery({
    queryKey: tkey(ws.id, "tickets", "list"),
    queryFn: ({ pageParam }) => api("GET /api/v1/tickets", { query: { limit: 25, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.next_cursor ?? undefined,
    enabled: view === "tickets",
  });
  const openTickets = useQuery({
    queryKey: tkey(ws.id, "tickets", "open-count"),
    queryFn: () => api("GET /api/v1/tickets", { query: { status: "open", limit: 100 } }),
  });
  const waiting = useQuery({
    queryKey: tkey(ws.id, "chat", "list", "waiting-count"),
    queryFn: () => api("GET /api/v1/chat/conversations", { query: { view: "waiting", limit: 100 } }),
  });

  // Live feed from the workspace's TenantInbox.
  const live = useChatSocket("/api/v1/chat/inbox/ws", (ev) => {
    if (ev.type === "presence") setPresence({ online: ev.online });
    else if (ev.type === "conversation") {
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "chat", "list") });
      if (ev.handoff) {
        chime();
        setWaitingAlert((n) => n + 1);
        toast.success(`${ev.conversation.visitor_name || "A visitor"} is asking for a person`);
      }
    }
  });
  useEffect(() => {
    if (!waitingAlert) return;
    const base = document.title;
    document.title = `(${waitingAlert}) Waiting — ${base}`;
    const t = setTimeout(() => (document.title = base), 6000);
    return () => (clearTimeout(t), void (document.title = base));
  }, [waitingAlert]);

  const items = list.data?.pages.flatMap((p) => p.data) ?? [];
  const ticketItems = tickets.data?.pages.flatMap((p) => p.data) ?? [];
  const openTicketCount = openTickets.data ? `${openTickets.data.data.length}${openTickets.data.next_cursor ? "+" : ""}` : "";
  const waitingCount = waiting.data ? `${waiting.data.data.length}${waiting.data.next_cursor ? "+" : ""}` : "";
  return (
    <>
      <PageHeader
        title="Inbox"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className={presence?.online ? "size-2 rounded-full bg-success" : "size-2 rounded-full bg-muted"} aria-hidden="true" />
            {live.connected
              ? `${presence?.online ?? 1} agent${presence?.online === 1 ? "" : "s"} online · live`
              : "Connecting to live updates…"}
          </span>
        }
        actions={
          ws.can("chat:read") && (
            <Link to="/chat/settings" className="text-sm font-medium text-accent underline">
              Widget settings
            </Link>
          )
        }
      />
      <div className="flex min-h-[70vh] flex-col overflow-hidden rounded-xl border border-line bg-surface lg:flex-row">
        <div className="flex w-full shrink-0 flex-col border-b border-line lg:w-80 lg:border-r lg:border-b-0">
          <div className="space-y-2 border-b border-line p-3">
            <Field label="Search conversations" hideLabel>
              <Input
                type="search"
                placeholder="Search messages, names, emails"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
            </Field>
            <nav aria-label="Conversation views" className="flex flex-wrap gap-1">
              {VIEWS.map((v) => (
                <button
                  key={v}
                  type="button"
                  aria-pressed={view === v}
                  onClick={() => nav({ search: (s) => ({ ...s, view: v }) })}
                  className={
                    view === v
                      ? "rounded-lg bg-accent-soft px-2.5 py-1 text-xs font-medium text-accent"
                      : "rounded-lg px-2.5 py-1 text-xs font-medium text-muted hover:bg-subtle hover:text-fg"
                  }
                >
                  {VIEW_LABEL[v]}
                  {v === "waiting" && waitingCount && waitingCount !== "0" ? ` (${waitingCount})` : ""}
                  {v === "tickets" && openTicketCount && openTicketCount !== "0" ? ` (${openTicketCount})` : ""}
                </button>
              ))}
            </nav>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">
            {view === "tickets" ? (
              tickets.isPending ? (
                <TableSkeleton rows={4} />
              ) : tickets.isError ? (
                <p role="alert" className="p-4 text-sm text-danger">
                  {errorMessage(tickets.error)}
                </p>
              ) : ticketItems.length === 0 ? (
                <EmptyState icon={<MailIcon />} title="No support tickets">
                  When customers ask for help from their portal, their tickets appear here.
                </EmptyState>
              ) : (
                <>
                  <TicketList
                    items={ticketItems}
                    selected={selected ?? null}
                    onSelect={(id) => nav({ search: (s) => ({ ...s, c: id }) })}
                  />
                  {tickets.hasNextPage && (
                    <div className="p-3">
                      <Button
                        variant="secondary"
                        size="sm"
                        className="w-full"
                        loading={tickets.isFetchingNextPage}
                        onClick={() => tickets.fetchNextPage()}
                      >
                        Load more
                      </Button>
                    </div>
                  )}
                </>
              )
            ) : list.isPending ? (
              <TableSkeleton rows={4} />
            ) : list.isError ? (
              <p role="alert" className="p-4 text-sm text-danger">
                {errorMessage(list.error)}
              </p>
            ) : items.length === 0 ? (
              <EmptyState icon={<MailIcon />} title={q ? "No matches" : "No conversations here"}>
                {q ? "Try other words." : "When visitors write through the chat widget, conversations appear here live."}
              </EmptyState>
            ) : (
              <>
                <ConversationList items={items} selected={selected ?? null} onSelect={(id) => nav({ search: (s) => ({ ...s, c: id }) })} />
                {list.hasNextPage && (
                  <div className="p-3">
                    <Button
                      variant="secondary"
                      size="sm"
                      className="w-full"
                      loading={list.isFetchingNextPage}
                      onClick={() => list.fetchNextPage()}
                    >
                      Load more
                    </Button>
                  </div>
                )}
              </>
            )}
          </div>
        </div>
        {selected?.startsWith("tkt_") ? (
          <TicketView key={selected} id={selected} />
        ) : selected && me.data ? (
          <ConversationView key={selected} id={selected} meId={me.data.user.id} />
        ) : (
          <div className="m-auto p-8">
            <EmptyState icon={<MailIcon />} title="Pick a conversation">
              Choose one on the left to read the transcript and reply.
            </EmptyState>
          </div>
        )}
      </div>
    </>
  );
}
