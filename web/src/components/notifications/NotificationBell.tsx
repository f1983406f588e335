import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useId, useRef, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { cx } from "../ui/cx";
import { PushToggle } from "./PushToggle";

const POLL_MS = 30_000;
const BellIcon = () => (
  <svg
    aria-hidden="true"
    viewBox="0 0 24 24"
    className="h-5 w-5"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.8"
    strokeLinecap="round"
    strokeLinejoin="round"
  >
    <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
  </svg>
);

/**
 * The notification centre: a bell with the unread count (polled lightly, and refreshed when the
 * tab regains focus), a popover list, mark read / mark all read.
 */
export function NotificationBell() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const btn = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const count = useQuery({
    queryKey: tkey(ws.id, "notifications", "count"),
    queryFn: () => api("GET /api/v1/notifications/unread-count"),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
  const list = useQuery({
    queryKey: tkey(ws.id, "notifications", "list"),
    queryFn: () => api("GET /api/v1/notifications", { query: { limit: 20 } }),
    enabled: open,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "notifications") });
  const read = useMutation({
    mutationFn: (id: string) => api("POST /api/v1/notifications/{id}/read", { params: { id } }),
    onSuccess: refresh,
  });
  const readAll = useMutation({ mutationFn: () => api("POST /api/v1/notifications/read-all"), onSuccess: refresh });
  const unread = count.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !btn.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false), btn.current?.focus();
    };
    document.addEventListener("mousedown", onDoc);
    document.addEventListener("keydown", onKey);
    panel.current?.querySelector<HTMLElement>("button, a")?.focus();
    return () => (document.removeEventListener("mousedown", onDoc), document.removeEventListener("keydown", onKey));
  }, [open]);

  return (
    <div className="relative">
      <button
        ref={btn}
        type="button"
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="relative rounded-lg p-2 text-muted hover:bg-subtle hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
        data-testid="notification-bell"
      >
        <BellIcon />
        {unread > 0 && (
          <span
            aria-hidden="true"
            className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-accent px-1.5 text-center text-[11px] font-semibold leading-5 text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          ref={panel}
          id={panelId}
          role="region"
          aria-label="Notifications"
          className="absolute right-0 z-40 mt-2 w-[22rem] max-w-[calc(100vw-2rem)] rounded-xl border border-line bg-surface shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-line px-4 py-2.5">
            <h2 className="text-sm font-semibold">Notifications</h2>
            <button
              type="button"
              disabled={!unread || readAll.isPending}
              onClick={() => readAll.mutate()}
              className="rounded px-2 py-1 text-xs font-medium text-accent hover:bg-subtle disabled:text-muted disabled:hover:bg-transparent"
            >
              Mark all read
            </button>
          </div>
          <div className="max-h-96 overflow-y-auto" aria-live="polite">
            {list.isPending ? (
              <p className="p-4 text-sm text-muted">Loading…</p>
            ) : list.isError ? (
              <p role="alert" className="p-4 text-sm text-danger">
                {errorMessage(list.error)}
              </p>
            ) : list.data.data.length === 0 ? (
              <div className="p-6 text-center text-sm text-muted">
                <p className="font-medium text-fg">You're all caught up</p>
                <p>Notifications for this workspace will appear here.</p>
              </div>
            ) : (
              <ul className="divide-y divide-line">
                {list.data.data.map((n) => (
                  <li key={n.id} className={cx("flex gap-3 px-4 py-3", !n.read_at && "bg-accent-soft/40")}>
                    <span
                      aria-hidden="true"
                      className={cx("mt-1.5 h-2 w-2 shrink-0 rounded-full", n.read_at ? "bg-transparent" : "bg-accent")}
                    />
                    <div className="min-w-0 flex-1">
                      <p className="text-sm font-medium">
                        {n.link ? (
                          <a href={n.link} onClick={() => !n.read_at && read.mutate(n.id)} className="hover:underline">
                            {n.title}
                          </a>
                        ) : (
                          n.title
                        )}
                        {!n.read_at && <span className="sr-only"> (unread)</span>}
                      </p>
                      <p className="line-clamp-2 text-sm text-muted">{n.body}</p>
                      <p className="mt-1 text-xs text-muted">
                        <time dateTime={n.created_at}>{formatRelative(n.created_at)}</time>
                      </p>
                    </div>
                    {!n.read_at && (
                      <button
                        type="button"
                        onClick={() => read.mutate(n.id)}
                        className="self-start rounded px-2 py-1 text-xs text-muted hover:bg-subtle hover:text-fg"
                      >
                        Mark read<span className="sr-only">: {n.title}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="flex items-start justify-between gap-3 border-t border-line px-4 py-2">
            <PushToggle />
            <Link to="/messaging" onClick={() => setOpen(false)} className="text-xs font-medium text-accent hover:underline">
              Messaging and delivery log
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
