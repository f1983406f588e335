// Shared by the AI module's test files: the gateway request, settings and key fixtures, event helpers.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { GatewayEvent } from "..";
import { getDb } from "../../../platform/db";
import { signUp, type TestUser } from "../../../../test/helpers";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { asUser } from "../../knowledge/test/knowledge-helpers";

export const db = getDb(env.DB);
export const noSleep = { sleep: async () => {}, backoffMs: 1 };

export async function events(it: AsyncIterable<GatewayEvent>) {
  const out: GatewayEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}
export const text = (evs: GatewayEvent[]) =>
  evs
    .filter((e) => e.type === "token")
    .map((e) => (e as { text: string }).text)
    .join("");

export async function configure(u: TestUser, chain: { provider: string; model: string }[], extra: Record<string, unknown> = {}) {
  const r = await asUser(u)("/api/v1/ai/settings", {
    method: "PUT",
    body: {
      chain,
      temperature: 0.1,
      max_output_tokens: 300,
      persona: "You are Acme's helper.",
      redact_pii: true,
      timeout_ms: 5000,
      ...extra,
    },
  });
  expect(r.status).toBe(200);
  return r.body;
}
export async function keys(u: TestUser) {
  expect((await asUser(u)("/api/v1/ai/keys/openai", { method: "PUT", body: { api_key: "sk-test-openai" } })).status).toBe(200);
  expect((await asUser(u)("/api/v1/ai/keys/anthropic", { method: "PUT", body: { api_key: "sk-ant-test" } })).status).toBe(200);
}
export const req = (u: TestUser, content = "Say hello") => ({
  db,
  env,
  tenantId: u.tenantId,
  operation: "stream" as const,
  system: "Be brief.",
  messages: [{ role: "user" as const, content }],
});
export const calls = async (u: TestUser) => (await asUser(u)("/api/v1/ai/calls?limit=100")).body.data as any[];

/** An enterprise workspace (the AI safety console is an Enterprise feature). */
export async function enterprise(): Promise<TestUser> {
  const u = await signUp();
  await subscribeViaSimulator(u, { plan: "enterprise", seats: 25 });
  return u;
}
