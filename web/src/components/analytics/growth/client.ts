/** Types, query factories and helpers for the growth metrics (Analytics › Growth and the home page). */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, type Res } from "../../../lib/api";
import { tkey } from "../../../lib/workspace";
import { usd } from "../../billing/format";
import type { RangeDays } from "../client";

export type ActivePeople = Res<"GET /api/v1/analytics/growth/active">;
export type Activation = Res<"GET /api/v1/analytics/growth/activation">;
export type ActivationSettings = NonNullable<Res<"GET /api/v1/analytics/growth/activation-config">["config"]>;
export type Milestone = ActivationSettings["milestones"][number];
export type AtRisk = Res<"GET /api/v1/analytics/growth/churn-risk">["data"][number];
export type Expansion = Res<"GET /api/v1/analytics/growth/expansion">;
export type RecoverySeries = Res<"GET /api/v1/analytics/growth/recovery">;
export type UpgradePrompts = Res<"GET /api/v1/analytics/growth/upgrade-prompts">;

/** The API's limits (growth.routes.ts). */
export const MAX_MILESTONES = 10;
export const MAX_WITHIN_DAYS = 365;
/** Scores from here count as "at risk" in the headline numbers (medium and high). */
export const AT_RISK_SCORE = 40;

/** Query factories; keys start ["t", tenantId, "analytics", "growth"] so saving the config can refresh them all. */
export const gq = {
  all: (t: string) => tkey(t, "analytics", "growth"),
  active: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "growth", "active"),
      queryFn: () => api("GET /api/v1/analytics/growth/active"),
      staleTime: 60_000,
    }),
  activation: (t: string, r: { from: string; to: string }) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "growth", "activation", r),
      queryFn: () => api("GET /api/v1/analytics/growth/activation", { query: r }),
      placeholderData: keepPreviousData,
    }),
  config: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "growth", "activation-config"),
      queryFn: () => api("GET /api/v1/analytics/growth/activation-config"),
    }),
  expansion: (t: string, r: { from: string; to: string }) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "growth", "expansion", r),
      queryFn: () => api("GET /api/v1/analytics/growth/expansion", { query: r }),
      placeholderData: keepPreviousData,
      staleTime: 60_000,
    }),
  recovery: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "growth", "recovery"),
      queryFn: () => api("GET /api/v1/analytics/growth/recovery"),
    }),
  upgradePrompts: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "growth", "upgrade-prompts"),
      queryFn: () => api("GET /api/v1/analytics/growth/upgrade-prompts"),
    }),
  churn: (t: string, limit = 50) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "growth", "churn-risk", limit),
      queryFn: () => api("GET /api/v1/analytics/growth/churn-risk", { query: { limit } }),
      staleTime: 60_000,
    }),
};

export type RiskBand = "high" | "medium" | "low";
export const riskBand = (score: number): RiskBand => (score >= 70 ? "high" : score >= 40 ? "medium" : "low");
export const BAND_TONE = { high: "danger", medium: "warning", low: "neutral" } as const;
export const BAND_LABEL: Record<RiskBand, string> = { high: "High", medium: "Medium", low: "Low" };

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** How to show a person: name and e-mail from their traits when set, else the person id. */
export function personLabel(p: { person_id: string; traits: Record<string, unknown> }): { primary: string; secondary?: string } {
  const email = text(p.traits.email);
  const name = text(p.traits.name) ?? ([text(p.traits.first_name), text(p.traits.last_name)].filter(Boolean).join(" ") || undefined);
  if (name) return { primary: name, secondary: email ?? p.person_id };
  if (email) return { primary: email, secondary: p.person_id };
  return { primary: p.person_id };
}

/** The Events tab's search for one person's events (it reads `?person=` as its starting filter). */
export const eventsSearch =
  (personId: string) =>
  (prev: { days?: RangeDays }): { days?: RangeDays; person: string } => ({ days: prev.days, person: personId });

/** Net money with its sign: "+$120", "−$40". */
export const signedUsd = (cents: number) => (cents < 0 ? `−${usd(-cents)}` : `+${usd(cents)}`);
