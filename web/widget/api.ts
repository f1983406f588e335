/** The public chat REST API (same origin as this iframe). Preview mode has no network at all
 * (its CSP has connect-src 'none'), so every call fails there with a readable message. */
import { HOST, KEY, PREVIEW, TOKEN_KEY, render, state, store, type Config, type ConvSummary } from "./state";

const apiHeaders = (): Record<string, string> => ({
  "Content-Type": "application/json",
  "X-Weft-Key": KEY,
  "X-Weft-Embed-Origin": HOST,
  ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}),
});

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (PREVIEW) throw new Error(state.t.previewOnly);
  const r = await fetch(`/public/v1/chat${path}`, {
    method,
    headers: apiHeaders(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (!r.ok) throw Object.assign(new Error((data as { detail?: string })?.detail ?? state.t.error), { status: r.status, problem: data });
  return data as T;
}

/** Gets (or keeps) the visitor token; a new token means a new visitor, so drop what was shown. */
export async function startVisitor() {
  const r = await api<{ visitor_token: string | null }>("POST", "/visitors", {
    visitor_token: store.get(TOKEN_KEY),
    identity: state.identity ?? undefined,
  });
  if (r.visitor_token) {
    store.set(TOKEN_KEY, r.visitor_token);
    state.messages.clear();
  }
  state.token = store.get(TOKEN_KEY);
}

export async function loadConversations() {
  state.conversations = (await api<{ data: ConvSummary[] }>("GET", "/conversations")).data;
}

/** Re-reads the config for a fresh "n online" figure (e.g. when a conversation starts waiting). */
export async function refreshPresence() {
  try {
    state.cfg = await api<Config>("GET", "/config");
  } catch {
    /* keep the old figure */
  }
  render();
}
