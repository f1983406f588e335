import { call, type TestUser } from "../../../../test/helpers";

/** Reads a text/event-stream answer into its events (`data: {json}` blocks). */
export async function ask(u: TestUser, conversationId: string, content: string, locale?: string) {
  const res = await call(`/api/v1/assistant/conversations/${conversationId}/messages`, {
    token: u.accessToken,
    tenant: u.tenantId,
    ip: u.ip,
    body: { content, ...(locale ? { locale } : {}) },
  });
  const text = await res.text();
  const events = text
    .split("\n\n")
    .map((block) => block.split("\n").find((l) => l.startsWith("data: ")))
    .filter((l): l is string => !!l)
    .map((l) => JSON.parse(l.slice(6)));
  return { status: res.status, type: res.headers.get("content-type"), events, text };
}
