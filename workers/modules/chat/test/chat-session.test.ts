import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChatEnv } from "../env";
import type { ChatSession } from "../session.do";
import { I_DONT_KNOW } from "../../ai/providers/local";
import { asOwner, chatWorld, eventually, newConversation, newVisitor, openVisitor, ticket, WsClient } from "./chat-helpers";

const stubOf = (tenantId: string, conv: string) => {
  const ns = (env as unknown as ChatEnv).CHAT_SESSION;
  return ns.get(ns.idFromName(`${tenantId}:${conv}`));
};
const transcript = async (w: Awaited<ReturnType<typeof chatWorld>>, conv: string) =>
  (await asOwner(w, "GET", `/api/v1/chat/conversations/${conv}/messages?limit=500`)).body.data as {
    seq: number;
    id: string;
    role: string;
    body: string;
  }[];

describe("ChatSession", () => {
  it("orders, acknowledges and persists messages, and mirrors the transcript to D1", async () => {
    const w = await chatWorld({ ai: false });
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c = await openVisitor(w, conv, v);
    for (let i = 0; i < 15; i++) c.send({ type: "message", client_id: `m${i}`, body: `message ${i}` });
    await c.waitFor((e) => e.type === "ack" && e.client_id === "m14");
    await c.waitFor((e) => e.type === "message" && e.message.client_id === "m14");
    const acks = c.of("ack");
    expect(acks.map((a) => a.client_id)).toEqual([...Array(15).keys()].map((i) => `m${i}`));
    const seqs = acks.map((a) => a.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(15);
    // Everyone connected gets the same ordered stream.
    const msgs = c.of("message").map((e) => e.message);
    expect(msgs.map((m) => m.body)).toEqual([...Array(15).keys()].map((i) => `message ${i}`));

    const rows = await eventually(async () => {
      const t = await transcript(w, conv);
      return t.length === 15 ? t : null;
    });
    expect(rows.map((r) => r.body)).toEqual(msgs.map((m) => m.body));
    expect(rows.map((r) => r.seq)).toEqual(msgs.map((m) => m.seq));
    const list = await asOwner(w, "GET", "/api/v1/chat/conversations?view=open");
    const item = list.body.data.find((x: { id: string }) => x.id === conv);
    expect(item).toMatchObject({ message_count: 15, unread: 15, last_message: "message 14" });
    c.close();
  });

  it("streams an AI answer token by token, with citations (saved reply first, then the knowledge base)", async () => {
    const w = await chatWorld();
    expect(
      (
        await asOwner(w, "POST", "/api/v1/chat/canned-responses", {
          shortcut: "shipping",
          body: "We ship worldwide within **3 business days**.",
        })
      ).status,
    ).toBe(201);
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c = await openVisitor(w, conv, v);
    expect(c.events[0].ai_engine).toBe("knowledge");
    c.send({ type: "message", client_id: "q1", body: "How long does shipping take?" });
    const start = await c.waitFor((e) => e.type === "ai_start");
    const final = await c.waitFor((e) => e.type === "message" && e.message.id === start.reply_id);
    const tokens = c.of("ai_token").filter((e) => e.reply_id === start.reply_id);
    expect(tokens.length).toBeGreaterThan(3);
    expect(
      tokens
        .map((t) => t.text)
        .join("")
        .trim(),
    ).toBe(final.message.body);
    expect(final.message).toMatchObject({ role: "ai", body: "We ship worldwide within **3 business days**." });
    expect(final.message.citations[0].title).toBe("Saved reply /shipping");

    // No saved answer: it says so instead of inventing one.
    c.send({ type: "message", client_id: "q2", body: "Do you sell zebras?" });
    const second = await c.waitFor((e) => e.type === "message" && e.message.role === "ai" && e.message.id !== start.reply_id);
    expect(second.message.body).toBe(I_DONT_KNOW); // the knowledge base has nothing: no invented answer
    expect(second.message.citations).toBeNull();
    // The D1 transcript carries the same citations (mirrored as the JSON the session stored).
    const mirrored = await eventually(async () => {
      const t = (await asOwner(w, "GET", `/api/v1/chat/conversations/${conv}/messages?limit=500`)).body.data as {
        id: string;
        citations: unknown;
      }[];
      return t.some((r) => r.id === second.message.id) ? t : null;
    });
    expect(mirrored.find((r) => r.id === start.reply_id)?.citations).toEqual(final.message.citations);
    expect(mirrored.find((r) => r.id === second.message.id)?.citations).toBeNull();
    c.close();
  });

  it("resumes after a drop from the last seen message: nothing lost, nothing duplicated", async () => {
    const w = await chatWorld({ ai: false });
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c1 = await openVisitor(w, conv, v);
    c1.send({ type: "message", client_id: "a", body: "one" });
    c1.send({ type: "message", client_id: "b", body: "two" });
    const lastSeen = (await c1.waitFor((e) => e.type === "ack" && e.client_id === "b")).seq;
    c1.close();

    // While the visitor is away, an agent answers twice.
    for (const body of ["agent reply 1", "agent reply 2"])
      expect((await asOwner(w, "POST", `/api/v1/chat/conversations/${conv}/messages`, { body })).status).toBe(201);

    const c2 = await openVisitor(w, conv, v, lastSeen);
    const ready = c2.events[0];
    expect(ready.messages.map((m: { body: string }) => m.body)).toEqual(["agent reply 1", "agent reply 2"]);
    expect(ready.conversation.status).toBe("assigned");

    // The client re-sends a message whose ack it never saw: same client id → no duplicate.
    c2.send({ type: "message", client_id: "b", body: "two" });
    const dup = await c2.waitFor((e) => e.type === "ack" && e.client_id === "b");
    expect(dup).toMatchObject({ duplicate: true, seq: lastSeen });
    c2.send({ type: "message", client_id: "c", body: "three" });
    await c2.waitFor((e) => e.type === "ack" && e.client_id === "c");
    await c2.waitFor((e) => e.type === "message" && e.message.client_id === "c");
    expect(c2.of("message").map((e) => e.message.body)).toEqual(["three"]);

    const rows = await eventually(async () => {
      const t = await transcript(w, conv);
      return t.length >= 5 ? t : null;
    });
    expect(rows.filter((r) => r.role !== "system").map((r) => r.body)).toEqual(["one", "two", "agent reply 1", "agent reply 2", "three"]);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
    c2.close();
  });

  it("rebuilds its state from storage after eviction; hibernated sockets keep working", async () => {
    const w = await chatWorld({ ai: false });
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c = await openVisitor(w, conv, v);
    c.send({ type: "message", client_id: "x1", body: "before eviction" });
    c.send({ type: "handoff" });
    await c.waitFor((e) => e.type === "status" && e.conversation.status === "waiting");
    const stub = stubOf(w.owner.tenantId, conv);

    await evictDurableObject(stub); // hibernates the visitor's socket
    c.send({ type: "message", client_id: "x2", body: "after eviction" });
    const ack = await c.waitFor((e) => e.type === "ack" && e.client_id === "x2");
    expect(ack.duplicate).toBe(false);

    await evictDurableObject(stub, { webSockets: "close" });
    const fresh = await openVisitor(w, conv, v);
    const ready = fresh.events[0];
    expect(ready.conversation.status).toBe("waiting");
    expect(ready.messages.filter((m: { role: string }) => m.role === "visitor").map((m: { body: string }) => m.body)).toEqual([
      "before eviction",
      "after eviction",
    ]);
    expect(ready.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3]);
    fresh.send({ type: "message", client_id: "x1", body: "before eviction" });
    expect((await fresh.waitFor((e) => e.type === "ack" && e.client_id === "x1")).duplicate).toBe(true);
    fresh.close();
  });

  it("closes an idle conversation from its alarm and then accepts a rating", async () => {
    const w = await chatWorld({ ai: false });
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const stub = stubOf(w.owner.tenantId, conv);
    const c = await openVisitor(w, conv, v);
    c.send({ type: "message", client_id: "i1", body: "hello?" });
    await c.waitFor((e) => e.type === "ack");
    // Not idle yet: the alarm re-arms and leaves the conversation open.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(c.of("status").length).toBe(0);
    await runInDurableObject(stub, (inst: ChatSession) => {
      (inst as unknown as { meta: { lastActivityAt: number } }).meta.lastActivityAt = 0;
    });
    await runDurableObjectAlarm(stub);
    const closed = await c.waitFor((e) => e.type === "status" && e.conversation.status === "closed");
    expect(closed.conversation.status).toBe("closed");
    expect((await c.waitFor((e) => e.type === "message" && e.message.role === "system")).message.body).toMatch(/inactivity/);
    c.send({ type: "message", client_id: "i2", body: "late" });
    expect((await c.waitFor((e) => e.type === "error")).code).toBe("conversation-closed");

    const rated = await import("./chat-helpers").then(({ pub }) =>
      pub(w, "POST", `/public/v1/chat/conversations/${conv}/csat`, { token: v.token, ip: v.ip, body: { rating: 5, comment: "great" } }),
    );
    expect(rated.status).toBe(200);
    const detail = await eventually(async () => {
      const d = (await asOwner(w, "GET", `/api/v1/chat/conversations/${conv}`)).body;
      return d.csat_rating === 5 && d.status === "closed" ? d : null;
    });
    expect(detail.csat_comment).toBe("great");
    c.close();
  });

  it("hands off to a person: the inbox hears it live, the agent's reply reaches the visitor and the AI stops", async () => {
    const w = await chatWorld();
    const inbox = await WsClient.open(`/api/v1/chat/inbox/ws?ticket=${await ticket(w)}`);
    await inbox.waitFor((e) => e.type === "presence" && e.online === 1);
    const cfg = await import("./chat-helpers").then(({ pub }) => pub(w, "GET", "/public/v1/chat/config"));
    expect(cfg.body.agents_online).toBe(1);

    const v = await newVisitor(w, { name: "Vera" });
    const conv = await newConversation(w, v, { page_url: "https://shop.example/pricing" });
    await inbox.waitFor((e) => e.type === "conversation" && e.conversation.id === conv);
    const c = await openVisitor(w, conv, v);
    c.send({ type: "handoff" });
    const ev = await inbox.waitFor((e) => e.type === "conversation" && e.conversation.id === conv && e.handoff);
    expect(ev.conversation.status).toBe("waiting");

    // The agent joins the conversation's socket and types; the visitor sees it.
    const agent = await WsClient.open(`/api/v1/chat/conversations/${conv}/ws?ticket=${await ticket(w)}`);
    await agent.waitFor((e) => e.type === "ready");
    agent.send({ type: "typing", on: true });
    await c.waitFor((e) => e.type === "typing" && e.role === "agent" && e.on);
    agent.send({ type: "message", client_id: "ag1", body: "Hi Vera, how can I help?" });
    const got = await c.waitFor((e) => e.type === "message" && e.message.role === "agent");
    expect(got.message.body).toBe("Hi Vera, how can I help?");
    await c.waitFor((e) => e.type === "status" && e.conversation.status === "assigned");

    c.send({ type: "message", client_id: "v2", body: "Where is my order?" });
    await agent.waitFor((e) => e.type === "message" && e.message.body === "Where is my order?");
    // With a person on the conversation the AI stays quiet.
    await new Promise((r) => setTimeout(r, 200));
    expect(c.of("ai_start").length).toBe(0);

    const detail = (await asOwner(w, "GET", `/api/v1/chat/conversations/${conv}`)).body;
    expect(detail).toMatchObject({ page_url: "https://shop.example/pricing", visitor_name: "Vera", assignee_id: w.owner.userId });
    expect(detail.visitor).toMatchObject({ name: "Vera", verified: false });
    const mine = await eventually(async () => {
      const l = (await asOwner(w, "GET", "/api/v1/chat/conversations?view=mine")).body.data;
      return l.some((x: { id: string }) => x.id === conv) ? l : null;
    });
    expect(mine.length).toBe(1);

    agent.close();
    inbox.close();
    c.close();
  });

  it("suggests a reply, searches transcripts and assigns only members", async () => {
    const w = await chatWorld({ ai: false });
    await asOwner(w, "POST", "/api/v1/chat/canned-responses", { shortcut: "refunds", body: "Refunds are processed within 5 days." });
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c = await openVisitor(w, conv, v);
    c.send({ type: "message", client_id: "r1", body: "When will my refunds arrive?" });
    await c.waitFor((e) => e.type === "ack");
    await eventually(async () => (await transcript(w, conv)).length === 1);
    const s = await asOwner(w, "POST", `/api/v1/chat/conversations/${conv}/suggest`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ text: "Refunds are processed within 5 days.", engine: "knowledge" });
    const found = await asOwner(w, "GET", "/api/v1/chat/conversations?q=refunds");
    expect(found.body.data.map((x: { id: string }) => x.id)).toEqual([conv]);
    expect((await asOwner(w, "GET", "/api/v1/chat/conversations?q=nothing-like-this")).body.data).toEqual([]);
    expect((await asOwner(w, "POST", `/api/v1/chat/conversations/${conv}/assign`, { user_id: "usr_not_a_member" })).status).toBe(404);
    const a = await asOwner(w, "POST", `/api/v1/chat/conversations/${conv}/assign`, { user_id: w.owner.userId });
    expect(a.body).toMatchObject({ status: "assigned", assignee_id: w.owner.userId });
    await c.waitFor((e) => e.type === "message" && e.message.role === "system" && /joined/.test(e.message.body));
    const closed = await asOwner(w, "POST", `/api/v1/chat/conversations/${conv}/close`);
    expect(closed.body.status).toBe("closed");
    expect((await asOwner(w, "POST", `/api/v1/chat/conversations/${conv}/messages`, { body: "too late" })).status).toBe(400);
    c.close();
  });
});
