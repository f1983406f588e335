import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, type Endpoints } from "./api";
import { tkey } from "./workspace";

type Q<K extends keyof Endpoints> = Endpoints[K]["query"];

/** Query factories for workspace data; keys start ["t", tenantId] so switching drops them. */
export const q = {
  members: (t: string, query: Q<"GET /api/v1/members"> = {}) =>
    queryOptions({
      queryKey: tkey(t, "members", query),
      queryFn: () => api("GET /api/v1/members", { query }),
      placeholderData: keepPreviousData,
    }),
  invitations: (t: string, query: Q<"GET /api/v1/invitations"> = {}) =>
    queryOptions({
      queryKey: tkey(t, "invitations", query),
      queryFn: () => api("GET /api/v1/invitations", { query }),
      placeholderData: keepPreviousData,
    }),
  audit: (t: string, query: Q<"GET /api/v1/audit-logs"> = {}) =>
    queryOptions({
      queryKey: tkey(t, "audit", query),
      queryFn: () => api("GET /api/v1/audit-logs", { query }),
      placeholderData: keepPreviousData,
    }),
  apiKeys: (t: string, query: Q<"GET /api/v1/api-keys"> = {}) =>
    queryOptions({
      queryKey: tkey(t, "api-keys", query),
      queryFn: () => api("GET /api/v1/api-keys", { query }),
      placeholderData: keepPreviousData,
    }),
  publishableKeys: (t: string, query: Q<"GET /api/v1/publishable-keys"> = {}) =>
    queryOptions({
      queryKey: tkey(t, "pk", query),
      queryFn: () => api("GET /api/v1/publishable-keys", { query }),
      placeholderData: keepPreviousData,
    }),
  /** The public plan catalog (prices, seats, limits, features); the same for every workspace. */
  billingPlans: () =>
    queryOptions({
      queryKey: ["billing-plans"],
      queryFn: () => api("GET /api/v1/billing/plans", { anonymous: true }),
      staleTime: 3_600_000,
    }),
  onboarding: (t: string) => queryOptions({ queryKey: tkey(t, "onboarding"), queryFn: () => api("GET /api/v1/onboarding") }),
  tenant: (t: string) => queryOptions({ queryKey: tkey(t, "tenant"), queryFn: () => api("GET /api/v1/tenant") }),
  sessions: () => queryOptions({ queryKey: ["me", "sessions"], queryFn: () => api("GET /api/v1/me/sessions", { query: { limit: 50 } }) }),
  mfa: () => queryOptions({ queryKey: ["me", "mfa"], queryFn: () => api("GET /api/v1/me/mfa") }),
  securityEvents: (query: Q<"GET /api/v1/me/security-events"> = {}) =>
    queryOptions({
      queryKey: ["me", "security-events", query],
      queryFn: () => api("GET /api/v1/me/security-events", { query }),
      placeholderData: keepPreviousData,
    }),
};

/** "12" or "100+" for a first page fetched with limit 100. */
export const countLabel = (page: { data: unknown[]; next_cursor: string | null } | undefined) =>
  page ? `${page.data.length}${page.next_cursor ? "+" : ""}` : "—";
