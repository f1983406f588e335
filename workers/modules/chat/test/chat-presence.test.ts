import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inboxStub } from "../env";
import { PRESENCE_TIMEOUT_MS, type TenantInbox } from "../inbox.do";
import { chatWorld, eventually, pub, ticket, WsClient } from "./chat-helpers";

/** Agents online = inbox sockets that are alive, not merely open (a dead connection can stay open). */
describe("chat: agent presence", () => {
  it("a socket silent for longer than the timeout stops counting; its next ping brings the agent back", async () => {
    const w = await chatWorld();
    const agent = await WsClient.open(`/api/v1/chat/inbox/ws?ticket=${await ticket(w)}`);
    await agent.waitFor((e) => e.type === "presence" && e.online === 1);
    expect((await pub(w, "GET", "/public/v1/chat/config")).body.agents_online).toBe(1);

    // The connection went quiet: connected (and last heard of) longer ago than the timeout.
    const stub = inboxStub(env, w.owner.tenantId);
    await runInDurableObject(stub, (_inbox: TenantInbox, state) => {
      for (const ws of state.getWebSockets("agent"))
        ws.serializeAttachment({ ...(ws.deserializeAttachment() as object), at: Date.now() - PRESENCE_TIMEOUT_MS - 1000 });
    });
    expect((await pub(w, "GET", "/public/v1/chat/config")).body.agents_online).toBe(0);

    // The dashboard's 30-second ping (answered by the runtime's auto-response) shows it is alive.
    agent.send({ type: "ping" });
    await agent.waitFor((e) => e.type === "pong");
    await eventually(async () => (await pub(w, "GET", "/public/v1/chat/config")).body.agents_online === 1);
    agent.close();
  });
});
