import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { ChatEnv } from "../env";
import { hmacHex } from "../identity";
import { eu, euSignUp, portal } from "../../endusers/test/endusers-helpers";
import { BASE, call, freshIp, uniqueEmail } from "../../../../test/helpers";
import { asOwner, chatWorld, newConversation, newVisitor, openVisitor, pub, visitorWsPath, WsClient, type ChatWorld } from "./chat-helpers";

const sign = (secret: string, claims: Record<string, unknown>, exp: string | number = "10m", alg = "HS256") =>
  new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret));

async function withSecret(w: ChatWorld): Promise<string> {
  const r = await asOwner(w, "POST", "/api/v1/chat/settings/identity-secret");
  expect(r.status).toBe(201);
  return r.body.secret;
}

describe("chat: publishable key and origin enforcement", () => {
  it("refuses a missing Origin, a foreign origin and a revoked key on requests and WebSocket upgrades", async () => {
    const w = await chatWorld();
    expect((await pub(w, "GET", "/public/v1/chat/config")).status).toBe(200);
    const none = await pub(w, "GET", "/public/v1/chat/config", { origin: null });
    expect(none.status).toBe(403);
    expect(none.body.type).toBe("https://weft.dev/problems/chat-origin-refused");
    expect((await pub(w, "GET", "/public/v1/chat/config", { origin: "https://evil.example" })).status).toBe(403);
    expect((await pub(w, "POST", "/public/v1/chat/visitors", { origin: "https://shop.example.evil.test", body: {} })).status).toBe(403);

    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const path = visitorWsPath(w, conv, v);
    expect((await WsClient.upgrade(path, {})).status).toBe(403);
    expect((await WsClient.upgrade(path, { Origin: "https://evil.example" })).status).toBe(403);
    expect((await WsClient.upgrade(path, { Origin: w.origin })).status).toBe(101);

    // Weft's own iframe: same-origin requests name the embedding site, which must be allowed.
    expect((await pub(w, "GET", "/public/v1/chat/config", { origin: BASE, headers: { "X-Weft-Embed-Origin": w.origin } })).status).toBe(
      200,
    );
    expect((await pub(w, "GET", "/public/v1/chat/config", { origin: BASE })).status).toBe(403);
    // Same-origin GETs carry no Origin; the browser's Sec-Fetch-Site marks them as the iframe's.
    expect(
      (
        await pub(w, "GET", "/public/v1/chat/config", {
          origin: null,
          headers: { "Sec-Fetch-Site": "same-origin", "X-Weft-Embed-Origin": w.origin },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await pub(w, "GET", "/public/v1/chat/config", {
          origin: null,
          headers: { "Sec-Fetch-Site": "cross-site", "X-Weft-Embed-Origin": w.origin },
        })
      ).status,
    ).toBe(403);
    expect(
      (await pub(w, "GET", "/public/v1/chat/config", { origin: BASE, headers: { "X-Weft-Embed-Origin": "https://evil.example" } })).status,
    ).toBe(403);

    expect((await asOwner(w, "DELETE", `/api/v1/publishable-keys/${w.keyId}`)).status).toBe(204);
    expect((await pub(w, "GET", "/public/v1/chat/config")).status).toBe(403);
    expect((await WsClient.upgrade(path, { Origin: w.origin })).status).toBe(403);
  });

  it("serves the iframe only to allowed origins, with frame-ancestors set to that origin", async () => {
    const w = await chatWorld();
    const ok = await call(`/widget/frame?key=${w.key}&origin=${encodeURIComponent(w.origin)}`);
    expect(ok.status).toBe(200);
    const csp = ok.headers.get("Content-Security-Policy")!;
    expect(csp).toContain(`frame-ancestors ${w.origin}`);
    expect(csp).toContain("script-src 'self'");
    expect(await ok.text()).toContain("/widget/frame.js?v=");
    const bad = await call(`/widget/frame?key=${w.key}&origin=${encodeURIComponent("https://evil.example")}`);
    expect(bad.status).toBe(403);
    expect(bad.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    const loader = await call("/widget.js");
    expect(loader.headers.get("Content-Type")).toContain("javascript");
    expect(await loader.text()).toContain("/widget/frame?key=");
  });

  it("keeps visitors apart: another visitor's token cannot read or join a conversation", async () => {
    const w = await chatWorld({ ai: false });
    const v1 = await newVisitor(w);
    const v2 = await newVisitor(w);
    const conv = await newConversation(w, v1);
    expect((await pub(w, "GET", `/public/v1/chat/conversations/${conv}/messages`, { token: v2.token })).status).toBe(404);
    expect((await WsClient.upgrade(visitorWsPath(w, conv, v2), { Origin: w.origin })).status).toBe(404);
    expect((await pub(w, "GET", "/public/v1/chat/conversations", { token: "vt_forged" })).status).toBe(401);
    // A key of another workspace does not reach this one's visitors.
    const other = await chatWorld();
    expect((await pub(other, "GET", `/public/v1/chat/conversations/${conv}/messages`, { token: v1.token })).status).toBe(401);
  });
});

describe("chat: identity verification", () => {
  it("accepts a valid JWT and user_hash and rejects forged, expired, over-long and unsigned ones", async () => {
    const w = await chatWorld();
    const secret = await withSecret(w);
    const good = await pub(w, "POST", "/public/v1/chat/visitors", {
      body: { identity: { jwt: await sign(secret, { user_id: "u-42", email: "ada@example.com", name: "Ada" }) } },
    });
    expect(good.status).toBe(200);
    expect(good.body.visitor).toMatchObject({ user_id: "u-42", email: "ada@example.com", verified: true });

    const refused = async (identity: unknown) => (await pub(w, "POST", "/public/v1/chat/visitors", { body: { identity } })).body.type;
    const invalid = "https://weft.dev/problems/chat-identity-invalid";
    expect(await refused({ jwt: await sign("wis_not-the-secret", { user_id: "u-42" }) })).toBe(invalid);
    expect(await refused({ jwt: await sign(secret, { user_id: "u-42" }, Math.floor(Date.now() / 1000) - 60) })).toBe(invalid);
    expect(await refused({ jwt: await sign(secret, { user_id: "u-42" }, "30d") })).toBe(invalid);
    const unsigned = `${btoa(JSON.stringify({ alg: "none" })).replace(/=/g, "")}.${btoa(JSON.stringify({ user_id: "u-42", exp: 9999999999 })).replace(/=/g, "")}.`;
    expect(await refused({ jwt: unsigned })).toBe(invalid);

    const hash = await hmacHex(secret, "u-7");
    const legacy = await pub(w, "POST", "/public/v1/chat/visitors", { body: { identity: { user_id: "u-7", user_hash: hash } } });
    expect(legacy.body.visitor).toMatchObject({ user_id: "u-7", verified: true });
    expect(await refused({ user_id: "u-8", user_hash: hash })).toBe(invalid);
    expect(await refused({ user_id: "u-7", user_hash: "0".repeat(64) })).toBe(invalid);
  });

  it("recognises the workspace's portal end user by their portal token (no identity secret); another workspace's or a signed-out token is 401", async () => {
    const w = await chatWorld({ ai: false });
    const p = await portal({}, w.owner);
    const u = await euSignUp(p, uniqueEmail("chat-eu"), "Pat Portal");
    const me = await pub(w, "POST", "/public/v1/chat/visitors", { body: { identity: { end_user_token: u.accessToken } } });
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.visitor).toMatchObject({ user_id: u.id, email: u.email, name: "Pat Portal", verified: true });
    // The same customer on another device gets the same history (the same user id).
    const conv = await newConversation(w, { token: me.body.visitor_token, ip: "10.200.0.1", id: me.body.visitor.id });
    const again = await pub(w, "POST", "/public/v1/chat/visitors", { body: { identity: { end_user_token: u.accessToken } } });
    expect(again.body.visitor_token).not.toBe(me.body.visitor_token);
    const list = await pub(w, "GET", "/public/v1/chat/conversations", { token: again.body.visitor_token });
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(conv);

    const other = await portal();
    const stranger = await euSignUp(other);
    expect(
      (await pub(w, "POST", "/public/v1/chat/visitors", { body: { identity: { end_user_token: stranger.accessToken } } })).status,
    ).toBe(401);
    expect((await eu(p, u.accessToken)("POST", "/auth/signout")).status).toBe(204);
    expect((await pub(w, "POST", "/public/v1/chat/visitors", { body: { identity: { end_user_token: u.accessToken } } })).status).toBe(401);
  });

  it("gives identified users their history on any device, and never another user's", async () => {
    const w = await chatWorld({ ai: false });
    const secret = await withSecret(w);
    const id = async (user: string) => ({ jwt: await sign(secret, { sub: user }) });
    const laptop = await newVisitor(w, { identity: await id("u-1") });
    const conv = await newConversation(w, laptop);
    const phone = await newVisitor(w, { identity: await id("u-1") });
    expect(phone.id).not.toBe(laptop.id);
    const list = await pub(w, "GET", "/public/v1/chat/conversations", { token: phone.token });
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([conv]);
    // The laptop's token presented with another user's identity yields a fresh visitor.
    const switched = await pub(w, "POST", "/public/v1/chat/visitors", { body: { visitor_token: laptop.token, identity: await id("u-2") } });
    expect(switched.body.visitor_token).toBeTruthy();
    const theirs = await pub(w, "GET", "/public/v1/chat/conversations", { token: switched.body.visitor_token });
    expect(theirs.body.data).toEqual([]);
  });

  it("when enforced, refuses unverified visitors on every request, upgrade and message", async () => {
    const w = await chatWorld({ ai: false });
    const secret = await withSecret(w);
    const anon = await newVisitor(w);
    const conv = await newConversation(w, anon);
    const c = await openVisitor(w, conv, anon);
    const ns = (env as unknown as ChatEnv).CHAT_SESSION;
    const expireSettings = () =>
      runInDurableObject(ns.get(ns.idFromName(`${w.owner.tenantId}:${conv}`)), (inst) => {
        (inst as unknown as { guard: { settingsCheckedAt: number } }).guard.settingsCheckedAt = 0;
      });
    // The session reads the settings (so a read is cached, shared by the workspace's sessions) ...
    await expireSettings();
    c.send({ type: "message", client_id: "before", body: "hello" });
    await c.waitFor((e) => e.type === "ack");

    // ... and the change replaces it: the cached read is not served afterwards.
    expect((await asOwner(w, "PATCH", "/api/v1/chat/settings", { identity_required: true })).status).toBe(200);
    const required = "https://weft.dev/problems/chat-identity-required";
    expect((await pub(w, "POST", "/public/v1/chat/visitors", { body: {} })).body.type).toBe(required);
    expect((await pub(w, "GET", "/public/v1/chat/conversations", { token: anon.token })).body.type).toBe(required);
    expect((await pub(w, "POST", "/public/v1/chat/conversations", { token: anon.token, body: {} })).body.type).toBe(required);
    expect((await WsClient.upgrade(visitorWsPath(w, conv, anon), { Origin: w.origin })).status).toBe(401);

    // The socket opened before enforcement: its next message (once its settings are re-read) is refused too.
    await expireSettings();
    c.send({ type: "message", client_id: "after", body: "still here?" });
    expect((await c.waitFor((e) => e.type === "error" && e.client_id === "after")).code).toBe("identity-required");
    c.close();

    const verified = await newVisitor(w, { identity: { jwt: await sign(secret, { user_id: "u-9" }) } });
    const conv2 = await newConversation(w, verified);
    const c2 = await openVisitor(w, conv2, verified);
    c2.send({ type: "message", client_id: "ok", body: "verified hello" });
    expect((await c2.waitFor((e) => e.type === "ack")).duplicate).toBe(false);
    c2.close();
  });
});

describe("chat: limits", () => {
  it("rate-limits messages per visitor and refuses oversized messages", async () => {
    const w = await chatWorld({ ai: false });
    const v = await newVisitor(w);
    const conv = await newConversation(w, v);
    const c = await openVisitor(w, conv, v);
    c.send({ type: "message", client_id: "big", body: "x".repeat(4001) });
    expect((await c.waitFor((e) => e.type === "error" && e.client_id === "big")).code).toBe("invalid");
    for (let i = 0; i < 30; i++) c.send({ type: "message", client_id: `r${i}`, body: `burst ${i}` });
    await c.waitFor((e) => (e.type === "ack" || e.type === "error") && e.client_id === "r29");
    const acked = c.of("ack").length;
    const limited = c.of("error").filter((e) => e.code === "rate-limited").length;
    expect(acked).toBeLessThanOrEqual(20);
    expect(acked).toBeGreaterThan(0);
    expect(acked + limited).toBe(30);
    c.close();
  });

  it("rate-limits public chat requests per client IP", async () => {
    const w = await chatWorld();
    const ip = freshIp();
    // The limiter runs before anything else, so cheap refused requests (no key) count as well.
    let status = 0;
    let n = 0;
    while (status !== 429 && n < 1500) {
      const batch = await Promise.all([...Array(50)].map(() => call("/public/v1/chat/config", { ip, headers: { Origin: w.origin } })));
      n += 50;
      status = batch.some((r) => r.status === 429) ? 429 : batch[0]!.status;
    }
    expect(status).toBe(429);
    expect(n).toBeGreaterThan(250);
    // Another IP is unaffected.
    expect((await pub(w, "GET", "/public/v1/chat/config", { ip: freshIp() })).status).toBe(200);
  });
});
