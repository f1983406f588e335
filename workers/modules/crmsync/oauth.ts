import type { CrmProvider } from "../../../schema/crm-sync";
import { type Env, getConfig } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { timingSafeEqual, toBase64 } from "../../platform/crypto";
import { crmFetch, providerName } from "./http";
import type { CrmCredentials } from "./types";

/**
 * OAuth 2 (authorization code) for the three CRMs. The app's client id/secret come from env
 * (HUBSPOT_CLIENT_ID/SECRET, SALESFORCE_CLIENT_ID/SECRET [+ SALESFORCE_LOGIN_URL],
 * PIPEDRIVE_CLIENT_ID/SECRET); without them the provider offers token connections only. `state`
 * is HMAC-signed, names the workspace and the user who started, and expires after 10 minutes,
 * so a callback cannot be replayed into another workspace.
 */
interface OAuthApp {
  clientId: string;
  clientSecret: string;
}
const ENV_PREFIX = { hubspot: "HUBSPOT", salesforce: "SALESFORCE", pipedrive: "PIPEDRIVE" } as const;
const vars = (env: Env) => env as unknown as Record<string, string | undefined>;

export function oauthApp(env: Env, provider: CrmProvider): OAuthApp | null {
  const v = vars(env);
  const id = v[`${ENV_PREFIX[provider]}_CLIENT_ID`];
  const secret = v[`${ENV_PREFIX[provider]}_CLIENT_SECRET`];
  return id && secret ? { clientId: id, clientSecret: secret } : null;
}
const salesforceLogin = (env: Env) => (vars(env).SALESFORCE_LOGIN_URL ?? "https://login.salesforce.com").replace(/\/+$/, "");

const AUTHORIZE = {
  hubspot: () => "https://app.hubspot.com/oauth/authorize",
  salesforce: (env: Env) => `${salesforceLogin(env)}/services/oauth2/authorize`,
  pipedrive: () => "https://oauth.pipedrive.com/oauth/authorize",
};
const TOKEN = {
  hubspot: () => "https://api.hubapi.com/oauth/v1/token",
  salesforce: (env: Env) => `${salesforceLogin(env)}/services/oauth2/token`,
  pipedrive: () => "https://oauth.pipedrive.com/oauth/token",
};
const SCOPES = {
  hubspot: "crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read crm.objects.deals.write",
  salesforce: "api refresh_token",
  pipedrive: "",
};

// ── state ──
export interface OAuthState {
  t: string; // tenant id
  u: string | null; // user who started
  p: CrmProvider;
  exp: number;
}
const b64url = (s: string) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const unb64url = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));
async function hmac(env: Env, data: string) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`crm-oauth-state:${getConfig(env).JWT_SECRET}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data));
  return toBase64(new Uint8Array(sig)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}
export async function signState(env: Env, s: Omit<OAuthState, "exp">, ttlMs = 10 * 60_000): Promise<string> {
  const body = b64url(JSON.stringify({ ...s, exp: Date.now() + ttlMs }));
  return `${body}.${await hmac(env, body)}`;
}
export async function verifyState(env: Env, state: string): Promise<OAuthState> {
  const [body, sig] = state.split(".");
  const bad = new Problem(400, "oauth-state-invalid", "Invalid sign-in", "The sign-in link is invalid or expired; start connecting again.");
  if (!body || !sig || !timingSafeEqual(sig, await hmac(env, body))) throw bad;
  let s: OAuthState;
  try {
    s = JSON.parse(unb64url(body)) as OAuthState;
  } catch {
    throw bad;
  }
  if (!s.t || !s.p || !(s.exp > Date.now())) throw bad;
  return s;
}

export function authorizeUrl(env: Env, provider: CrmProvider, redirectUri: string, state: string): string {
  const app = oauthApp(env, provider);
  if (!app)
    throw new Problem(
      409,
      "oauth-not-configured",
      "OAuth not configured",
      `Sign-in with ${providerName(provider)} needs ${ENV_PREFIX[provider]}_CLIENT_ID and ${ENV_PREFIX[provider]}_CLIENT_SECRET; connect with a token instead.`,
    );
  const q = new URLSearchParams({ client_id: app.clientId, redirect_uri: redirectUri, state, response_type: "code" });
  if (SCOPES[provider]) q.set("scope", SCOPES[provider]);
  return `${AUTHORIZE[provider](env)}?${q}`;
}

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  instance_url?: string; // Salesforce
  api_domain?: string; // Pipedrive
}

async function tokenCall(env: Env, provider: CrmProvider, form: Record<string, string>): Promise<CrmCredentials> {
  const app = oauthApp(env, provider);
  if (!app) throw new Problem(409, "oauth-not-configured", "OAuth not configured", `${providerName(provider)} OAuth is not configured.`);
  const headers: Record<string, string> = {};
  const body = new URLSearchParams(form);
  // Pipedrive wants the client in a Basic header; HubSpot and Salesforce in the form.
  if (provider === "pipedrive") headers.Authorization = `Basic ${btoa(`${app.clientId}:${app.clientSecret}`)}`;
  else {
    body.set("client_id", app.clientId);
    body.set("client_secret", app.clientSecret);
  }
  const r = await crmFetch<TokenAnswer>(provider, TOKEN[provider](env), { method: "POST", headers, body: body.toString() });
  return {
    access_token: r.body.access_token,
    refresh_token: r.body.refresh_token ?? form.refresh_token ?? null,
    instance_url: r.body.instance_url ?? r.body.api_domain ?? null,
    expires_at: r.body.expires_in ? Date.now() + r.body.expires_in * 1000 : null,
  };
}

export const exchangeCode = (env: Env, provider: CrmProvider, code: string, redirectUri: string) =>
  tokenCall(env, provider, { grant_type: "authorization_code", code, redirect_uri: redirectUri });

export async function refreshAccessToken(env: Env, provider: CrmProvider, refreshToken: string): Promise<Partial<CrmCredentials>> {
  const c = await tokenCall(env, provider, { grant_type: "refresh_token", refresh_token: refreshToken });
  // Keep the stored instance URL when a refresh does not repeat it.
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined));
}
