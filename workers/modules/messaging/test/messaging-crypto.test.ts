import { importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { unsubscribeToken, verifyUnsubscribeToken } from "../preferences";
import { renderString } from "../render";
import { b64uDecode, b64uEncode, encryptPushPayload, generateVapidKeys, importSenderKeys, vapidAuthorization } from "../providers/webpush";
import { signatureHeaders, signPayload, verifySignature } from "../../../platform/standard-webhooks";
import { decryptPushBody } from "./fake-providers/push-decrypt";

// RFC 8291 Appendix A (https://www.rfc-editor.org/rfc/rfc8291#appendix-A).
const RFC8291 = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  body: "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

// Standard Webhooks published vector (spec and reference libraries' tests).
const SW = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  ts: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Web Push encryption (RFC 8291)", () => {
  it("reproduces the RFC 8291 Appendix A message byte for byte", async () => {
    const sender = await importSenderKeys(RFC8291.asPrivate, RFC8291.asPublic);
    const body = await encryptPushPayload(
      new TextEncoder().encode(RFC8291.plaintext),
      { p256dh: RFC8291.uaPublic, auth: RFC8291.auth },
      { salt: b64uDecode(RFC8291.salt), sender },
    );
    expect(b64uEncode(body)).toBe(RFC8291.body);
  });

  it("produces messages a receiver decrypts with its private key (fresh keys and salt each time)", async () => {
    const pub = b64uDecode(RFC8291.uaPublic);
    const jwk = { kty: "EC", crv: "P-256", d: RFC8291.uaPrivate, x: b64uEncode(pub.slice(1, 33)), y: b64uEncode(pub.slice(33)) };
    const a = await encryptPushPayload(new TextEncoder().encode("hello"), { p256dh: RFC8291.uaPublic, auth: RFC8291.auth });
    const b = await encryptPushPayload(new TextEncoder().encode("hello"), { p256dh: RFC8291.uaPublic, auth: RFC8291.auth });
    expect(b64uEncode(a)).not.toBe(b64uEncode(b));
    expect(await decryptPushBody(a, jwk, RFC8291.uaPublic, RFC8291.auth)).toBe("hello");
    // The RFC's own message decrypts with the same receiver code.
    expect(await decryptPushBody(b64uDecode(RFC8291.body), jwk, RFC8291.uaPublic, RFC8291.auth)).toBe(RFC8291.plaintext);
  });

  it("rejects malformed subscription keys", async () => {
    await expect(encryptPushPayload(new Uint8Array([1]), { p256dh: "AAAA", auth: RFC8291.auth })).rejects.toThrow(/P-256/);
    await expect(encryptPushPayload(new Uint8Array([1]), { p256dh: RFC8291.uaPublic, auth: "AAAA" })).rejects.toThrow(/16 bytes/);
  });
});

describe("VAPID (RFC 8292)", () => {
  it("signs an ES256 JWT for the push service origin, verifiable with the k parameter", async () => {
    const keys = await generateVapidKeys();
    const header = await vapidAuthorization("https://fcm.googleapis.com/fcm/send/abc123", keys, "mailto:ops@example.com");
    const m = /^vapid t=([^,]+), k=([A-Za-z0-9_-]+)$/.exec(header)!;
    expect(m).not.toBeNull();
    expect(m[2]).toBe(keys.publicKey);
    const pub = b64uDecode(m[2]!);
    expect(pub.length).toBe(65);
    const key = await importJWK({ kty: "EC", crv: "P-256", x: b64uEncode(pub.slice(1, 33)), y: b64uEncode(pub.slice(33)) }, "ES256");
    const { payload, protectedHeader } = await jwtVerify(m[1]!, key, { audience: "https://fcm.googleapis.com" });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload.sub).toBe("mailto:ops@example.com");
    expect(payload.exp! - Date.now() / 1000).toBeLessThanOrEqual(24 * 3600);
    // Another key cannot verify it.
    const other = await generateVapidKeys();
    const otherPub = b64uDecode(other.publicKey);
    const wrong = await importJWK(
      { kty: "EC", crv: "P-256", x: b64uEncode(otherPub.slice(1, 33)), y: b64uEncode(otherPub.slice(33)) },
      "ES256",
    );
    await expect(jwtVerify(m[1]!, wrong)).rejects.toThrow();
  });
});

describe("Standard Webhooks signatures", () => {
  it("reproduces the specification's published test vector", async () => {
    expect(await signPayload(SW.secret, SW.id, SW.ts, SW.body)).toBe(SW.signature);
  });

  it("verifies the published vector and rejects tampering, wrong secrets and stale timestamps", async () => {
    const headers = { "webhook-id": SW.id, "webhook-timestamp": String(SW.ts), "webhook-signature": SW.signature };
    expect(await verifySignature(SW.secret, headers, SW.body, { nowSeconds: SW.ts })).toBe(true);
    expect(
      await verifySignature(SW.secret, { ...headers, "webhook-signature": `v1,bm9wZQ== ${SW.signature}` }, SW.body, { nowSeconds: SW.ts }),
    ).toBe(true);
    expect(await verifySignature(SW.secret, headers, SW.body.replace("2432232314", "2432232315"), { nowSeconds: SW.ts })).toBe(false);
    expect(await verifySignature(SW.secret, { ...headers, "webhook-id": "msg_other" }, SW.body, { nowSeconds: SW.ts })).toBe(false);
    expect(await verifySignature(`whsec_${btoa("another secret 123456789")}`, headers, SW.body, { nowSeconds: SW.ts })).toBe(false);
    expect(await verifySignature(SW.secret, headers, SW.body, { nowSeconds: SW.ts + 301 })).toBe(false);
    expect(
      await verifySignature(SW.secret, { ...headers, "webhook-signature": SW.signature.replace("v1", "v2") }, SW.body, {
        nowSeconds: SW.ts,
      }),
    ).toBe(false);
  });

  it("signs with both secrets during a rotation", async () => {
    const h = await signatureHeaders([SW.secret, `whsec_${btoa("previous-secret-previous-secret")}`], SW.id, SW.ts, SW.body);
    const parts = h["webhook-signature"].split(" ");
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(SW.signature);
    expect(await verifySignature(`whsec_${btoa("previous-secret-previous-secret")}`, h, SW.body, { nowSeconds: SW.ts })).toBe(true);
  });
});

describe("templates and unsubscribe tokens", () => {
  it("escapes variables in HTML by default, leaves text alone, supports dotted paths and explicit raw", () => {
    const data = { name: '<script>alert("x")</script>', user: { first: "Ada & Co" }, raw: "<b>ok</b>" };
    expect(renderString("Hi {{name}} / {{ user.first }} / {{{raw}}} / {{missing}}.", data, "html")).toBe(
      "Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; / Ada &amp; Co / <b>ok</b> / .",
    );
    expect(renderString("Hi {{name}}", data, "text")).toBe('Hi <script>alert("x")</script>');
  });

  it("signs unsubscribe claims and refuses forged or altered tokens", async () => {
    const claims = { t: "ten_1", r: "ada@example.com", c: "marketing", l: "lst_1" };
    const token = await unsubscribeToken("k".repeat(40), claims);
    expect(await verifyUnsubscribeToken("k".repeat(40), token)).toEqual(claims);
    expect(await verifyUnsubscribeToken("j".repeat(40), token)).toBeNull();
    const [payload, sig] = token.split(".");
    const forged = btoa(JSON.stringify({ ...claims, r: "bob@example.com" }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    expect(await verifyUnsubscribeToken("k".repeat(40), `${forged}.${sig}`)).toBeNull();
    expect(await verifyUnsubscribeToken("k".repeat(40), `${payload}.`)).toBeNull();
  });
});
