import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Dialog } from "../ui/Dialog";
import { NoteBody, TypeBadge } from "./common";
import { GiftIcon } from "./icons";

const POLL_MS = 5 * 60_000;

/**
 * The top bar's "What's new": a button with the count of this workspace's release notes the user
 * has not seen, opening a dialog with the notes (server-rendered HTML). Opening it marks them read
 * up to the newest one shown (the server keeps one watermark per user and workspace).
 */
export function WhatsNew() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const key = tkey(ws.id, "releases", "whats-new");
  const feed = useQuery({
    queryKey: key,
    queryFn: () => api("GET /api/v1/releases/whats-new", { query: { limit: 20 } }),
    enabled: ws.can("releases:read"),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
  const read = useMutation({
    mutationFn: (through: string) => api("POST /api/v1/releases/whats-new/read", { body: { through } }),
    // The dialog keeps showing what was new when it opened; only the badge clears.
    onSuccess: (state) => qc.setQueryData(key, (d: typeof feed.data) => d && { ...d, unread_count: state.unread_count }),
  });
  if (!ws.can("releases:read")) return null;
  const unread = feed.data?.unread_count ?? 0;
  const notes = feed.data?.data ?? [];

  const openPanel = () => {
    setOpen(true);
    const newest = notes[0]?.published_at;
    if (unread > 0 && newest) read.mutate(newest);
  };

  return (
    <>
      <button
        type="button"
        onClick={openPanel}
        aria-label={unread ? `What's new, ${unread} unread` : "What's new"}
        aria-haspopup="dialog"
        className="relative rounded-lg p-2 text-muted hover:bg-subtle hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
        data-testid="whats-new"
      >
        <GiftIcon />
        {unread > 0 && (
          <span
            aria-hidden="true"
            data-testid="whats-new-badge"
            className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-accent px-1.5 text-center text-[11px] font-semibold leading-5 text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="What's new" description={`Release notes of ${ws.name}.`} size="lg">
        <div className="-mx-6 max-h-[60vh] overflow-y-auto px-6">
          {feed.isError ? (
            <p role="alert" className="text-sm text-danger">
              {errorMessage(feed.error)}
            </p>
          ) : notes.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted">No release notes yet.</p>
          ) : (
            <ul className="divide-y divide-line">
              {notes.map((n) => (
                <li key={n.id} className="py-4 first:pt-0">
                  <div className="flex flex-wrap items-center gap-2 text-xs text-muted">
                    <TypeBadge type={n.type} />
                    {n.unread && (
                      <span className="rounded-full bg-accent px-2 py-0.5 text-[11px] font-semibold text-white">
                        New<span className="sr-only"> (unread)</span>
                      </span>
                    )}
                    {n.version && <span>Version {n.version}</span>}
                    <time dateTime={n.published_at}>{formatDate(n.published_at)}</time>
                  </div>
                  <h3 className="mt-1 font-semibold">{n.title}</h3>
                  <NoteBody html={n.body_html} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="mt-4 flex flex-wrap justify-between gap-2 border-t border-line pt-3 text-sm">
          <a href={`/changelog/${ws.slug}`} target="_blank" rel="noopener" className="font-medium text-accent hover:underline">
            Public changelog
          </a>
          {ws.can("releases:write") && (
            <Link to="/releases" onClick={() => setOpen(false)} className="font-medium text-accent hover:underline">
              Write release notes
            </Link>
          )}
        </div>
      </Dialog>
    </>
  );
}
