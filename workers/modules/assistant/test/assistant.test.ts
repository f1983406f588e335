// biome-ignore-all lint/suspicious/noExplicitAny: the tests read wire-format JSON (SSE events, provider request bodies)
import { env } from "cloudflare:workers";
import { and, eq, like } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { invitations, memberships, type Role } from "../../../../schema/tenancy";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { setProviderFetch } from "../../ai/transport";
import { configure, keys } from "../../ai/test/ai-helpers";
import { fakeAnthropic, fakeOpenAi, routeFakes } from "../../ai/test/fake-llm/server";
import { mapQuestion, windowOf } from "../local-answerer";
import { ask } from "./assistant-helpers";

const db = () => getDb(env.DB);
const as = (u: TestUser) => ({ token: u.accessToken, tenant: u.tenantId, ip: u.ip });
afterEach(() => setProviderFetch(null));

async function addMember(owner: TestUser, role: Role): Promise<TestUser> {
  const u = await signUp({ workspace: `${role}'s own` });
  await db().insert(memberships).values({ tenantId: owner.tenantId, userId: u.userId, role, createdAt: Date.now(), updatedAt: Date.now() });
  return { ...u, tenantId: owner.tenantId };
}
async function conversation(u: TestUser, title?: string) {
  const r = await callJson("/api/v1/assistant/conversations", { ...as(u), body: title ? { title } : {} });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const invitationsTo = (tenantId: string, email: string) =>
  db()
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.email, email)))
    .all();
const auditActions = async (tenantId: string) =>
  (
    await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenantId), like(auditLogs.action, "assistant.%")))
      .all()
  ).map((a) => a.action);

describe("assistant: offline (local answerer)", () => {
  it("proposes an invitation in five languages; nothing is written until an admin confirms; a member's confirm is 403; a second confirm 409", async () => {
    const owner = await signUp();
    const phrases: [string, string][] = [
      ["en", "invite ana-en@x.com as admin"],
      ["es", "invita a ana-es@x.com como administrador"],
      ["de", "Lade ana-de@x.com als Admin ein"],
      ["fr", "Invite ana-fr@x.com en tant qu'administrateur"],
      ["pt", "Convide ana-pt@x.com como admin"],
    ];
    const proposals: any[] = [];
    for (const [lang, q] of phrases) {
      const r = await ask(owner, await conversation(owner), q);
      expect(r.status).toBe(200);
      expect(r.type).toMatch(/text\/event-stream/);
      const types = r.events.map((e) => e.type);
      // Contract order: the answer's text, the write's tool_call, the proposal that ends the turn, done.
      expect(types.filter((t) => t !== "token")).toEqual(["tool_call", "proposal", "done"]);
      expect(types.slice(-2)).toEqual(["proposal", "done"]);
      expect(types.indexOf("token")).toBeLessThan(types.indexOf("proposal"));
      const p = r.events.find((e) => e.type === "proposal");
      expect(p, lang).toMatchObject({
        method: "POST",
        path: "/api/v1/invitations",
        kind: "write",
        args: { email: `ana-${lang}@x.com`, role: "admin" },
      });
      expect(r.events.at(-1)).toMatchObject({ type: "done", local: true, provider: "local" });
      proposals.push(p);
      expect(await invitationsTo(owner.tenantId, `ana-${lang}@x.com`)).toHaveLength(0);
    }
    // The answer is in the question's language.
    const es = await ask(owner, await conversation(owner), "invita a luis@x.com como miembro");
    expect(
      es.events
        .filter((e) => e.type === "token")
        .map((e) => e.text)
        .join(""),
    ).toContain("Invitar a luis@x.com como miembro");

    const member = await addMember(owner, "member");
    const refused = await callJson(`/api/v1/assistant/actions/${proposals[0].action_id}/confirm`, { ...as(member), body: {} });
    expect(refused.status).toBe(403);
    expect(await invitationsTo(owner.tenantId, "ana-en@x.com")).toHaveLength(0);

    const ok = await callJson(`/api/v1/assistant/actions/${proposals[0].action_id}/confirm`, { ...as(owner), body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "done", http_status: 201 });
    expect(await invitationsTo(owner.tenantId, "ana-en@x.com")).toHaveLength(1);
    expect((await callJson(`/api/v1/assistant/actions/${proposals[0].action_id}/confirm`, { ...as(owner), body: {} })).status).toBe(409);

    const cancelled = await callJson(`/api/v1/assistant/actions/${proposals[1].action_id}/cancel`, { ...as(owner), method: "POST" });
    expect(cancelled.body.status).toBe("cancelled");
    expect((await callJson(`/api/v1/assistant/actions/${proposals[1].action_id}/confirm`, { ...as(owner), body: {} })).status).toBe(409);
    const audit = await auditActions(owner.tenantId);
    for (const a of ["assistant.action_proposed", "assistant.action_refused", "assistant.action_confirmed", "assistant.action_cancelled"])
      expect(audit).toContain(a);
  });

  it("maps the refund question in five languages onto GET /orders?status=refunded for last week, and answers in that language", async () => {
    const now = Date.UTC(2026, 11, 9, 12); // a Wednesday
    const week = windowOf("last_week", now);
    expect(week).toEqual({ from: "2026-11-30T00:00:00.000Z", to: "2026-12-07T00:00:00.000Z" });
    const questions = [
      "How many orders were refunded last week?",
      "¿Cuántos pedidos se reembolsaron la semana pasada?",
      "Wie viele Bestellungen wurden letzte Woche erstattet?",
      "Combien de commandes ont été remboursées la semaine dernière ?",
      "Quantos pedidos foram reembolsados na semana passada?",
    ];
    for (const q of questions)
      expect(mapQuestion(q, now), q).toMatchObject({
        kind: "count_orders",
        path: "/api/v1/commerce/orders",
        args: { status: "refunded", ...week },
      });
    expect(mapQuestion("What is the meaning of life?")).toEqual({ kind: "unknown" });

    const owner = await signUp();
    const answers = [
      "0 orders were refunded last week.",
      "0 pedidos fueron reembolsados la semana pasada.",
      "0 Bestellungen wurden letzte Woche erstattet.",
      "0 commandes ont été remboursées la semaine dernière.",
      "0 pedidos foram reembolsados na semana passada.",
    ];
    for (const [i, q] of questions.entries()) {
      const r = await ask(owner, await conversation(owner), q);
      const call = r.events.find((e) => e.type === "tool_call");
      expect(call.path).toMatch(/^\/api\/v1\/commerce\/orders\?limit=100&status=refunded&from=/);
      expect(r.events.find((e) => e.type === "tool_result")).toMatchObject({ status: "ok" });
      expect(
        r.events
          .filter((e) => e.type === "token")
          .map((e) => e.text)
          .join(""),
      ).toBe(answers[i]);
      expect(r.events.at(-1)).toMatchObject({ type: "done", local: true });
    }
    // Unknown: an honest "can't answer offline" with examples; history keeps both turns.
    const id = await conversation(owner);
    const r = await ask(owner, id, "Write me a poem about invoices");
    expect(
      r.events
        .filter((e) => e.type === "token")
        .map((e) => e.text)
        .join(""),
    ).toContain("I can't answer that offline");
    const detail = await callJson(`/api/v1/assistant/conversations/${id}`, as(owner));
    expect(detail.body.messages.map((m: any) => m.role)).toEqual(["user", "assistant"]);
    expect(detail.body.title).toBe("Write me a poem about invoices");
    const list = await callJson("/api/v1/assistant/conversations?q=poem", as(owner));
    expect(list.body.data.map((c: any) => c.id)).toEqual([id]);
  });

  it("validates input with the failing fields", async () => {
    const owner = await signUp();
    const id = await conversation(owner);
    const r = await callJson(`/api/v1/assistant/conversations/${id}/messages`, { ...as(owner), body: { content: "", locale: "it" } });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: any) => e.path).sort()).toEqual(["content", "locale"]);
  });

  it("renames a conversation for its owner only; an empty title is refused with its field", async () => {
    const owner = await signUp();
    const id = await conversation(owner, "First try");
    const bad = await callJson(`/api/v1/assistant/conversations/${id}`, { ...as(owner), method: "PATCH", body: { title: " " } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(["title"]);
    const other = await addMember(owner, "admin");
    const theirs = await callJson(`/api/v1/assistant/conversations/${id}`, { ...as(other), method: "PATCH", body: { title: "Mine now" } });
    expect(theirs.status).toBe(404);
    const ok = await callJson(`/api/v1/assistant/conversations/${id}`, {
      ...as(owner),
      method: "PATCH",
      body: { title: "Refunds last week" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.title).toBe("Refunds last week");
    const list = await callJson("/api/v1/assistant/conversations?q=Refunds", { ...as(owner), method: "GET" });
    expect(list.body.data.map((c: any) => c.id)).toEqual([id]);
  });
});

describe("assistant: tool calling through the AI gateway (fake providers on the real wire formats)", () => {
  it("refuses a tool the role lacks even when the model asks for it (OpenAI tool_calls); nothing changes", async () => {
    const owner = await signUp();
    await keys(owner);
    await configure(owner, [{ provider: "openai", model: "gpt-4o-mini" }]);
    const member = await addMember(owner, "member");
    const oa = fakeOpenAi({ reply: "I could not invite them: your role does not allow it." });
    oa.turns.push({ toolCalls: [{ name: "post_invitations", args: { email: "mallory@x.com", role: "admin" } }] });
    setProviderFetch(routeFakes(oa, fakeAnthropic()));
    const r = await ask(member, await conversation(member), "invite mallory@x.com as admin");
    const types = r.events.map((e) => e.type);
    expect(types).not.toContain("proposal");
    expect(r.events.find((e) => e.type === "tool_result")).toMatchObject({ status: "refused" });
    expect(r.events.at(-1)).toMatchObject({ type: "done", provider: "openai", local: false });
    expect(await invitationsTo(owner.tenantId, "mallory@x.com")).toHaveLength(0);
    // The model was told (a `tool` message answering its call) and was never offered the tool.
    const second = oa.requests[1]?.body;
    expect(second.messages.find((m: any) => m.role === "tool").content).toMatch(/Refused/);
    expect((oa.requests[0]?.body.tools ?? []).map((t: any) => t.function.name)).not.toContain("post_invitations");
    expect(await auditActions(owner.tenantId)).toContain("assistant.tool_refused");
  });

  it("a write the model asks for becomes a proposal, never a write, until confirmed (OpenAI)", async () => {
    const owner = await signUp();
    await keys(owner);
    await configure(owner, [{ provider: "openai", model: "gpt-4o-mini" }]);
    const oa = fakeOpenAi();
    oa.turns.push({ text: "I'll invite them.", toolCalls: [{ name: "post_invitations", args: { email: "bea@x.com", role: "member" } }] });
    setProviderFetch(routeFakes(oa, fakeAnthropic()));
    const r = await ask(owner, await conversation(owner), "please invite bea@x.com");
    const types = r.events.map((e) => e.type);
    expect(types.filter((t) => t !== "token")).toEqual(["tool_call", "proposal", "done"]);
    expect(oa.requests).toHaveLength(1); // the run stopped at the proposal
    expect(await invitationsTo(owner.tenantId, "bea@x.com")).toHaveLength(0);
    const p = r.events.find((e) => e.type === "proposal");
    expect((await callJson(`/api/v1/assistant/actions/${p.action_id}/confirm`, { ...as(owner), body: {} })).body.status).toBe("done");
    expect(await invitationsTo(owner.tenantId, "bea@x.com")).toHaveLength(1);

    // Destructive (DELETE): the typed phrase is required.
    const inv = (await invitationsTo(owner.tenantId, "bea@x.com"))[0];
    oa.turns.push({ toolCalls: [{ name: "delete_invitations_by_id", args: { id: inv?.id } }] });
    const d = await ask(owner, await conversation(owner), "revoke bea's invitation");
    const dp = d.events.find((e) => e.type === "proposal");
    expect(dp, d.text).toMatchObject({ kind: "destructive", method: "DELETE" });
    expect(dp.confirm_phrase).toBeTruthy();
    const wrong = await callJson(`/api/v1/assistant/actions/${dp.action_id}/confirm`, { ...as(owner), body: { typed: "nope" } });
    expect(wrong.status).toBe(422);
    const right = await callJson(`/api/v1/assistant/actions/${dp.action_id}/confirm`, { ...as(owner), body: { typed: dp.confirm_phrase } });
    expect(right.body).toMatchObject({ status: "done" });
  });

  it("Anthropic tool_use round trip: a read tool runs through the route, its result goes back as tool_result, the answer cites the records", async () => {
    const owner = await signUp();
    await keys(owner);
    await configure(owner, [{ provider: "anthropic", model: "claude-3-5-haiku-latest" }]);
    const an = fakeAnthropic({ reply: "You have one member." });
    an.turns.push({ text: "Let me check.", toolCalls: [{ name: "get_members", args: { limit: 10 } }] });
    setProviderFetch(routeFakes(fakeOpenAi(), an));
    const r = await ask(owner, await conversation(owner), "how many members do we have?");
    const types = r.events.map((e) => e.type).filter((t) => t !== "token");
    expect(types).toEqual(["tool_call", "tool_result", "done"]);
    const result = r.events.find((e) => e.type === "tool_result");
    expect(result).toMatchObject({ status: "ok" });
    expect(result.citations[0]).toMatchObject({ href: "/team" });
    expect(
      r.events
        .filter((e) => e.type === "token")
        .map((e) => e.text)
        .join(""),
    ).toBe("Let me check.You have one member.");
    expect(r.events.at(-1)).toMatchObject({ type: "done", provider: "anthropic", local: false });
    const second = an.requests[1]?.body;
    expect(second.messages.at(-2).content.find((b: any) => b.type === "tool_use")).toMatchObject({
      name: "get_members",
      input: { limit: 10 },
    });
    const block = second.messages.at(-1).content[0];
    expect(block.type).toBe("tool_result");
    // The tool result reached the model redacted (the workspace redacts PII for hosted providers).
    expect(block.content).toContain(owner.userId);
    expect(block.content).not.toContain(owner.email);
    expect(an.requests[0]?.body.tools.find((t: any) => t.name === "get_members").input_schema.type).toBe("object");
  });
});
