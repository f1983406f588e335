import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyBillingEvent } from "../../billing/lifecycle.service";
import { publishEvent } from "../publish";
import { verifySignature } from "../../../platform/standard-webhooks";
import { getDb } from "../../../platform/db";
import { asOwner, chatWorld, newConversation, newVisitor } from "../../chat/test/chat-helpers";
import { FakeProviders } from "../../messaging/test/fake-providers";
import { callJson, signUp, tokenFromMail, uniqueEmail, waitForMail, type TestUser } from "../../../../test/helpers";

/** Other modules publish catalogue events: a registered endpoint receives each one, signed per Standard Webhooks. */
const fake = new FakeProviders();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

const as = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });
let n = 0;
async function endpoint(u: TestUser, eventTypes: string[]) {
  const url = `https://hooks.example.org/modules/${++n}-${Date.now()}`;
  const r = await as(u, "/api/v1/webhook-endpoints", { url, event_types: eventTypes });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const receiver = {
    secret: r.body.secret as string,
    received: [] as { headers: Record<string, string>; body: string; verified: boolean }[],
    status: [] as number[],
  };
  fake.webhookReceivers.set(url, receiver);
  return receiver;
}
/** Waits for a delivery of `type` and checks its signature independently of the fake's own check. */
async function received(receiver: Awaited<ReturnType<typeof endpoint>>, type: string) {
  for (let i = 0; i < 300; i++) {
    const hit = receiver.received.find((r) => JSON.parse(r.body).type === type);
    if (hit) {
      const ok = await verifySignature(
        receiver.secret,
        hit.headers as { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string },
        hit.body,
      );
      expect(ok, "signature").toBe(true);
      return JSON.parse(hit.body) as { type: string; data: Record<string, unknown> };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${type} delivery`);
}

describe("module events reach tenants' endpoints", () => {
  it("tenancy: member.invited, member.joined, member.removed", async () => {
    const owner = await signUp();
    const hook = await endpoint(owner, ["member.invited", "member.joined", "member.removed"]);
    const email = uniqueEmail("invitee");
    const inv = await as(owner, "/api/v1/invitations", { email, role: "member" });
    expect(inv.status).toBe(201);
    expect((await received(hook, "member.invited")).data).toMatchObject({ invitation_id: inv.body.id, email, role: "member" });

    const invitee = await signUp({ email });
    const token = tokenFromMail(await waitForMail(email, "invit"));
    const accepted = await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, body: { token }, ip: invitee.ip });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect((await received(hook, "member.joined")).data).toMatchObject({ user_id: invitee.userId, role: "member" });

    expect((await as(owner, `/api/v1/members/${invitee.userId}`, undefined, "DELETE")).status).toBe(204);
    expect((await received(hook, "member.removed")).data).toMatchObject({ user_id: invitee.userId, reason: "removed" });
  });

  it("billing: subscription.created, subscription.updated and subscription.canceled from the lifecycle", async () => {
    const owner = await signUp();
    const hook = await endpoint(owner, ["subscription.created", "subscription.updated", "subscription.canceled"]);
    const db = getDb(env.DB);
    const base = {
      kind: "subscription.upsert" as const,
      tenantId: owner.tenantId,
      provider: "simulator" as const,
      customerId: null,
      subscriptionId: "sub_test_1",
      interval: "month" as const,
      status: "active" as const,
      trialEndsAt: null,
      periodStart: null,
      periodEnd: null,
      cancelAtPeriodEnd: false,
    };
    expect(await applyBillingEvent(env, db, { ...base, plan: "starter", seats: 2, at: Date.now() })).toBe("applied");
    expect((await received(hook, "subscription.created")).data).toMatchObject({ plan: "starter", seats: 2, status: "active" });
    expect(await applyBillingEvent(env, db, { ...base, plan: "professional", seats: 5, at: Date.now() + 1 })).toBe("applied");
    expect((await received(hook, "subscription.updated")).data).toMatchObject({ plan: "professional", seats: 5, previous_plan: "starter" });
    expect(
      await applyBillingEvent(env, db, {
        kind: "subscription.deleted",
        tenantId: owner.tenantId,
        subscriptionId: "sub_test_1",
        at: Date.now() + 2,
      }),
    ).toBe("applied");
    expect((await received(hook, "subscription.canceled")).data).toMatchObject({ plan: "professional" });
  });

  it("chat: conversation.created when a visitor starts a conversation, conversation.closed once when it ends", async () => {
    const w = await chatWorld({ ai: false });
    const hook = await endpoint(w.owner, ["conversation.created", "conversation.closed"]);
    const v = await newVisitor(w);
    const id = await newConversation(w, v, { page_url: "https://shop.example/pricing" });
    expect((await received(hook, "conversation.created")).data).toMatchObject({
      conversation_id: id,
      visitor_id: v.id,
      page_url: "https://shop.example/pricing",
    });
    const closed = await asOwner(w, "POST", `/api/v1/chat/conversations/${id}/close`);
    expect(closed.body.status).toBe("closed");
    expect((await received(hook, "conversation.closed")).data).toMatchObject({ conversation_id: id });
    // Later mirrors of the closed conversation publish nothing new.
    await publishEvent(getDb(env.DB), env.OUTBOX, {
      tenantId: w.owner.tenantId,
      type: "conversation.closed",
      eventId: `evt_closed_${id}`,
      data: { conversation_id: id },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.received.filter((r) => JSON.parse(r.body).type === "conversation.closed")).toHaveLength(1);
  });
});
