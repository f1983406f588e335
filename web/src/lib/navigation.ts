/**
 * The navigation registry: one typed list of groups and entries that the sidebar, the phone
 * drawer and the command palette all render. A new module adds one entry to its group (a group
 * with no entry the user may see is not shown):
 *
 *   { id: "orders", label: "Orders", icon: CartIcon, to: "/orders", permission: "orders:read",
 *     keywords: ["checkout", "refunds"] }
 *
 * `to` is checked against the route tree, `permission` against workers/platform/rbac.ts.
 */
import type { ComponentType, SVGProps } from "react";
import type { Permission } from "../../../workers/platform/rbac";
import { LOCAL_STACK } from "./local-stack";
import {
  ActivityIcon,
  BookIcon,
  ChartIcon,
  ChatIcon,
  HomeIcon,
  KeyIcon,
  SendIcon,
  SettingsIcon,
  ShieldIcon,
  TrayIcon,
  UsersIcon,
} from "../components/icons";
import { FolderIcon } from "../components/files/icons";
import { CardIcon, SparklesIcon, WebhookIcon, WidgetIcon } from "../components/nav/icons";
import { BagIcon, RepeatIcon, TagIcon, TrendIcon } from "../components/commerce/icons";
import { PortalUserIcon } from "../components/endusers/icons";
import { CommunityIcon } from "../components/forum/icons";
import { MegaphoneIcon } from "../components/releases/icons";
import { FeedbackIcon, GaugeIcon } from "../components/surveys/icons";
import { LeadIcon, PipelineIcon, TaskIcon } from "../components/sales/icons";
import { CardsIcon } from "../components/fusion/icons";
import { PhoneIcon } from "../components/voice/icons";
import { SyncIcon } from "../components/crm-sync/icons";
import { BoardIcon } from "../components/salesboard/icons";
import { ApprovalIcon, FlowIcon } from "../components/workflows/icons";
import { InsightIcon } from "../components/insights/icons";
import type { FileRouteTypes } from "../routeTree.gen";

/** A path of the route tree (a typo is a compile error). */
export type AppPath = FileRouteTypes["to"];
export type NavIcon = ComponentType<SVGProps<SVGSVGElement>>;

export interface NavPage {
  label: string;
  to: AppPath;
  /** Query string, e.g. { tab: "invitations" } (palette only; sidebar links are plain paths). */
  search?: Record<string, string>;
  /** Hidden unless the current role has it. */
  permission?: Permission;
  /** More words the palette matches ("plan" finds Billing). */
  keywords?: string[];
}

export interface NavEntry extends NavPage {
  /** Stable id (React key, tests). */
  id: string;
  icon: NavIcon;
  /** Only in local development (`vite dev`). */
  devOnly?: boolean;
  /**
   * Pages under this entry that the sidebar does not list but the palette finds
   * ("Messaging › Templates"); their paths also make this entry the active one.
   */
  pages?: NavPage[];
}

export interface NavGroup {
  id: string;
  /** Heading (collapsible); none for the top entries. */
  label?: string;
  entries: NavEntry[];
}

export const NAV: NavGroup[] = [
  {
    id: "top",
    entries: [{ id: "home", label: "Home", icon: HomeIcon, to: "/", keywords: ["dashboard", "overview", "checklist", "activity"] }],
  },
  {
    id: "engage",
    label: "Engage",
    entries: [
      {
        id: "inbox",
        label: "Inbox",
        icon: ChatIcon,
        to: "/chat",
        permission: "chat:read",
        keywords: ["chat", "conversations", "live chat", "support", "visitors", "hand-off"],
      },
      {
        id: "knowledge",
        label: "Knowledge",
        icon: BookIcon,
        to: "/knowledge",
        permission: "knowledge:read",
        keywords: ["knowledge base", "sources", "faq", "documents", "upload", "search", "ask"],
      },
      {
        id: "messaging",
        label: "Messaging",
        icon: SendIcon,
        to: "/messaging",
        permission: "messages:read",
        keywords: ["delivery log", "email", "sms", "push", "outbox", "dead letters", "suppressions"],
        pages: [
          { label: "Message templates", to: "/messaging/templates", keywords: ["email templates", "versions"] },
          {
            label: "Email lists",
            to: "/messaging/lists",
            permission: "lists:read",
            keywords: ["subscribers", "broadcast", "newsletter", "double opt-in"],
          },
        ],
      },
      {
        id: "end-users",
        label: "End users",
        icon: PortalUserIcon,
        to: "/customers",
        permission: "endusers:read",
        keywords: ["customers", "customer accounts", "portal", "client cabinet", "sign-in", "block", "gdpr", "erase"],
        pages: [
          {
            label: "Portal settings",
            to: "/customers/portal",
            keywords: ["customer portal", "sign-up policy", "branding", "logo", "custom domain", "hand-over", "sso"],
          },
        ],
      },
      {
        id: "community",
        label: "Community",
        icon: CommunityIcon,
        to: "/forum",
        permission: "forum:read",
        keywords: ["forum", "community", "discussions", "questions", "answers", "activity", "solved rate", "first reply"],
        pages: [
          { label: "Community topics", to: "/forum/topics", keywords: ["topics", "threads", "posts", "accepted answer", "reply as staff"] },
          {
            label: "Moderation queue",
            to: "/forum/moderation",
            permission: "forum:moderate",
            keywords: ["flags", "flagged posts", "held posts", "approve", "spam", "moderation log", "reverse"],
          },
          {
            label: "Community members",
            to: "/forum/members",
            keywords: ["trust level", "badges", "suspend", "silence", "moderators", "reputation"],
          },
          {
            label: "Community settings",
            to: "/forum/settings",
            keywords: ["forum on", "categories", "trust thresholds", "spam rules", "ai moderation", "digest"],
          },
        ],
      },
    ],
  },
  // Commerce (products, orders, checkout, portal) and sales AI (leads, campaigns) go here.
  {
    id: "sell",
    label: "Sell",
    entries: [
      {
        id: "orders",
        label: "Orders",
        icon: BagIcon,
        to: "/commerce/orders",
        permission: "commerce:read",
        keywords: ["commerce", "shop", "refunds", "fulfilment", "shipping", "tracking", "receipts", "cancel"],
        pages: [{ label: "Customers (buyers)", to: "/commerce/customers", keywords: ["buyers", "lifetime value", "ltv", "shoppers"] }],
      },
      {
        id: "subscriptions",
        label: "Subscriptions",
        icon: RepeatIcon,
        to: "/commerce/subscriptions",
        permission: "commerce:read",
        keywords: ["recurring", "renewals", "memberships", "plans", "past due", "churn", "cancel", "resume"],
      },
      {
        id: "products",
        label: "Products",
        icon: TagIcon,
        to: "/commerce/products",
        permission: "commerce:read",
        keywords: ["catalogue", "catalog", "inventory", "stock", "variants", "sku", "prices", "csv import", "export"],
        pages: [
          { label: "Collections", to: "/commerce/collections", keywords: ["categories"] },
          { label: "Coupons", to: "/commerce/coupons", keywords: ["discounts", "promotion codes", "promo"] },
        ],
      },
      {
        id: "sales",
        label: "Sales",
        icon: TrendIcon,
        to: "/commerce/sales",
        permission: "commerce:read",
        keywords: ["revenue", "average order value", "aov", "refunds", "charts"],
        pages: [
          {
            label: "Commerce settings",
            to: "/commerce/settings",
            keywords: ["currencies", "tax rates", "shipping rates", "payment providers", "stripe", "paypal", "simulator"],
          },
        ],
      },
      {
        id: "leads",
        label: "Leads",
        icon: LeadIcon,
        to: "/sales/leads",
        permission: "sales:read",
        keywords: ["crm", "contacts", "prospects", "companies", "lead score", "icp", "csv import", "duplicates", "merge"],
        pages: [
          { label: "Import leads", to: "/sales/import", permission: "sales:write", keywords: ["csv", "upload", "column mapping"] },
          { label: "Duplicate leads", to: "/sales/duplicates", keywords: ["merge", "de-duplicate"] },
          { label: "Tasks", to: "/sales/tasks", keywords: ["to-do", "follow-up", "overdue", "my tasks"] },
          {
            label: "ICP & scoring",
            to: "/sales/scoring",
            keywords: ["ideal customer profile", "lead scoring", "weights", "refit", "won", "lost"],
          },
        ],
      },
      {
        id: "pipeline",
        label: "Pipeline",
        icon: PipelineIcon,
        to: "/sales/pipeline",
        permission: "sales:read",
        keywords: ["deals", "stages", "board", "kanban", "forecast"],
      },
      {
        id: "salesboard",
        label: "Salesboard",
        icon: BoardIcon,
        to: "/salesboard",
        permission: "sales:read",
        keywords: ["dashboard", "win rate", "forecast", "funnel", "reply rate", "meeting rate", "coaching", "insights", "per rep", "kpi"],
      },
      {
        id: "sequences",
        label: "Sequences",
        icon: SendIcon,
        to: "/outreach/sequences",
        permission: "sales:read",
        keywords: ["outreach", "campaigns", "cadence", "a/b", "variants", "enrol", "mailboxes", "sending window"],
        pages: [
          { label: "Mailboxes & writer", to: "/outreach/settings", keywords: ["mailbox", "daily limit", "tone", "persona", "writer"] },
        ],
      },
      {
        id: "drafts",
        label: "Drafts",
        icon: TaskIcon,
        to: "/outreach/drafts",
        permission: "sales:read",
        keywords: ["approve", "approval queue", "ai writer", "emails", "regenerate", "dev inbox"],
      },
      {
        id: "sales-knowledge",
        label: "Sales knowledge",
        icon: CardsIcon,
        to: "/sales/knowledge",
        permission: "sales:read",
        keywords: ["knowledge fusion", "battle cards", "playbooks", "objection handlers", "faq", "competitors", "objections"],
      },
      {
        id: "calls",
        label: "Calls",
        icon: PhoneIcon,
        to: "/sales/calls",
        permission: "sales:read",
        keywords: ["voice", "transcripts", "recordings", "call notes", "action items", "follow-up", "vtt", "srt", "whisper"],
      },
      {
        id: "integrations",
        label: "Integrations",
        icon: SyncIcon,
        to: "/sales/integrations",
        permission: "sales:read",
        keywords: ["crm sync", "hubspot", "salesforce", "pipedrive", "two-way sync", "field mapping", "sync log", "oauth"],
      },
    ],
  },
  // Analytics (events, funnels, retention, NPS) and recommendations go here.
  {
    id: "grow",
    label: "Grow",
    entries: [
      {
        id: "analytics",
        label: "Analytics",
        icon: ChartIcon,
        to: "/analytics",
        permission: "analytics:read",
        keywords: ["product analytics", "pageviews", "visitors", "top pages", "referrers", "utm", "tracker", "snippet"],
        pages: [
          { label: "Analytics trends", to: "/analytics/trends", keywords: ["trends", "events over time", "breakdown", "insights"] },
          { label: "Analytics dashboards", to: "/analytics/dashboards", keywords: ["dashboards", "custom dashboard", "charts", "reports"] },
          { label: "Funnels", to: "/analytics/funnels", keywords: ["funnels", "conversion", "drop-off", "steps"] },
          { label: "Retention", to: "/analytics/retention", keywords: ["retention", "cohorts", "returning users"] },
          {
            label: "Growth",
            to: "/analytics/growth",
            keywords: ["growth", "active users", "dau", "wau", "mau", "stickiness", "activation", "milestones", "churn risk"],
          },
          { label: "Analytics events", to: "/analytics/events", keywords: ["events", "event stream", "live events", "tracker", "debug"] },
          {
            label: "Analytics settings",
            to: "/analytics/settings",
            keywords: ["tracker", "auto-capture", "do not track", "consent", "data retention", "install"],
          },
        ],
      },
      {
        id: "insights",
        label: "Insights",
        icon: InsightIcon,
        to: "/insights",
        permission: "insights:read",
        keywords: ["anomalies", "alerts", "unusual", "digest", "weekly email", "suggestions", "proactive"],
      },
      {
        id: "releases",
        label: "Release notes",
        icon: MegaphoneIcon,
        to: "/releases",
        permission: "releases:read",
        keywords: ["changelog", "what's new", "release center", "announcements", "rss", "atom", "product updates"],
      },
      {
        id: "nps",
        label: "NPS",
        icon: GaugeIcon,
        to: "/surveys/nps",
        permission: "surveys:read",
        keywords: ["net promoter score", "survey", "detractors", "promoters", "follow-up", "csv"],
      },
      {
        id: "feedback",
        label: "Feedback",
        icon: FeedbackIcon,
        to: "/surveys/feedback",
        permission: "surveys:read",
        keywords: ["feedback button", "bug reports", "ideas", "triage", "screenshots"],
      },
    ],
  },
  {
    id: "build",
    label: "Build",
    entries: [
      {
        id: "files",
        label: "Files",
        icon: FolderIcon,
        to: "/files",
        permission: "files:read",
        keywords: ["file manager", "uploads", "storage", "images", "documents", "signed links", "trash", "r2"],
      },
      {
        id: "ai",
        label: "AI settings",
        icon: SparklesIcon,
        to: "/ai",
        permission: "ai:read",
        keywords: ["llm", "models", "providers", "openai", "anthropic", "persona", "ai usage"],
      },
      {
        id: "ai-safety",
        label: "AI safety",
        icon: ShieldIcon,
        to: "/ai-safety",
        permission: "ai:read",
        keywords: ["guardrails", "blocked topics", "disclaimers", "holds", "approval queue", "call log", "ai cost", "evals", "evaluations"],
        pages: [
          { label: "AI guardrails", to: "/ai-safety/guardrails", keywords: ["blocked phrases", "claims", "daily send cap"] },
          { label: "AI approval queue", to: "/ai-safety/holds", keywords: ["held", "approve"] },
          { label: "AI call log", to: "/ai-safety/calls", keywords: ["export", "csv", "tokens", "latency"] },
          { label: "Model evaluations", to: "/ai-safety/evals", keywords: ["test prompts", "pass rate"] },
        ],
      },
      {
        id: "widget",
        label: "Chat widget",
        icon: WidgetIcon,
        to: "/chat/settings",
        permission: "chat:read",
        keywords: ["install", "snippet", "embed", "appearance", "pre-chat", "canned responses", "saved replies"],
      },
      {
        id: "webhooks",
        label: "Webhooks",
        icon: WebhookIcon,
        to: "/messaging/webhooks",
        permission: "webhooks:read",
        keywords: ["endpoints", "events", "signing secret", "deliveries"],
      },
      {
        id: "api-keys",
        label: "API keys",
        icon: KeyIcon,
        to: "/settings/api-keys",
        permission: "api_keys:read",
        keywords: ["api", "tokens", "scopes", "developers"],
        pages: [
          {
            label: "Publishable keys",
            to: "/settings/publishable-keys",
            permission: "publishable_keys:read",
            keywords: ["allowed origins", "widget key"],
          },
        ],
      },
      { id: "mailbox", label: "Dev mailbox", icon: TrayIcon, to: "/mailbox", devOnly: true, keywords: ["emails", "local"] },
    ],
  },
  {
    id: "automation",
    label: "Automation",
    entries: [
      {
        id: "workflows",
        label: "Workflows",
        icon: FlowIcon,
        to: "/workflows",
        permission: "workflows:read",
        keywords: ["automation", "builder", "zapier", "n8n", "runs", "triggers"],
        pages: [
          { label: "Workflow templates", to: "/workflows/templates", permission: "workflows:write", keywords: ["start", "new workflow"] },
          { label: "Workflow events", to: "/workflows/events", keywords: ["event catalogue", "triggers"] },
          { label: "Workflow secrets", to: "/workflows/secrets", keywords: ["vault", "api token", "http"] },
        ],
      },
      {
        id: "workflow-approvals",
        label: "Approvals",
        icon: ApprovalIcon,
        to: "/workflows/approvals",
        permission: "workflows:read",
        keywords: ["approve", "reject", "pending", "human in the loop"],
      },
    ],
  },
  {
    id: "settings",
    label: "Settings",
    entries: [
      {
        id: "wizards",
        label: "Set-up guides",
        icon: ShieldIcon,
        to: "/wizards",
        keywords: [
          "wizard",
          "guide",
          "set up",
          "setup",
          "security configuration",
          "require mfa",
          "session lifetime",
          "team set-up",
          "bulk invite",
          "buddy",
          "api key wizard",
          "rotate key",
        ],
      },
      {
        id: "team",
        label: "Team",
        icon: UsersIcon,
        to: "/team",
        keywords: ["members", "roles", "people", "teammates"],
        pages: [{ label: "Invitations", to: "/team", search: { tab: "invitations" }, permission: "members:invite", keywords: ["invite"] }],
      },
      {
        id: "billing",
        label: "Billing",
        icon: CardIcon,
        to: "/settings/billing",
        permission: "billing:read",
        keywords: ["plan", "subscription", "invoices", "usage", "seats", "upgrade", "payment"],
      },
      {
        id: "audit-log",
        label: "Audit log",
        icon: ActivityIcon,
        to: "/audit-log",
        permission: "audit:read",
        keywords: ["history", "security"],
      },
      {
        id: "account",
        label: "Account",
        icon: SettingsIcon,
        to: "/settings",
        keywords: ["settings", "preferences"],
        pages: [
          { label: "Profile", to: "/settings/profile", keywords: ["name", "email"] },
          { label: "Security", to: "/settings/security", keywords: ["password", "mfa", "two-factor", "totp", "sessions"] },
        ],
      },
    ],
  },
];

/** The groups and entries the current role may see (empty groups dropped). */
export function visibleNav(can: (p: Permission) => boolean, dev: boolean = LOCAL_STACK, groups: NavGroup[] = NAV): NavGroup[] {
  const ok = (p: NavPage) => !p.permission || can(p.permission);
  return groups
    .map((g) => ({
      ...g,
      entries: g.entries.filter((e) => ok(e) && (!e.devOnly || dev)).map((e) => ({ ...e, pages: e.pages?.filter(ok) })),
    }))
    .filter((g) => g.entries.length > 0);
}

const within = (path: string, to: string) => (to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`));

/** The entry for a path: the one whose own or sub-page path is the longest prefix of it. */
export function activeEntryId(groups: NavGroup[], pathname: string): string | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname;
  let best: { id: string; len: number } | undefined;
  for (const g of groups) {
    for (const e of g.entries) {
      for (const to of [e.to, ...(e.pages ?? []).map((p) => p.to)]) {
        if (within(path, to) && (!best || to.length > best.len)) best = { id: e.id, len: to.length };
      }
    }
  }
  return best?.id;
}

export const hrefOf = (p: NavPage) => (p.search ? `${p.to}?${new URLSearchParams(p.search)}` : p.to);

/** Every page for the palette: entries, then their sub-pages, with where they live. */
export function navPages(groups: NavGroup[]) {
  return groups.flatMap((g) =>
    g.entries.flatMap((e) => [
      { id: e.id, label: e.label, detail: g.label, icon: e.icon, keywords: e.keywords, href: hrefOf(e) },
      ...(e.pages ?? []).map((p) => ({
        id: `${e.id}:${hrefOf(p)}`,
        label: p.label,
        detail: e.label,
        icon: e.icon,
        keywords: [...(p.keywords ?? []), e.label],
        href: hrefOf(p),
      })),
    ]),
  );
}
