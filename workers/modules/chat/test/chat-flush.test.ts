import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxStub, type ChatEnv } from "../env";
import type { MirrorUpdate } from "../mirror";
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
    const lastAt = Date.parse((await c.waitFor((e) => e.type === "message" && e.message.client_id === "b5")).message.created_at);
    // Evicted before (or while) the deferred flush is due: the alarm in storage still carries it.
    const stub = stubOf(w.owner.tenantId, conv);
    await evictDurableObject(stub, { webSockets: "close" });
    // Visitor messages write no state of their own: the rebuilt object reads them back from its log.
    const rebuilt = (await stub.snapshot())?.meta;
    expect({ unread: rebuilt?.unreadAgent, lastActivityAt: rebuilt?.lastActivityAt }).toEqual({ unread: 6, lastActivityAt: lastAt });
    await runDurableObjectAlarm(stub);
    const rows = await eventually(async () => {
      const t = (await asOwner(w, "GET", `/api/v1/chat/conversations/${conv}/messages`)).body.data as { body: string }[];
      return t.length === 6 ? t : null;
    });
    expect(rows.map((r) => r.body)).toEqual([...Array(6).keys()].map((i) => `burst ${i}`));
    const item = (await asOwner(w, "GET", "/api/v1/chat/conversations?view=open")).body.data.find((x: { id: string }) => x.id === conv);
    expect(item).toMatchObject({ message_count: 6, unread: 6, last_message: "burst 5" });
  });

  it("the inbox writes the mirror updates of many conversations together; a bad one fails only its own call", async () => {
    const w = await chatWorld({ ai: false });
    const v = await newVisitor(w);
    const convs: string[] = [];
    for (let i = 0; i < 4; i++) convs.push(await newConversation(w, v));
    const update = (conversationId: string, body: string | null): MirrorUpdate => ({
      tenantId: w.owner.tenantId,
      conversationId,
      rows: [1, 2].map((seq) => ({
        seq,
        id: `msg_${conversationId}_${seq}`,
        role: "visitor" as const,
        author_id: v.id,
        author_name: null,
        body: body === null ? (null as unknown as string) : `${body} ${seq}`,
        citations: null,
        created_at: Date.now(),
      })),
      summary: {
        status: "open",
        assigneeId: null,
        last: { body: `${body} 2`, at: Date.now() },
        messageCount: 2,
        unreadAgent: 2,
        csatRating: null,
        csatComment: null,
        closedAt: null,
      },
    });
    const inbox = inboxStub(env, w.owner.tenantId);
    // Sent at once: the first is written alone, the others wait for it and go in one batch, which
    // fails on the bad row and is then retried update by update.
    const bodies = ["first", "second", null, "fourth"] as const;
    const results = await Promise.allSettled(convs.map((conv, i) => inbox.sync(null, update(conv, bodies[i] ?? null))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    for (const [i, name] of [
      [0, "first"],
      [1, "second"],
      [3, "fourth"],
    ] as const) {
      const t = (await asOwner(w, "GET", `/api/v1/chat/conversations/${convs[i]}/messages`)).body.data as { body: string }[];
      expect(t.map((r) => r.body)).toEqual([`${name} 1`, `${name} 2`]);
    }
    expect((await asOwner(w, "GET", `/api/v1/chat/conversations/${convs[2]}/messages`)).body.data).toEqual([]);
    const listed = (await asOwner(w, "GET", "/api/v1/chat/conversations?view=open")).body.data as { id: string; message_count: number }[];
    expect(listed.find((x) => x.id === convs[3])?.message_count).toBe(2);
  });
});
