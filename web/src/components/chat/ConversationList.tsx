import type { ChatConversation } from "../../lib/api-types";
import { formatRelative } from "../../lib/format";
import { Badge } from "../ui/Badge";
import { cx } from "../ui/cx";

export const STATUS_LABEL: Record<string, string> = {
  open: "AI / open",
  waiting: "Waiting for a person",
  assigned: "Assigned",
  closed: "Closed",
};
export const statusTone = (s: string) =>
  (s === "waiting" ? "warning" : s === "assigned" ? "success" : s === "closed" ? "neutral" : "accent") as
    | "warning"
    | "success"
    | "neutral"
    | "accent";

export function ConversationList({
  items,
  selected,
  onSelect,
}: {
  items: ChatConversation[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <ul className="divide-y divide-line" aria-label="Conversations">
      {items.map((c) => {
        const name = c.visitor_name || c.visitor_email || "Anonymous visitor";
        const active = c.id === selected;
        return (
          <li key={c.id}>
            <button
              type="button"
              onClick={() => onSelect(c.id)}
              aria-current={active ? "true" : undefined}
              className={cx(
                "flex w-full flex-col gap-1 px-4 py-3 text-left hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent",
                active && "bg-accent-soft",
              )}
            >
              <span className="flex items-center justify-between gap-2">
                <span className={cx("truncate text-sm", c.unread > 0 ? "font-semibold text-fg" : "font-medium text-fg")}>{name}</span>
                <time className="shrink-0 text-xs text-muted" dateTime={c.last_message_at}>
                  {formatRelative(c.last_message_at)}
                </time>
              </span>
              <span className="truncate text-sm text-muted">{c.last_message ?? "No messages yet"}</span>
              <span className="flex items-center gap-2">
                <Badge tone={statusTone(c.status)}>{STATUS_LABEL[c.status] ?? c.status}</Badge>
                {c.unread > 0 && (
                  <span className="rounded-full bg-accent px-2 text-xs font-semibold text-accent-fg" aria-label={`${c.unread} unread`}>
                    {c.unread}
                  </span>
                )}
                {c.csat_rating != null && (
                  <span className="text-xs text-muted" aria-label={`Rated ${c.csat_rating} of 5`}>
                    {"★".repeat(c.csat_rating)}
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
