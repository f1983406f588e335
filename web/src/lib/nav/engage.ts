// One group of the navigation registry (lib/navigation.ts).
import type { NavGroup } from "./types";
import { BookIcon, ChatIcon, SendIcon } from "../../components/icons";
import { PortalUserIcon } from "../../components/endusers/icons";
import { CommunityIcon } from "../../components/forum/icons";

export const ENGAGE_GROUP: NavGroup = {
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
};
