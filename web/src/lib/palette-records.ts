import { openAssistant } from "../components/assistant/store";
import { AssistantIcon } from "../components/assistant/icons";
import { BookIcon, ChatIcon, ListIcon, MailIcon, SendIcon } from "../components/icons";
import { FolderIcon } from "../components/files/icons";
import { formatMoney, STATUS_LABEL } from "../components/commerce/client";
import { BagIcon, RepeatIcon, TagIcon } from "../components/commerce/icons";
import { priceLabel, SUBSCRIPTION_STATUS_LABEL } from "../components/commerce/subscription-status";
import { CommunityIcon } from "../components/forum/icons";
import { LeadIcon } from "../components/sales/icons";
import { call as salesCall, type Page } from "../components/sales/request";
import { type Lead, leadName } from "../components/sales/types";
import { FlowIcon } from "../components/workflows/icons";
import { UserIcon, WebhookIcon } from "../components/nav/icons";
import { api } from "./api";
import { formatRelative } from "./format";
import { fuzzyFilter } from "./fuzzy";
import { tkey } from "./workspace";
import type { RecordSearchContext, RecordSearchProvider } from "./palette";

/** Results per provider. */
export const RECORD_LIMIT = 5;

/** A list fetched once per palette session-ish (60 s) and filtered locally. */
function cachedList<T>(ctx: RecordSearchContext, name: string, load: () => Promise<T[]>) {
  return ctx.queryClient.fetchQuery({ queryKey: tkey(ctx.tenantId, "palette", name), queryFn: load, staleTime: 60_000 });
}

const clip = (s: string | null | undefined, n = 80) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : (s ?? ""));
const join = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(" · ");

export const RECORD_SEARCH: RecordSearchProvider[] = [
  {
    // Not a search: whatever was typed, offered as a question for the assistant panel.
    id: "assistant",
    heading: "Assistant",
    icon: AssistantIcon,
    permission: "assistant:use",
    minLength: 3,
    search: async (q) => [
      { id: "ask", label: `Ask: ${clip(q, 120)}`, detail: "Ask the assistant (Ctrl/Cmd-J)", run: () => openAssistant(q) },
    ],
  },
  {
    id: "conversations",
    heading: "Conversations",
    icon: ChatIcon,
    permission: "chat:read",
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/chat/conversations", { query: { q, limit: RECORD_LIMIT }, signal });
      return page.data.map((c) => ({
        id: c.id,
        label: c.visitor_name || c.visitor_email || `Visitor ${c.visitor_id.slice(-4)}`,
        detail: join(c.status, clip(c.last_message, 60), formatRelative(c.last_message_at)),
        href: `/chat?c=${encodeURIComponent(c.id)}`,
      }));
    },
  },
  {
    id: "members",
    heading: "Team members",
    icon: UserIcon,
    permission: "members:read",
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/members", { query: { q, limit: RECORD_LIMIT }, signal });
      return page.data.map((m) => ({ id: m.user_id, label: m.name, detail: join(m.email, m.role), href: "/team" }));
    },
  },
  {
    id: "knowledge",
    heading: "Knowledge sources",
    icon: BookIcon,
    permission: "knowledge:read",
    search: async (q, ctx) => {
      const all = await cachedList(
        ctx,
        "knowledge-sources",
        async () => (await api("GET /api/v1/knowledge/sources", { query: { limit: 100 } })).data,
      );
      return fuzzyFilter(q, all, (s) => ({ label: s.title, keywords: [s.collection] }))
        .slice(0, RECORD_LIMIT)
        .map(({ item: s }) => ({
          id: s.id,
          label: s.title,
          detail: join(s.kind.toUpperCase(), s.collection, s.status),
          href: "/knowledge",
        }));
    },
  },
  {
    // The set-up guides (wizards) the role may run, by title: "security", "api key", "invite team" …
    id: "wizards",
    heading: "Set-up guides",
    icon: ListIcon,
    search: async (q, ctx) => {
      const all = await cachedList(ctx, "wizards", async () => (await api("GET /api/v1/wizards")).items);
      return fuzzyFilter(q, all, (w) => ({ label: w.title, keywords: [w.kind, w.group, "set-up guide", "wizard"] }))
        .slice(0, RECORD_LIMIT)
        .map(({ item: w }) => ({
          id: w.kind,
          label: `${w.title} guide`,
          detail: join(w.group, w.status === "completed" ? "Done" : `${w.progress.done} of ${w.progress.total} steps`),
          href: `/wizards/${w.kind}`,
        }));
    },
  },
  {
    id: "templates",
    heading: "Message templates",
    icon: MailIcon,
    permission: "messages:read",
    search: async (q, ctx) => {
      const all = await cachedList(ctx, "templates", async () => (await api("GET /api/v1/message-templates")).data);
      return fuzzyFilter(q, all, (t) => ({ label: t.key }))
        .slice(0, RECORD_LIMIT)
        .map(({ item: t }) => ({
          id: t.key,
          label: t.key,
          detail: join(
            t.system ? "System template" : "Custom template",
            t.overridden.length > 0 && `customised: ${t.overridden.join(", ")}`,
          ),
          href: "/messaging/templates",
        }));
    },
  },
  {
    id: "lists",
    heading: "Email lists",
    icon: ListIcon,
    permission: "lists:read",
    search: async (q, ctx) => {
      const all = await cachedList(ctx, "email-lists", async () => (await api("GET /api/v1/email-lists", { query: { limit: 100 } })).data);
      return fuzzyFilter(q, all, (l) => ({ label: l.name, keywords: l.description ? [l.description] : [] }))
        .slice(0, RECORD_LIMIT)
        .map(({ item: l }) => ({ id: l.id, label: l.name, detail: `${l.counts.subscribed} subscribed`, href: "/messaging/lists" }));
    },
  },
  {
    id: "webhooks",
    heading: "Webhook endpoints",
    icon: WebhookIcon,
    permission: "webhooks:read",
    search: async (q, ctx) => {
      const all = await cachedList(
        ctx,
        "webhook-endpoints",
        async () => (await api("GET /api/v1/webhook-endpoints", { query: { limit: 100 } })).data,
      );
      return fuzzyFilter(q, all, (w) => ({ label: w.url, keywords: w.description ? [w.description] : [] }))
        .slice(0, RECORD_LIMIT)
        .map(({ item: w }) => ({ id: w.id, label: w.url, detail: join(w.description, w.status), href: "/messaging/webhooks" }));
    },
  },
  {
    id: "messages",
    heading: "Sent messages",
    icon: SendIcon,
    permission: "messages:read",
    minLength: 3,
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/messages", { query: { q, limit: RECORD_LIMIT }, signal });
      return page.data.map((m) => ({
        id: m.id,
        label: m.subject || m.template,
        detail: join(m.channel, m.recipient, m.status),
        href: "/messaging",
      }));
    },
  },
  {
    id: "files",
    heading: "Files",
    icon: FolderIcon,
    permission: "files:read",
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/files", { query: { q, limit: RECORD_LIMIT }, signal });
      return page.data.map((f) => ({
        id: f.id,
        label: f.name,
        detail: join(f.content_type, formatRelative(f.created_at)),
        href: `/files?${new URLSearchParams({ ...(f.folder_id ? { folder: f.folder_id } : {}), file: f.id })}`,
      }));
    },
  },
  {
    id: "orders",
    heading: "Orders",
    icon: BagIcon,
    permission: "commerce:read",
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/commerce/orders", { query: { q: q.replace(/^#/, ""), limit: RECORD_LIMIT }, signal });
      return page.data.map((o) => ({
        id: o.id,
        label: `Order #${o.number}`,
        detail: join(o.email, formatMoney(o.total, o.currency), STATUS_LABEL[o.status]),
        href: `/commerce/orders/${o.id}`,
      }));
    },
  },
  {
    // The list API has no text search: the newest 100 are fetched once and filtered here.
    id: "subscriptions",
    heading: "Subscriptions",
    icon: RepeatIcon,
    permission: "commerce:read",
    search: async (q, ctx) => {
      const all = await cachedList(
        ctx,
        "commerce-subscriptions",
        async () => (await api("GET /api/v1/commerce/subscriptions", { query: { limit: 100 } })).data,
      );
      return fuzzyFilter(q, all, (s) => ({ label: s.email, keywords: [s.title] }))
        .slice(0, RECORD_LIMIT)
        .map(({ item: s }) => ({
          id: s.id,
          label: s.email,
          detail: join(s.title, priceLabel(s), SUBSCRIPTION_STATUS_LABEL[s.status]),
          href: `/commerce/subscriptions/${s.id}`,
        }));
    },
  },
  {
    id: "products",
    heading: "Products",
    icon: TagIcon,
    permission: "commerce:read",
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/commerce/products", { query: { q, limit: RECORD_LIMIT }, signal });
      return page.data.map((p) => ({
        id: p.id,
        label: p.title,
        detail: join(p.status === "archived" && "archived", p.variants.length === 1 ? p.variants[0]?.sku : `${p.variants.length} variants`),
        href: `/commerce/products/${p.id}`,
      }));
    },
  },
  {
    id: "forum-topics",
    heading: "Community topics",
    icon: CommunityIcon,
    permission: "forum:read",
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/forum/topics", { query: { q, limit: RECORD_LIMIT }, signal });
      return page.data.map((t) => ({
        id: t.id,
        label: t.title,
        detail: join(t.category?.name, t.kind === "question" && (t.solved ? "solved" : "question"), `${t.reply_count} replies`),
        href: `/forum/topics/${t.id}`,
      }));
    },
  },
  {
    id: "leads",
    heading: "Leads",
    icon: LeadIcon,
    permission: "sales:read",
    search: async (q, { signal }) => {
      const page = await salesCall<Page<Lead>>("GET", "/sales/leads", { query: { q, limit: RECORD_LIMIT } });
      if (signal.aborted) return [];
      return page.data.map((l) => ({
        id: l.id,
        label: leadName(l),
        detail: join(l.title, l.company_name, l.score === null ? null : `score ${l.score}`),
        href: `/sales/leads/${l.id}`,
      }));
    },
  },
  {
    id: "workflows",
    heading: "Workflows",
    icon: FlowIcon,
    permission: "workflows:read",
    search: async (q, { signal }) => {
      const page = await api("GET /api/v1/workflows", { query: { q, limit: RECORD_LIMIT }, signal });
      if (signal.aborted) return [];
      return page.data.map((w) => ({
        id: w.id,
        label: w.name,
        detail: w.published_version ? `Workflow · v${w.published_version}` : "Workflow · draft",
        href: `/workflows/${w.id}`,
      }));
    },
  },
];
