import { exports } from "cloudflare:workers";
import { BASE, callJson, freshIp, signUp, type TestUser } from "../../../../test/helpers";

export const SITE = "https://shop.example";

export interface ChatWorld {
  owner: TestUser;
  key: string;
  keyId: string;
  origin: string;
}

/** A workspace with a publishable key allowed on SITE. */
export async function chatWorld(opts: { ai?: boolean } = {}): Promise<ChatWorld> {
  const owner = await signUp({ workspace: "Chat shop" });
  const r = await callJson("/api/v1/publishable-keys", {
    token: owner.accessToken,
    tenant: owner.tenantId,
    body: { name: "site", allowed_origins: [SITE] },
  });
  if (r.status !== 201) throw new Error(`pk: ${r.status} ${JSON.stringify(r.body)}`);
  if (opts.ai === false) await asOwner({ owner } as ChatWorld, "PATCH", "/api/v1/chat/settings", { ai_enabled: false });
  return { owner, key: r.body.key, keyId: r.body.id, origin: SITE };
}

export const asOwner = (w: Pick<ChatWorld, "owner">, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.owner.accessToken, tenant: w.owner.tenantId, body, ip: w.owner.ip });

/** A public chat request as a browser on `origin` (null = no Origin header). */
export function pub(
  w: ChatWorld,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; origin?: string | null; ip?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "X-Weft-Key": w.key, ...opts.headers };
  const origin = opts.origin === undefined ? w.origin : opts.origin;
  if (origin) headers.Origin = origin;
  return callJson(path, { method, body: opts.body, token: opts.token, ip: opts.ip ?? "10.200.0.1", headers });
}

export interface Visitor {
  token: string;
  ip: string;
  id: string;
}

export async function newVisitor(w: ChatWorld, body: Record<string, unknown> = {}): Promise<Visitor> {
  const ip = freshIp();
  const r = await pub(w, "POST", "/public/v1/chat/visitors", { body, ip });
  if (r.status !== 200) throw new Error(`visitor: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.visitor_token, ip, id: r.body.visitor.id };
}

export async function newConversation(w: ChatWorld, v: Visitor, body: Record<string, unknown> = {}): Promise<string> {
  const r = await pub(w, "POST", "/public/v1/chat/conversations", { body, token: v.token, ip: v.ip });
  if (r.status !== 201) throw new Error(`conversation: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

/** A WebSocket client over the Worker's fetch handler, buffering every event. */
export class WsClient {
  events: any[] = [];
  closed = false;
  private waiters: { pred: (e: any) => boolean; resolve: (e: any) => void }[] = [];
  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener("message", (e) => {
      const ev = JSON.parse(e.data as string);
      this.events.push(ev);
      this.waiters = this.waiters.filter((w) => (w.pred(ev) ? (w.resolve(ev), false) : true));
    });
    ws.addEventListener("close", () => (this.closed = true));
  }
  static async open(path: string, headers: Record<string, string> = {}): Promise<WsClient> {
    const res = await WsClient.upgrade(path, headers);
    if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
    return new WsClient(res.webSocket);
  }
  static upgrade(path: string, headers: Record<string, string> = {}) {
    return exports.default.fetch(BASE + path, { headers: { Upgrade: "websocket", "CF-Connecting-IP": "10.201.0.1", ...headers } });
  }
  send(ev: unknown) {
    this.ws.send(JSON.stringify(ev));
  }
  /** The first event (already received or future) matching `pred`. */
  waitFor<T = any>(pred: (e: any) => boolean, ms = 8000): Promise<T> {
    const hit = this.events.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timeout waiting; got ${JSON.stringify(this.events.slice(-5))}`)), ms);
      this.waiters.push({ pred, resolve: (e) => (clearTimeout(t), resolve(e)) });
    });
  }
  of(type: string) {
    return this.events.filter((e) => e.type === type);
  }
  close() {
    try {
      this.ws.close(1000, "bye");
    } catch {
      /* closed */
    }
  }
}

export const visitorWsPath = (w: ChatWorld, conv: string, v: Visitor, since = 0) =>
  `/public/v1/chat/conversations/${conv}/ws?key=${encodeURIComponent(w.key)}&token=${encodeURIComponent(v.token)}&since=${since}`;

export async function openVisitor(w: ChatWorld, conv: string, v: Visitor, since = 0) {
  const c = await WsClient.open(visitorWsPath(w, conv, v, since), { Origin: w.origin, "CF-Connecting-IP": v.ip });
  await c.waitFor((e) => e.type === "ready");
  return c;
}

export async function ticket(w: Pick<ChatWorld, "owner">, user?: TestUser): Promise<string> {
  const u = user ?? w.owner;
  const r = await callJson("/api/v1/chat/ws-ticket", { method: "POST", token: u.accessToken, tenant: w.owner.tenantId, ip: u.ip });
  if (r.status !== 201) throw new Error(`ticket ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.ticket;
}

/** Polls until `fn` returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
