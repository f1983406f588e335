// One group of the navigation registry (lib/navigation.ts).
import type { NavGroup } from "./types";
import { SendIcon } from "../../components/icons";
import { BagIcon, RepeatIcon, TagIcon, TrendIcon } from "../../components/commerce/icons";
import { LeadIcon, PipelineIcon, TaskIcon } from "../../components/sales/icons";
import { CardsIcon } from "../../components/fusion/icons";
import { PhoneIcon } from "../../components/voice/icons";
import { SyncIcon } from "../../components/crm-sync/icons";
import { BoardIcon } from "../../components/salesboard/icons";

export const SELL_GROUP: NavGroup = {
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
      pages: [{ label: "Mailboxes & writer", to: "/outreach/settings", keywords: ["mailbox", "daily limit", "tone", "persona", "writer"] }],
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
};
