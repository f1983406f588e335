import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { PageHeader } from "../ui/Card";
import { cx } from "../ui/cx";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { Tabs } from "../ui/Tabs";
import { DraftPanel } from "./DraftPanel";
import { LeadLabel } from "./LeadLabel";
import { RunDueButton } from "./RunDueButton";
import type { Draft, DraftStatus } from "./types";
import { MailIcon } from "../icons";

const VIEWS: { key: DraftStatus; label: string }[] = [
  { key: "pending", label: "To approve" },
  { key: "held", label: "Held by safety" },
  { key: "scheduled", label: "Scheduled" },
  { key: "sent", label: "Sent" },
  { key: "rejected", label: "Rejected" },
];

/** Did a key press come from a text field (shortcuts must not fire while typing)? */
const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

/** The approval queue: drafts on the left, the selected one with its lead, sources and actions on the right. j / k move, a approves. */
export function DraftsQueue() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [view, setView] = useState<DraftStatus>("pending");
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const query = { limit: 25, cursor: pager.cursor, status: view };
  const list = useQuery({
    queryKey: tkey(ws.id, "outreach", "drafts", query),
    queryFn: () => call<Page<Draft>>("GET", "/outreach/drafts", { query }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.data ?? [];
  const index = Math.max(
    0,
    rows.findIndex((d) => d.id === selectedId),
  );
  const selected = rows[index] ?? null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "j" || e.key === "k") {
        const next = rows[Math.min(rows.length - 1, Math.max(0, index + (e.key === "j" ? 1 : -1)))];
        if (next) {
          setSelectedId(next.id);
          document.getElementById(`draft-${next.id}`)?.scrollIntoView({ block: "nearest" });
        }
        e.preventDefault();
      } else if (e.key === "a" && selected?.status === "pending") {
        document.getElementById("draft-approve")?.click();
        e.preventDefault();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, index, selected]);
  // After an approve / reject the draft leaves the list: select the one that took its place.
  const afterDecision = () => setSelectedId(rows[index + 1]?.id ?? rows[index - 1]?.id ?? null);
  return (
    <>
      <PageHeader
        title="Drafts"
        description={
          <>
            Emails the writer drafted for enrolled leads. Nothing is sent until it is approved (unless its sequence auto-sends). Keys:{" "}
            <kbd>j</kbd> / <kbd>k</kbd> next / previous, <kbd>a</kbd> approve.
          </>
        }
        actions={<RunDueButton />}
      />
      <Tabs
        label="Draft status"
        items={VIEWS}
        value={view}
        onChange={(v) => {
          setView(v);
          setSelectedId(null);
          pager.reset();
        }}
      >
        {list.isPending ? (
          <TableSkeleton rows={5} />
        ) : list.isError ? (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : rows.length === 0 ? (
          <EmptyState icon={<MailIcon />} title={view === "pending" ? "Nothing to approve" : "No drafts here"}>
            Drafts appear when an enrolled lead reaches an email step inside its sending window.
          </EmptyState>
        ) : (
          <div className="grid gap-4 lg:grid-cols-[20rem_minmax(0,1fr)]">
            <div className="rounded-xl border border-line bg-surface shadow-sm">
              <ul className="max-h-[70vh] divide-y divide-line overflow-y-auto" aria-label="Drafts">
                {rows.map((d) => (
                  <li key={d.id} id={`draft-${d.id}`}>
                    <button
                      type="button"
                      aria-current={d.id === selected?.id ? "true" : undefined}
                      onClick={() => setSelectedId(d.id)}
                      className={cx("block w-full px-4 py-3 text-left hover:bg-subtle", d.id === selected?.id && "bg-accent-soft")}
                    >
                      <LeadLabel leadId={d.lead_id} />
                      <span className="block truncate text-sm">{d.subject}</span>
                      <span className="mt-0.5 flex items-center gap-2 text-xs text-muted">
                        {formatRelative(d.created_at)}
                        {d.held_for.length > 0 && <Badge tone="danger">Held</Badge>}
                        {d.local_writer && <Badge>Local writer</Badge>}
                      </span>
                      {d.status === "rejected" && d.reject_reason && (
                        <span className="mt-0.5 block truncate text-xs text-muted">Rejected: {d.reject_reason}</span>
                      )}
                    </button>
                  </li>
                ))}
              </ul>
              <Pager
                page={pager.page}
                hasPrev={pager.hasPrev}
                hasNext={Boolean(list.data?.next_cursor)}
                onPrev={pager.prev}
                onNext={() => pager.next(list.data?.next_cursor)}
              />
            </div>
            {selected && <DraftPanel key={selected.id} draft={selected} onDecided={afterDecision} />}
          </div>
        )}
      </Tabs>
    </>
  );
}
