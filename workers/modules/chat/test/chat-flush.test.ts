import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChatEnv } from "../env";
import { asOwner, chatWorld, eventually, newConversation, newVisitor, openVisitor } from "./chat-helpers";

const stubOf = (tenantId: string, conv: string) => {
  const ns = (env as unknown as ChatEnv).CHAT_SESSION;
  return ns.get(ns.idFromName(`${tenantId}:${conv}`));
};

describe("ChatSession deferred mirror", () => {
  it("acks socket messages first and mirrors a burst to D1 and the inbox list afterwards, even across eviction", async () => {
    const w = await chatWorld({ ai: false });
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c = await openVisitor(w, conv, v);
    for (let i = 0; i < 6; i++) c.send({ type: "message", client_id: `b${i}`, body: `burst ${i}` });
    await c.waitFor((e) => e.type === "ack" && e.client_id === "b5");
    // Evicted before (or while) the deferred flush is due: the alarm in storage still carries it.
    const stub = stubOf(w.owner.tenantId, conv);
    await evictDurableObject(stub, { webSockets: "close" });
    await runDurableObjectAlarm(stub);
    const rows = await eventually(async () => {
      const t = (await asOwner(w, "GET", `/api/v1/chat/conversations/${conv}/messages`)).body.data as { body: string }[];
      return t.length === 6 ? t : null;
    });
    expect(rows.map((r) => r.body)).toEqual([...Array(6).keys()].map((i) => `burst ${i}`));
    const item = (await asOwner(w, "GET", "/api/v1/chat/conversations?view=open")).body.data.find((x: { id: string }) => x.id === conv);
    expect(item).toMatchObject({ message_count: 6, unread: 6, last_message: "burst 5" });
  });
});
