import type { Db } from "../../platform/db";
import { analyticsDailyFigures } from "../analytics";
import { chatDailyFigures } from "../chat";
import { commerceDailyFigures } from "../commerce";
import { endUserSignUps } from "../endusers";
import { leadReplies } from "../sales";
import { npsResponseCount } from "../surveys";
import { ticketsOpened } from "../tickets";
import { workflowRunsFailed } from "../workflows";

/** Which way a move is bad news (and worth an alert): up, down, or both. */
export type BadDirection = "up" | "down" | "both";

export interface MetricDef {
  id: string;
  label: string;
  unit: string;
  bad: BadDirection;
  /** The smallest |value − median| that may alert, whatever the spread: quiet workspaces are not paged for 0 → 2. */
  minChange: number;
  /** Where the dashboard shows the underlying records. */
  link: string;
  /** Several metrics share one read; `group` names it so a day costs one query per source, not per metric. */
  group: FigureGroup;
  pick: (f: Figures) => number;
}

type FigureGroup = "commerce" | "chat" | "analytics" | "tickets" | "endusers" | "nps" | "sales" | "workflows";
type Figures = Partial<{
  commerce: Awaited<ReturnType<typeof commerceDailyFigures>>;
  chat: Awaited<ReturnType<typeof chatDailyFigures>>;
  analytics: Awaited<ReturnType<typeof analyticsDailyFigures>>;
  tickets: number;
  endusers: number;
  nps: number;
  sales: number;
  workflows: number;
}>;

const READERS: Record<FigureGroup, (db: Db, t: string, from: number, to: number) => Promise<Figures[FigureGroup]>> = {
  commerce: commerceDailyFigures,
  chat: chatDailyFigures,
  analytics: analyticsDailyFigures,
  tickets: ticketsOpened,
  endusers: endUserSignUps,
  nps: npsResponseCount,
  sales: leadReplies,
  workflows: workflowRunsFailed,
};

/**
 * The registry of daily workspace metrics. Each reads another module's public `daily-figures` entry
 * (read-only). `minChange` is in the metric's unit; see docs/automation.md "Proactive help".
 */
export const METRICS: MetricDef[] = [
  {
    id: "orders_paid",
    label: "Orders paid",
    unit: "orders",
    bad: "down",
    minChange: 5,
    link: "/commerce/orders",
    group: "commerce",
    pick: (f) => f.commerce?.ordersPaid ?? 0,
  },
  {
    id: "orders_refunded",
    label: "Refunds",
    unit: "refunds",
    bad: "up",
    minChange: 5,
    link: "/commerce/orders",
    group: "commerce",
    pick: (f) => f.commerce?.ordersRefunded ?? 0,
  },
  {
    id: "invoices_failed",
    label: "Subscription payments failed",
    unit: "invoices",
    bad: "up",
    minChange: 5,
    link: "/commerce/subscriptions",
    group: "commerce",
    pick: (f) => f.commerce?.subscriptionInvoicesFailed ?? 0,
  },
  {
    id: "mrr_change",
    label: "MRR change",
    unit: "cents",
    bad: "down",
    minChange: 10_000,
    link: "/commerce/subscriptions",
    group: "commerce",
    pick: (f) => f.commerce?.mrrChange ?? 0,
  },
  {
    id: "chat_conversations",
    label: "Chat conversations",
    unit: "conversations",
    bad: "both",
    minChange: 5,
    link: "/chat",
    group: "chat",
    pick: (f) => f.chat?.conversations ?? 0,
  },
  {
    id: "chat_offline_waits",
    label: "Visitors who waited with nobody online",
    unit: "visitors",
    bad: "up",
    minChange: 5,
    link: "/chat/settings",
    group: "chat",
    pick: (f) => f.chat?.offlineWaits ?? 0,
  },
  {
    id: "tickets_opened",
    label: "Tickets opened",
    unit: "tickets",
    bad: "up",
    minChange: 5,
    link: "/customers",
    group: "tickets",
    pick: (f) => f.tickets ?? 0,
  },
  {
    id: "signups",
    label: "Sign-ups (end users)",
    unit: "sign-ups",
    bad: "down",
    minChange: 5,
    link: "/customers",
    group: "endusers",
    pick: (f) => f.endusers ?? 0,
  },
  {
    id: "page_views",
    label: "Page views",
    unit: "views",
    bad: "both",
    minChange: 50,
    link: "/analytics",
    group: "analytics",
    pick: (f) => f.analytics?.pageViews ?? 0,
  },
  {
    id: "visitors",
    label: "Unique visitors",
    unit: "visitors",
    bad: "both",
    minChange: 20,
    link: "/analytics",
    group: "analytics",
    pick: (f) => f.analytics?.visitors ?? 0,
  },
  {
    id: "nps_responses",
    label: "NPS responses",
    unit: "responses",
    bad: "down",
    minChange: 5,
    link: "/surveys/nps",
    group: "nps",
    pick: (f) => f.nps ?? 0,
  },
  {
    id: "lead_replies",
    label: "Lead replies",
    unit: "replies",
    bad: "down",
    minChange: 5,
    link: "/sales/leads",
    group: "sales",
    pick: (f) => f.sales ?? 0,
  },
  {
    id: "workflow_runs_failed",
    label: "Workflow runs failed",
    unit: "runs",
    bad: "up",
    minChange: 5,
    link: "/workflows/runs",
    group: "workflows",
    pick: (f) => f.workflows ?? 0,
  },
];

export const METRIC_IDS = METRICS.map((m) => m.id) as [string, ...string[]];
export const metricById = (id: string) => METRICS.find((m) => m.id === id);

/** Every metric's value between `from` (inclusive) and `to` (exclusive): one read per source module. */
export async function computeMetrics(db: Db, tenantId: string, from: number, to: number): Promise<Record<string, number>> {
  const groups = [...new Set(METRICS.map((m) => m.group))];
  const values = await Promise.all(groups.map((g) => READERS[g](db, tenantId, from, to)));
  const figures = Object.fromEntries(groups.map((g, i) => [g, values[i]])) as Figures;
  return Object.fromEntries(METRICS.map((m) => [m.id, m.pick(figures)]));
}
