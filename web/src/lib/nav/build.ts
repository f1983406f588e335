// One group of the navigation registry (lib/navigation.ts).
import type { NavGroup } from "./types";
import { KeyIcon, ShieldIcon, TrayIcon } from "../../components/icons";
import { FolderIcon } from "../../components/files/icons";
import { SparklesIcon, WebhookIcon, WidgetIcon } from "../../components/nav/icons";

export const BUILD_GROUP: NavGroup = {
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
};
