import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { getDb } from "../../../platform/db";
import { asOwner, chatWorld, newVisitor, pub } from "./chat-helpers";

/** The widget's offline form: with nobody online a visitor's message becomes a waiting conversation and an email to the team. */
const mailsTo = (tenantId: string, to: string) =>
  getDb(env.DB)
    .select()
    .from(outboxMessages)
    .where(
      and(eq(outboxMessages.tenantId, tenantId), eq(outboxMessages.template, "chat.offline_message"), eq(outboxMessages.recipient, to)),
    );

describe("chat: offline form", () => {
  it("creates a waiting conversation with the message and emails the workspace's notify address", async () => {
    const w = await chatWorld();
    expect((await asOwner(w, "PATCH", "/api/v1/chat/settings", { notify_email: "support@shop.example" })).status).toBe(200);
    const v = await newVisitor(w);
    const r = await pub(w, "POST", "/public/v1/chat/offline", {
      token: v.token,
      ip: v.ip,
      body: { name: "Olga", email: "olga@example.com", message: "Custom glazes?", page_url: "https://shop.example/glazes" },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);

    const conv = await asOwner(w, "GET", `/api/v1/chat/conversations/${r.body.conversation_id}`);
    expect(conv.body.status).toBe("waiting");
    expect(conv.body.visitor).toMatchObject({ name: "Olga", email: "olga@example.com" });
    const transcript = await asOwner(w, "GET", `/api/v1/chat/conversations/${r.body.conversation_id}/messages`);
    expect(transcript.body.data.filter((m: { role: string }) => m.role === "visitor").map((m: { body: string }) => m.body)).toEqual([
      "Custom glazes?",
    ]);
    // System lines carry a code (and the agent's name) so the widget can translate them.
    expect(transcript.body.data.find((m: { role: string }) => m.role === "system")).toMatchObject({
      system: { code: "offline_left", name: null },
    });
    expect((await asOwner(w, "POST", `/api/v1/chat/conversations/${r.body.conversation_id}/close`)).status).toBe(200);
    const visitorView = await pub(w, "GET", `/public/v1/chat/conversations/${r.body.conversation_id}/messages`, {
      token: v.token,
      ip: v.ip,
    });
    const ended = visitorView.body.data.at(-1);
    expect(ended).toMatchObject({ role: "system", system: { code: "ended_by_agent", name: "Test User" } });
    expect(ended.body).toBe("Test User ended the conversation.");

    const mails = await mailsTo(w.owner.tenantId, "support@shop.example");
    expect(mails).toHaveLength(1);
    expect(await mailsTo(w.owner.tenantId, w.owner.email)).toHaveLength(0); // the notify address replaces the owners
  });

  it("without a notify address the owners get the email", async () => {
    const w = await chatWorld();
    const v = await newVisitor(w);
    const r = await pub(w, "POST", "/public/v1/chat/offline", {
      token: v.token,
      ip: v.ip,
      body: { email: "olga@example.com", message: "Hello?" },
    });
    expect(r.status).toBe(201);
    expect(await mailsTo(w.owner.tenantId, w.owner.email)).toHaveLength(1);
  });

  it("refuses bad input with problem+json and creates nothing; refuses other origins", async () => {
    const w = await chatWorld();
    const v = await newVisitor(w);
    const before = (await asOwner(w, "GET", "/api/v1/chat/conversations")).body.data.length;
    const noEmail = await pub(w, "POST", "/public/v1/chat/offline", { token: v.token, ip: v.ip, body: { message: "Hi" } });
    expect(noEmail.status).toBe(400);
    expect(noEmail.res.headers.get("content-type")).toContain("application/problem+json");
    expect(noEmail.body.errors.map((e: { path: string }) => e.path)).toContain("email");
    const blank = await pub(w, "POST", "/public/v1/chat/offline", {
      token: v.token,
      ip: v.ip,
      body: { email: "a@example.com", message: "   " },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.errors[0].message).toBe("Write a message");
    const evil = await pub(w, "POST", "/public/v1/chat/offline", {
      token: v.token,
      ip: v.ip,
      origin: "https://evil.example",
      body: { email: "a@example.com", message: "Hi" },
    });
    expect(evil.status).toBe(403);
    expect((await asOwner(w, "GET", "/api/v1/chat/conversations")).body.data).toHaveLength(before);
  });
});
