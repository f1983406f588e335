// One group of the navigation registry (lib/navigation.ts).
import type { NavGroup } from "./types";
import { ActivityIcon, SettingsIcon, ShieldIcon, UsersIcon } from "../../components/icons";
import { CardIcon } from "../../components/nav/icons";

export const SETTINGS_GROUP: NavGroup = {
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
};
