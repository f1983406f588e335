import { describe, expect, it } from "vitest";
import { b64uDecode } from "../providers/webpush";
import { newSubscriberKeys } from "./fake-providers/push-decrypt";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";

/** The API the dashboard's push opt-in uses: VAPID key, register, list, idempotent re-register, remove. */
const as = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });

describe("push opt-in API", () => {
  it("hands out the workspace VAPID key and registers, lists and removes this browser's subscription", async () => {
    const u = await signUp();
    const key = await as(u, "/api/v1/push/vapid-public-key");
    expect(key.status).toBe(200);
    const point = b64uDecode(key.body.public_key);
    expect(point.length).toBe(65);
    expect(point[0]).toBe(4);
    expect((await as(u, "/api/v1/push/vapid-public-key")).body.public_key).toBe(key.body.public_key); // stable

    const sub = await newSubscriberKeys();
    const body = { endpoint: "https://fcm.googleapis.com/fcm/send/e2e-abc", keys: { p256dh: sub.p256dh, auth: sub.auth } };
    const first = await as(u, "/api/v1/push/subscriptions", body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ endpoint_origin: "https://fcm.googleapis.com" });
    const again = await as(u, "/api/v1/push/subscriptions", body);
    expect(again.body.id).toBe(first.body.id); // same browser, same row
    const list = await as(u, "/api/v1/push/subscriptions");
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([expect.objectContaining({ id: first.body.id, endpoint_origin: "https://fcm.googleapis.com" })]);
    expect(JSON.stringify(list.body)).not.toContain("e2e-abc"); // the capability URL itself is never shown

    expect((await as(u, "/api/v1/push/subscriptions", { ...body, keys: { ...body.keys, auth: "short" } })).status).toBe(400);
    expect((await as(u, "/api/v1/push/subscriptions", { ...body, endpoint: "http://insecure.example/x" })).status).toBe(400);

    expect((await as(u, `/api/v1/push/subscriptions/${first.body.id}`, undefined, "DELETE")).status).toBe(204);
    expect((await as(u, "/api/v1/push/subscriptions")).body.data).toEqual([]);
  });
});
