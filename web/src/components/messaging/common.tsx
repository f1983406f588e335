import { Badge } from "../ui/Badge";

type Tone = Parameters<typeof Badge>[0]["tone"];
const TONE: Record<string, Tone> = {
  delivered: "success",
  sent: "success",
  queued: "neutral",
  scheduled: "neutral",
  sending: "accent",
  retrying: "warning",
  failed: "danger",
  bounced: "danger",
  complained: "danger",
  suppressed: "neutral",
  cancelled: "neutral",
  enabled: "success",
  disabled: "danger",
  subscribed: "success",
  pending: "warning",
  unsubscribed: "neutral",
} as Record<string, Tone>;

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONE[status] ?? "neutral"}>{status}</Badge>;
}

/** Marks something served by a local stand-in rather than a real provider. */
export function LocalBadge({ children = "local" }: { children?: string }) {
  return (
    <span className="rounded border border-amber-400/60 bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
      {children}
    </span>
  );
}
