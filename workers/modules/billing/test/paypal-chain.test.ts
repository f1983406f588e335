import { describe, expect, it } from "vitest";
import { parseCert, signedBy, trustAnchors, verifyChain } from "../paypal/chain";
import { derToPem, issueCertificate, pemToDer, pemToDerAll } from "../paypal/der";
import { PAYPAL_PINNED_ROOTS_PEM } from "../paypal/roots";
import { createPaypalSigner, signPaypalPayload, transmissionFromHeaders, verifyPaypalTransmission } from "../paypal/signature";
import { makeTestCa } from "./billing-fakes";

/** A real ECDSA (P-384, ecdsa-with-SHA384) self-signed root, to exercise the ECDSA path on a certificate made elsewhere. */
const DIGICERT_G3 = `-----BEGIN CERTIFICATE-----
MIICPzCCAcWgAwIBAgIQBVVWvPJepDU1w6QP1atFcjAKBggqhkjOPQQDAzBhMQsw
CQYDVQQGEwJVUzEVMBMGA1UEChMMRGlnaUNlcnQgSW5jMRkwFwYDVQQLExB3d3cu
ZGlnaWNlcnQuY29tMSAwHgYDVQQDExdEaWdpQ2VydCBHbG9iYWwgUm9vdCBHMzAe
Fw0xMzA4MDExMjAwMDBaFw0zODAxMTUxMjAwMDBaMGExCzAJBgNVBAYTAlVTMRUw
EwYDVQQKEwxEaWdpQ2VydCBJbmMxGTAXBgNVBAsTEHd3dy5kaWdpY2VydC5jb20x
IDAeBgNVBAMTF0RpZ2lDZXJ0IEdsb2JhbCBSb290IEczMHYwEAYHKoZIzj0CAQYF
K4EEACIDYgAE3afZu4q4C/sLfyHS8L6+c/MzXRq8NOrexpu80JX28MzQC7phW1FG
fp4tn+6OYwwX7Adw9c+ELkCDnOg/QW07rdOkFFk2eJ0DQ+4QE2xy3q6Ip6FrtUPO
Z9wj/wMco+I+o0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBhjAd
BgNVHQ4EFgQUs9tIpPmhxdiuNkHMEWNpYim8S8YwCgYIKoZIzj0EAwMDaAAwZQIx
AK288mw/EkrRLTnDCgmXc/SINoyIJ7vmiI1Qhadj+Z4y3maTD/HMsQmP3Wyr+mt/
oAIwOWZbwmSNuJ5Q3KjVSaLtx9zRSX8XAbjIho9OjIgrqJqpisXRAL34VOKa5Vt8
sycX
-----END CERTIFICATE-----`;

describe("PayPal certificate chain (WebCrypto, pinned roots)", () => {
  it("the pinned DigiCert roots parse as self-signed CAs (G2's RSA/SHA-256 self-signature verifies)", async () => {
    const roots = trustAnchors(PAYPAL_PINNED_ROOTS_PEM);
    expect(roots).toHaveLength(2);
    expect(roots.every((r) => r.ca)).toBe(true);
    expect(new TextDecoder().decode(roots[1]!.subject)).toContain("DigiCert Global Root G2");
    expect(await signedBy(roots[1]!, roots[1]!)).toBe(true);
    expect(await signedBy(roots[0]!, roots[0]!)).toBe(false); // Global Root CA self-signs with SHA-1, which is refused (anchors are trusted by pin, not by signature)
  });

  it("verifies ECDSA signatures (DigiCert Global Root G3, P-384)", async () => {
    const g3 = parseCert(pemToDer(DIGICERT_G3));
    expect(g3.curve).toBe("1.3.132.0.34");
    expect(await signedBy(g3, g3)).toBe(true);
    const tampered = { ...g3, tbs: g3.tbs.map((b, i) => (i === 40 ? b ^ 1 : b)) };
    expect(await signedBy(tampered, g3)).toBe(false);
  });

  it("accepts leaf → intermediate → trusted root; refuses self-signed leaf, wrong root, missing intermediate, non-CA issuer, expiry and tampering", async () => {
    const ca = await makeTestCa();
    const roots = trustAnchors(ca.rootPem);
    const ok = await verifyChain(pemToDerAll(ca.bundle), roots);
    expect(ok).toMatchObject({ ok: true, depth: 2 });
    // The bundle may also carry the root itself.
    expect((await verifyChain([ca.leafDer, ca.interDer, ca.rootDer], roots)).ok).toBe(true);

    const self = await createPaypalSigner("messageverificationcerts.paypal.com");
    expect(await verifyChain(pemToDerAll(self.certPem), roots)).toEqual({ ok: false, reason: "no path to a trusted root" });

    const other = await makeTestCa("Other");
    expect((await verifyChain(pemToDerAll(ca.bundle), trustAnchors(other.rootPem))).ok).toBe(false);
    expect((await verifyChain(pemToDerAll(other.bundle), roots)).ok).toBe(false);
    expect((await verifyChain([ca.leafDer], roots)).ok).toBe(false); // intermediate missing
    expect((await verifyChain([ca.interDer, ca.leafDer], roots)).ok).toBe(false); // wrong order

    const notCa = await makeTestCa("NotCA", { intermediateIsCa: false });
    expect(await verifyChain(pemToDerAll(notCa.bundle), trustAnchors(notCa.rootPem))).toEqual({
      ok: false,
      reason: "certificate 1 is not a CA",
    });

    expect((await verifyChain(pemToDerAll(ca.bundle), roots, Date.now() + 3 * 365 * 86_400_000)).ok).toBe(false); // leaf expired
    const tampered = ca.leafDer.slice();
    tampered[tampered.length - 5]! ^= 0xff; // in the signature
    expect((await verifyChain([tampered, ca.interDer], roots)).ok).toBe(false);
  });

  it("an issuer impersonating the intermediate's name without its key is refused", async () => {
    const ca = await makeTestCa();
    const fakeInter = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const leafKeys = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const forgedLeaf = await issueCertificate({
      subjectKey: leafKeys.publicKey,
      subjectCN: "messageverificationcerts.paypal.com",
      issuerKey: fakeInter.privateKey,
      issuerCN: "Weft Test Intermediate CA",
    });
    expect(await verifyChain([forgedLeaf, ca.interDer], trustAnchors(ca.rootPem))).toEqual({
      ok: false,
      reason: "certificate 0 signature does not verify",
    });
  });

  it("verifyPaypalTransmission with trust anchors: the chain decides before the signature", async () => {
    const ca = await makeTestCa();
    const body = '{"id":"WH-1","event_type":"X"}';
    const url = "https://api.paypal.com/v1/notifications/certs/CERT-test";
    const t = transmissionFromHeaders(new Headers(await signPaypalPayload(ca.signer, body, "WH-ID", url)));
    expect(await verifyPaypalTransmission(body, t, "WH-ID", async () => ca.bundle, { trust: trustAnchors(ca.rootPem) })).toEqual({
      ok: true,
    });
    expect(
      await verifyPaypalTransmission(body, t, "WH-ID", async () => ca.bundle, { trust: trustAnchors(PAYPAL_PINNED_ROOTS_PEM) }),
    ).toMatchObject({ ok: false, reason: "untrusted_cert" });
    expect(
      await verifyPaypalTransmission(body, t, "WH-ID", async () => derToPem(ca.leafDer), { trust: trustAnchors(ca.rootPem) }),
    ).toMatchObject({ ok: false, reason: "untrusted_cert" });
  });
});
