import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { deadLetters, messageSuppressions } from "../../../../schema/messaging";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { callJson, uniqueEmail, type TestUser } from "../../../../test/helpers";
import { listSyncCases } from "./list-sync-isolation-cases";

/**
 * Tenant-isolation cases for the messaging and webhook routes, spread into CASES in
 * tenant-isolation.test.ts. A's data is created once (lazily, from the suite's beforeAll).
 */
interface World {
  a: TestUser;
  b: TestUser;
}
type Case = (w: World) => Promise<void>;
const asB = (w: World, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const expectNoneOf = (payload: unknown, ids: string[]) => {
  const text = JSON.stringify(payload);
  for (const id of ids) expect(text, `leaked ${id}`).not.toContain(id);
};

/** Messaging/webhooks data in A (created once, as A), for the messaging cases below. */
interface AMessaging {
  suppressed: string;
  msgId: string;
  dlqId: string;
  tplKey: string;
  providerId: string;
  listId: string;
  subId: string;
  subEmail: string;
  endpointId: string;
  notificationId: string;
  pushId: string;
  pushEndpoint: string;
  vapid: string;
  prefRecipient: string;
}
let aMessaging: Promise<AMessaging> | null = null;
export function aMessagingData(w: World): Promise<AMessaging> {
  aMessaging ??= (async () => {
    const asA = async (path: string, body?: unknown, method?: string) => {
      const r = await callJson(path, { token: w.a.accessToken, tenant: w.a.tenantId, body, method });
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const tplKey = "a.secret_template";
    await asA(`/api/v1/message-templates/${tplKey}/email`, { subject: "A only", body: "A body" }, "PUT");
    const provider = await asA("/api/v1/messaging/providers", {
      provider: "resend",
      from: "a@a.test",
      credentials: { api_key: "re_a_only_key_123" },
      enabled: false,
    });
    const list = await asA("/api/v1/email-lists", { name: "A list" });
    const subEmail = uniqueEmail("a-sub");
    const sub = await asA(`/api/v1/email-lists/${list.id}/subscribers`, { email: subEmail, confirmed: true });
    const ep = await asA("/api/v1/webhook-endpoints", { url: "https://a-hooks.example/weft", event_types: ["order.paid"] });
    const sent = await asA("/api/v1/messages", {
      to: { user_id: w.a.userId },
      channels: ["in_app"],
      template: "notifications.generic",
      data: { title: "A secret", body: "b" },
    });
    let notificationId = "";
    for (let i = 0; i < 200 && !notificationId; i++) {
      notificationId = (await asA("/api/v1/notifications")).data[0]?.id ?? "";
      if (!notificationId) await new Promise((r) => setTimeout(r, 50));
    }
    const pushEndpoint = "https://push.example.net/a-only";
    const push = await asA("/api/v1/push/subscriptions", {
      endpoint: pushEndpoint,
      keys: {
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        auth: "BTBZMqHH6r4Tts7J_aSIgg",
      },
    });
    const vapid = (await asA("/api/v1/push/vapid-public-key")).public_key;
    const prefRecipient = uniqueEmail("a-pref");
    await asA(
      "/api/v1/messaging/preferences",
      { recipient: prefRecipient, category: "marketing", channel: "email", opted_out: true },
      "PUT",
    );
    const dlqId = newId("dlq");
    await getDb(env.DB)
      .insert(deadLetters)
      .values({
        id: dlqId,
        queue: "weft-outbox",
        messageId: dlqId,
        body: { v: 1, outboxId: sent.data[0].id },
        tenantId: w.a.tenantId,
        outboxId: sent.data[0].id,
        reason: "test",
        createdAt: Date.now(),
      });
    const suppressed = uniqueEmail("a-bounced");
    await getDb(env.DB).insert(messageSuppressions).values({
      tenantId: w.a.tenantId,
      recipient: suppressed,
      channel: "email",
      reason: "hard_bounce",
      provider: "resend",
      messageId: null,
      detail: "test",
      createdAt: Date.now(),
    });
    return {
      suppressed,
      msgId: sent.data[0].id,
      dlqId,
      tplKey,
      providerId: provider.id,
      listId: list.id,
      subId: sub.id,
      subEmail,
      endpointId: ep.id,
      notificationId,
      pushId: push.id,
      pushEndpoint,
      vapid,
      prefRecipient,
    };
  })();
  return aMessaging;
}
const expect404 = async (w: World, method: string, path: string, body?: unknown) =>
  expect((await asB(w, method, path, body)).status, `${method} ${path}`).toBe(404);
const listHasNone = async (w: World, path: string, ids: string[]) => {
  const r = await asB(w, "GET", path);
  expect(r.status, path).toBe(200);
  expectNoneOf(r.body, ids);
};

export const MESSAGING_CASES: Record<string, Case> = {
  ...listSyncCases(aMessagingData),
  "POST /api/v1/messages": async (w) => {
    // B cannot address A's members through B's workspace.
    expect(
      (
        await asB(w, "POST", "/api/v1/messages", {
          to: { user_id: w.a.userId },
          channels: ["in_app"],
          template: "notifications.generic",
          data: {},
        })
      ).status,
    ).toBe(400);
  },
  "GET /api/v1/messages": async (w) => listHasNone(w, "/api/v1/messages?limit=100", [(await aMessagingData(w)).msgId]),
  "GET /api/v1/messages/{id}": async (w) => expect404(w, "GET", `/api/v1/messages/${(await aMessagingData(w)).msgId}`),
  "POST /api/v1/messages/{id}/replay": async (w) => expect404(w, "POST", `/api/v1/messages/${(await aMessagingData(w)).msgId}/replay`, {}),
  "POST /api/v1/messages/{id}/cancel": async (w) => expect404(w, "POST", `/api/v1/messages/${(await aMessagingData(w)).msgId}/cancel`, {}),
  "GET /api/v1/dead-letters": async (w) => listHasNone(w, "/api/v1/dead-letters?limit=100", [(await aMessagingData(w)).dlqId]),
  "POST /api/v1/dead-letters/{id}/replay": async (w) =>
    expect404(w, "POST", `/api/v1/dead-letters/${(await aMessagingData(w)).dlqId}/replay`, {}),
  "GET /api/v1/message-templates": async (w) => listHasNone(w, "/api/v1/message-templates", [(await aMessagingData(w)).tplKey]),
  "GET /api/v1/message-templates/{key}": async (w) => expect404(w, "GET", `/api/v1/message-templates/${(await aMessagingData(w)).tplKey}`),
  "PUT /api/v1/message-templates/{key}/{channel}": async (w) => {
    const r = await asB(w, "PUT", `/api/v1/message-templates/${(await aMessagingData(w)).tplKey}/email`, { subject: "B", body: "B" });
    expect(r.status).toBe(201);
    expect(r.body.version).toBe(1); // B's own first version, not A's second
  },
  "DELETE /api/v1/message-templates/{key}/{channel}": async (w) => expect404(w, "DELETE", `/api/v1/message-templates/a.never_in_b/email`),
  "POST /api/v1/message-templates/preview": async (w) => {
    const r = await asB(w, "POST", "/api/v1/message-templates/preview", { key: "a.never_in_b", channel: "email" });
    expect(r.status).toBe(400);
  },
  "GET /api/v1/messaging/providers": async (w) => listHasNone(w, "/api/v1/messaging/providers", [(await aMessagingData(w)).providerId]),
  "POST /api/v1/messaging/providers": async (w) => {
    expect(
      (
        await asB(w, "POST", "/api/v1/messaging/providers", {
          provider: "resend",
          from: "b@b.test",
          credentials: { api_key: "re_b_key_1234" },
          enabled: false,
        })
      ).status,
    ).toBe(201);
  },
  "PATCH /api/v1/messaging/providers/{id}": async (w) =>
    expect404(w, "PATCH", `/api/v1/messaging/providers/${(await aMessagingData(w)).providerId}`, { enabled: true }),
  "DELETE /api/v1/messaging/providers/{id}": async (w) =>
    expect404(w, "DELETE", `/api/v1/messaging/providers/${(await aMessagingData(w)).providerId}`),
  "GET /api/v1/messaging/preferences": async (w) => {
    const r = await asB(w, "GET", `/api/v1/messaging/preferences?recipient=${encodeURIComponent((await aMessagingData(w)).prefRecipient)}`);
    expect(r.body.data).toEqual([]);
  },
  "PUT /api/v1/messaging/preferences": async (w) => {
    expect(
      (
        await asB(w, "PUT", "/api/v1/messaging/preferences", {
          recipient: (await aMessagingData(w)).prefRecipient,
          category: "marketing",
          channel: "email",
          opted_out: false,
        })
      ).status,
    ).toBe(200);
  },
  "GET /api/v1/notifications": async (w) => listHasNone(w, "/api/v1/notifications?limit=100", [(await aMessagingData(w)).notificationId]),
  "GET /api/v1/notifications/unread-count": async (w) => {
    await aMessagingData(w);
    expect((await asB(w, "GET", "/api/v1/notifications/unread-count")).body.unread).toBe(0);
  },
  "POST /api/v1/notifications/{id}/read": async (w) =>
    expect404(w, "POST", `/api/v1/notifications/${(await aMessagingData(w)).notificationId}/read`, {}),
  "POST /api/v1/notifications/read-all": async (w) => {
    await aMessagingData(w);
    expect((await asB(w, "POST", "/api/v1/notifications/read-all", {})).body.updated).toBe(0);
  },
  "GET /api/v1/push/vapid-public-key": async (w) => {
    expect((await asB(w, "GET", "/api/v1/push/vapid-public-key")).body.public_key).not.toBe((await aMessagingData(w)).vapid);
  },
  "GET /api/v1/messaging/suppressions": async (w) => {
    const m = await aMessagingData(w);
    await listHasNone(w, "/api/v1/messaging/suppressions", [m.suppressed]);
    await listHasNone(w, `/api/v1/messaging/suppressions?recipient=${encodeURIComponent(m.suppressed)}`, [m.suppressed]);
  },
  "DELETE /api/v1/messaging/suppressions/{channel}/{recipient}": async (w) => {
    const m = await aMessagingData(w);
    await expect404(w, "DELETE", `/api/v1/messaging/suppressions/email/${encodeURIComponent(m.suppressed)}`);
    const still = await getDb(env.DB).select().from(messageSuppressions).where(eq(messageSuppressions.recipient, m.suppressed)).get();
    expect(still?.tenantId).toBe(w.a.tenantId);
  },
  "GET /api/v1/push/subscriptions": async (w) => listHasNone(w, "/api/v1/push/subscriptions", [(await aMessagingData(w)).pushId]),
  "POST /api/v1/push/subscriptions": async (w) => {
    const m = await aMessagingData(w);
    const r = await asB(w, "POST", "/api/v1/push/subscriptions", {
      endpoint: m.pushEndpoint,
      keys: {
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        auth: "BTBZMqHH6r4Tts7J_aSIgg",
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe(m.pushId);
  },
  "DELETE /api/v1/push/subscriptions/{id}": async (w) =>
    expect404(w, "DELETE", `/api/v1/push/subscriptions/${(await aMessagingData(w)).pushId}`),
  "GET /api/v1/email-lists": async (w) => listHasNone(w, "/api/v1/email-lists?limit=100", [(await aMessagingData(w)).listId]),
  "POST /api/v1/email-lists": async (w) => {
    expect((await asB(w, "POST", "/api/v1/email-lists", { name: "B list" })).status).toBe(201);
  },
  "GET /api/v1/email-lists/{id}": async (w) => expect404(w, "GET", `/api/v1/email-lists/${(await aMessagingData(w)).listId}`),
  "PATCH /api/v1/email-lists/{id}": async (w) =>
    expect404(w, "PATCH", `/api/v1/email-lists/${(await aMessagingData(w)).listId}`, { name: "pwned" }),
  "DELETE /api/v1/email-lists/{id}": async (w) => expect404(w, "DELETE", `/api/v1/email-lists/${(await aMessagingData(w)).listId}`),
  "GET /api/v1/email-lists/{id}/subscribers": async (w) =>
    expect404(w, "GET", `/api/v1/email-lists/${(await aMessagingData(w)).listId}/subscribers`),
  "POST /api/v1/email-lists/{id}/subscribers": async (w) =>
    expect404(w, "POST", `/api/v1/email-lists/${(await aMessagingData(w)).listId}/subscribers`, {
      email: uniqueEmail("b-sub"),
      confirmed: true,
    }),
  "DELETE /api/v1/email-lists/{id}/subscribers/{subscriberId}": async (w) => {
    const m = await aMessagingData(w);
    await expect404(w, "DELETE", `/api/v1/email-lists/${m.listId}/subscribers/${m.subId}`);
  },
  "GET /api/v1/email-lists/{id}/export": async (w) => expect404(w, "GET", `/api/v1/email-lists/${(await aMessagingData(w)).listId}/export`),
  "POST /api/v1/email-lists/{id}/broadcasts": async (w) =>
    expect404(w, "POST", `/api/v1/email-lists/${(await aMessagingData(w)).listId}/broadcasts`, { template: "messaging.test" }),
  "POST /api/v1/email-lists/erase": async (w) => {
    const r = await asB(w, "POST", "/api/v1/email-lists/erase", { email: (await aMessagingData(w)).subEmail });
    expect(r.body).toMatchObject({ subscriptions: 0, preferences: 0 });
  },
  "GET /api/v1/webhook-endpoints": async (w) =>
    listHasNone(w, "/api/v1/webhook-endpoints?limit=100", [(await aMessagingData(w)).endpointId]),
  "POST /api/v1/webhook-endpoints": async (w) => {
    expect(
      (await asB(w, "POST", "/api/v1/webhook-endpoints", { url: "https://b-hooks.example/x", event_types: ["order.paid"] })).status,
    ).toBe(201);
  },
  "GET /api/v1/webhook-endpoints/{id}": async (w) =>
    expect404(w, "GET", `/api/v1/webhook-endpoints/${(await aMessagingData(w)).endpointId}`),
  "PATCH /api/v1/webhook-endpoints/{id}": async (w) =>
    expect404(w, "PATCH", `/api/v1/webhook-endpoints/${(await aMessagingData(w)).endpointId}`, { url: "https://evil.example/x" }),
  "DELETE /api/v1/webhook-endpoints/{id}": async (w) =>
    expect404(w, "DELETE", `/api/v1/webhook-endpoints/${(await aMessagingData(w)).endpointId}`),
  "GET /api/v1/webhook-endpoints/{id}/secret": async (w) =>
    expect404(w, "GET", `/api/v1/webhook-endpoints/${(await aMessagingData(w)).endpointId}/secret`),
  "POST /api/v1/webhook-endpoints/{id}/rotate-secret": async (w) =>
    expect404(w, "POST", `/api/v1/webhook-endpoints/${(await aMessagingData(w)).endpointId}/rotate-secret`, {}),
  "POST /api/v1/webhook-endpoints/{id}/test": async (w) =>
    expect404(w, "POST", `/api/v1/webhook-endpoints/${(await aMessagingData(w)).endpointId}/test`, {}),
  "GET /api/v1/webhook-endpoints/{id}/deliveries": async (w) =>
    expect404(w, "GET", `/api/v1/webhook-endpoints/${(await aMessagingData(w)).endpointId}/deliveries`),
  "POST /api/v1/webhook-endpoints/{id}/deliveries/{messageId}/replay": async (w) => {
    const m = await aMessagingData(w);
    await expect404(w, "POST", `/api/v1/webhook-endpoints/${m.endpointId}/deliveries/${m.msgId}/replay`, {});
  },
};
