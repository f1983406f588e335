/** Types, labels and badges shared by the Destinations tab. */
import type { Res } from "../../../lib/api";
import { Badge } from "../../ui/Badge";

export type Destination = Res<"GET /api/v1/analytics/destinations">["data"][number];
export type ForwardBatch = Res<"GET /api/v1/analytics/destinations/{id}/deliveries">["data"][number];
export type Provider = Destination["provider"];

export const PROVIDERS: Record<Provider, { label: string; blurb: string }> = {
  mixpanel: { label: "Mixpanel", blurb: "Server-side /import with a service account (or the project's API secret)." },
  ga4: { label: "Google Analytics 4", blurb: "Measurement Protocol to a web data stream; event names are mapped to GA4's rules." },
  webhook: {
    label: "Custom webhook",
    blurb: "Signed analytics.events batches to your webhook endpoints, with their delivery log and retries.",
  },
};

const STATUS: Record<Destination["status"], { label: string; tone: Parameters<typeof Badge>[0]["tone"] }> = {
  ok: { label: "Delivering", tone: "success" },
  failing: { label: "Failing", tone: "danger" },
  idle: { label: "No events yet", tone: "neutral" },
  disabled: { label: "Disabled", tone: "neutral" },
};
export function DestinationBadge({ status }: { status: Destination["status"] }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}

const BATCH_TONE: Record<ForwardBatch["status"], Parameters<typeof Badge>[0]["tone"]> = {
  queued: "neutral",
  retrying: "warning",
  delivered: "success",
  partial: "warning",
  failed: "danger",
  skipped: "neutral",
};
export function BatchBadge({ status }: { status: ForwardBatch["status"] }) {
  return <Badge tone={BATCH_TONE[status]}>{status}</Badge>;
}

/** One line describing where a destination sends to (no secrets: the API never returns them). */
export function describeTarget(d: Destination): string {
  const s = d.settings;
  if (d.provider === "mixpanel") {
    const auth = s.auth === "service_account" ? `service account ${s.service_account_username ?? ""}`.trim() : "project API secret";
    return `Project ${s.project_id ?? "?"} · ${(s.region ?? "us").toUpperCase()} · ${auth}`;
  }
  if (d.provider === "ga4") return `Stream ${s.measurement_id ?? "?"}`;
  const n = s.endpoint_ids?.length ?? 0;
  return `${n} webhook endpoint${n === 1 ? "" : "s"}`;
}

export function describeEvents(names: string[] | null): string {
  if (!names) return "All events";
  const shown = names.slice(0, 3).join(", ");
  return names.length > 3 ? `${names.length} events: ${shown}, …` : `Only ${shown}`;
}
