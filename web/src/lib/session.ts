/**
 * Token storage: the access token lives only in memory; the refresh token in localStorage so a
 * reload or a new tab can resume. Refreshes are serialised across tabs with the Web Locks API,
 * so two tabs never present the same (rotated) refresh token, which would end the session.
 */
const REFRESH_KEY = "weft.refresh";
const TENANT_KEY = "weft.tenant";

let accessToken: string | null = null;
let accessExpiresAt = 0;
const listeners = new Set<() => void>();

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export function getAccessToken(): string | null {
  return accessToken && Date.now() < accessExpiresAt - 5_000 ? accessToken : null;
}

export function hasRefreshToken(): boolean {
  return Boolean(localStorage.getItem(REFRESH_KEY));
}

export function setTokens(t: TokenPair) {
  accessToken = t.access_token;
  accessExpiresAt = Date.now() + t.expires_in * 1000;
  localStorage.setItem(REFRESH_KEY, t.refresh_token);
}

export function clearTokens() {
  const had = accessToken !== null || hasRefreshToken();
  accessToken = null;
  accessExpiresAt = 0;
  localStorage.removeItem(REFRESH_KEY);
  if (had) listeners.forEach((l) => l());
}

/** Called when the session ends (refresh failed, signed out elsewhere). */
export function onSignedOut(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let inflight: Promise<boolean> | null = null;

/** Exchange the stored refresh token for new tokens. Resolves false when the session is over. */
export function refreshTokens(): Promise<boolean> {
  if (inflight) return inflight;
  const run = async (): Promise<boolean> => {
    const before = accessToken;
    const token = localStorage.getItem(REFRESH_KEY);
    if (!token) return false;
    // Another caller in this tab refreshed while we waited for the lock.
    if (accessToken && accessToken !== before && getAccessToken()) return true;
    const res = await fetch("/api/v1/auth/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: token }),
    }).catch(() => null);
    if (!res) throw new Error("network");
    if (!res.ok) {
      // Only forget the token if no other tab rotated it meanwhile.
      if (localStorage.getItem(REFRESH_KEY) === token) clearTokens();
      return false;
    }
    setTokens(await res.json());
    return true;
  };
  const locked = typeof navigator !== "undefined" && navigator.locks ? navigator.locks.request("weft-refresh", run) : run();
  inflight = locked.finally(() => (inflight = null));
  return inflight;
}

export function getTenantId(): string | null {
  return localStorage.getItem(TENANT_KEY);
}

export function setTenantId(id: string | null) {
  if (id) localStorage.setItem(TENANT_KEY, id);
  else localStorage.removeItem(TENANT_KEY);
}
