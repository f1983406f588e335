import type { Env } from "../../platform/env";
import type { ChatEcho } from "./echo.do";
import type { TenantInbox } from "./inbox.do";
import type { ChatSession } from "./session.do";

/** Bindings the chat module adds (wrangler.toml): its Durable Objects and rate limiters. */
export interface ChatEnv extends Env {
  CHAT_SESSION: DurableObjectNamespace<ChatSession>;
  TENANT_INBOX: DurableObjectNamespace<TenantInbox>;
  CHAT_ECHO: DurableObjectNamespace<ChatEcho>;
  /** Public chat requests and messages per client IP (key `ip:<ip>`). */
  RL_CHAT_IP: RateLimit;
}

export const chatEnv = (env: Env) => env as ChatEnv;

/** One ChatSession per conversation; the name carries the tenant so ids never cross tenants. */
export const sessionStub = (env: Env, tenantId: string, conversationId: string) => {
  const ns = chatEnv(env).CHAT_SESSION;
  return ns.get(ns.idFromName(`${tenantId}:${conversationId}`));
};

/** One TenantInbox per tenant. */
export const inboxStub = (env: Env, tenantId: string) => {
  const ns = chatEnv(env).TENANT_INBOX;
  return ns.get(ns.idFromName(tenantId));
};
