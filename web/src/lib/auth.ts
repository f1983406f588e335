import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "./api";
import type { Me, Tokens } from "./api-types";
import { queryClient } from "./query";
import { clearTokens, getAccessToken, hasRefreshToken, refreshTokens, setTenantId, setTokens, type TokenPair } from "./session";

export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: () => api("GET /api/v1/me"),
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

/** True if there is (or can be restored) a signed-in session. */
export async function ensureSession(): Promise<boolean> {
  if (getAccessToken()) return true;
  if (!hasRefreshToken()) return false;
  return refreshTokens().catch(() => false);
}

/** Loads /me once a session exists; null when signed out. */
export async function loadMe(): Promise<Me | null> {
  if (!(await ensureSession())) return null;
  try {
    // fetchQuery (not ensureQueryData): after an invalidation (joined or created a workspace)
    // the route guards must see the new memberships, not the cached list.
    return await queryClient.fetchQuery(meQuery);
  } catch {
    return null;
  }
}

export function startSession(tokens: TokenPair | Tokens) {
  queryClient.clear();
  setTokens(tokens);
}

export async function signOut() {
  try {
    if (getAccessToken() || hasRefreshToken()) await api("POST /api/v1/auth/logout");
  } catch {
    /* the session may already be gone */
  }
  clearTokens();
  setTenantId(null);
  queryClient.clear();
}

/** Where to go after a redirect-protected page: only same-origin paths. */
export function safeRedirect(target: unknown, fallback = "/"): string {
  return typeof target === "string" && target.startsWith("/") && !target.startsWith("//") ? target : fallback;
}
