// One group of the navigation registry (lib/navigation.ts).
import type { NavGroup } from "./types";
import { ChartIcon } from "../../components/icons";
import { MegaphoneIcon } from "../../components/releases/icons";
import { FeedbackIcon, GaugeIcon } from "../../components/surveys/icons";
import { InsightIcon } from "../../components/insights/icons";

export const GROW_GROUP: NavGroup = {
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
};
