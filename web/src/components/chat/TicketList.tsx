import type { SupportTicket } from "../../lib/api-types";
import { formatRelative } from "../../lib/format";
import { Badge } from "../ui/Badge";
import { cx } from "../ui/cx";

/** Support tickets from the customer portal, listed in the agent inbox beside chat conversations. */
export const TICKET_STATUS_LABEL: Record<string, string> = {
  open: "Waiting for us",
  answered: "Answered",
  closed: "Closed",
};
export const ticketTone = (s: string) =>
  (s === "open" ? "warning" : s === "answered" ? "success" : "neutral") as "warning" | "success" | "neutral";

export function TicketList({
  items,
  selected,
  onSelect,
}: {
  items: SupportTicket[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <ul className="divide-y divide-line" aria-label="Support tickets">
      {items.map((t) => {
        const who = t.end_user.name || t.end_user.email || "Deleted customer";
        const active = t.id === selected;
        return (
          <li key={t.id}>
            <button
              type="button"
              onClick={() => onSelect(t.id)}
              aria-current={active ? "true" : undefined}
              className={cx(
                "flex w-full flex-col gap-1 px-4 py-3 text-left hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent",
                active && "bg-accent-soft",
              )}
            >
              <span className="flex items-center justify-between gap-2">
                <span className={cx("truncate text-sm text-fg", t.unread_agent > 0 ? "font-semibold" : "font-medium")}>
                  #{t.number} {t.subject}
                </span>
                <time className="shrink-0 text-xs text-muted" dateTime={t.last_message_at}>
                  {formatRelative(t.last_message_at)}
                </time>
              </span>
              <span className="truncate text-sm text-muted">
                {who}: {t.last_message}
              </span>
              <span className="flex items-center gap-2">
                <Badge tone="accent">Ticket</Badge>
                <Badge tone={ticketTone(t.status)}>{TICKET_STATUS_LABEL[t.status] ?? t.status}</Badge>
                {t.kind === "refund" && <Badge tone="warning">Refund request</Badge>}
                {t.unread_agent > 0 && (
                  <span className="rounded-full bg-accent px-2 text-xs font-semibold text-accent-fg">
                    {t.unread_agent}
                    <span className="sr-only"> unread</span>
                  </span>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
