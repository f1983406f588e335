import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { signLink } from "../links";
import { bytesOf, imageSize, pngOf, raw, upload } from "./files-helpers";

const linkFor = async (u: TestUser, id: string, body: Record<string, unknown> = {}) => {
  const r = await callJson(`/api/v1/files/${id}/links`, { token: u.accessToken, tenant: u.tenantId, body: { expires_in: 600, ...body } });
  expect(r.status).toBe(200);
  return r.body as { url: string; expires_at: string };
};
const bytesOfRes = async (r: Response) => new Uint8Array(await r.arrayBuffer());

describe("files: signed links", () => {
  it("opens without a token while valid; expired, tampered and another workspace's signatures are 403 problem+json", async () => {
    const a = await signUp();
    const b = await signUp();
    const data = bytesOf(3000, 3);
    const fa = (await upload(a, "a.bin", data)).body;
    const fb = (await upload(b, "b.bin", bytesOf(100, 4))).body;
    const link = await linkFor(a, fa.id, { disposition: "attachment" });
    expect(new URL(link.url).pathname).toBe(`/f/${fa.id}`);
    const ok = await raw(link.url, null);
    expect(ok.status).toBe(200);
    expect(await bytesOfRes(ok)).toEqual(data);
    expect(ok.headers.get("Content-Disposition")).toContain("attachment");
    expect(ok.headers.get("Cache-Control")).toMatch(/^private, max-age=\d+$/);

    const expect403 = async (url: string, type: string) => {
      const r = await raw(url, null);
      expect(r.status, url).toBe(403);
      expect(r.headers.get("Content-Type")).toContain("application/problem+json");
      expect(((await r.json()) as { type: string }).type).toContain(type);
    };
    // Tampered: signature, expiry or disposition changed.
    const u = new URL(link.url);
    const sig = u.searchParams.get("sig") as string;
    const flipped = new URL(link.url);
    flipped.searchParams.set("sig", (sig[0] === "A" ? "B" : "A") + sig.slice(1));
    await expect403(flipped.toString(), "link-invalid");
    const later = new URL(link.url);
    later.searchParams.set("exp", String(Number(u.searchParams.get("exp")) + 3600));
    await expect403(later.toString(), "link-invalid");
    const inline = new URL(link.url);
    inline.searchParams.set("disp", "inline");
    await expect403(inline.toString(), "link-invalid");
    // Expired: correctly signed, in the past.
    const past = Math.floor(Date.now() / 1000) - 10;
    const oldSig = await signLink(env, `tenant/${a.tenantId}/files/${fa.id}/original`, past, "inline");
    await expect403(`/f/${fa.id}?exp=${past}&disp=inline&sig=${oldSig}`, "link-expired");
    // Another workspace's file: B's valid signature names A's file id (and the other way round).
    const bl = new URL((await linkFor(b, fb.id)).url);
    await expect403(`/f/${fa.id}${bl.search}`, "link-invalid");
    // A signature forged over A's key but presented for B's file.
    const forged = await signLink(env, `tenant/${a.tenantId}/files/${fa.id}/original`, past + 3600, "inline");
    await expect403(`/f/${fb.id}?exp=${past + 3600}&disp=inline&sig=${forged}`, "link-invalid");
    // A trashed file's link stops working.
    await callJson(`/api/v1/files/${fa.id}`, { method: "DELETE", token: a.accessToken, tenant: a.tenantId });
    expect((await raw(link.url, null)).status).toBe(404);
  });

  it("serves exact byte ranges, ETags and 304s", async () => {
    const u = await signUp();
    const data = bytesOf(10_000, 9);
    const f = (await upload(u, "clip.bin", data)).body;
    const { url } = await linkFor(u, f.id);
    const r = await raw(url, null, { headers: { Range: "bytes=1000-1999" } });
    expect(r.status).toBe(206);
    expect(r.headers.get("Content-Range")).toBe("bytes 1000-1999/10000");
    expect(r.headers.get("Content-Length")).toBe("1000");
    expect(await bytesOfRes(r)).toEqual(data.subarray(1000, 2000));
    const tail = await raw(url, null, { headers: { Range: "bytes=-10" } });
    expect(await bytesOfRes(tail)).toEqual(data.subarray(9990));
    const open = await raw(url, null, { headers: { Range: "bytes=9995-" } });
    expect(open.headers.get("Content-Range")).toBe("bytes 9995-9999/10000");
    expect(await bytesOfRes(open)).toEqual(data.subarray(9995));
    const bad = await raw(url, null, { headers: { Range: "bytes=20000-" } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get("Content-Range")).toBe("bytes */10000");
    const full = await raw(url, null);
    const etag = full.headers.get("ETag") as string;
    expect(etag).toBe(`"${f.sha256}"`);
    expect(full.headers.get("Accept-Ranges")).toBe("bytes");
    await full.arrayBuffer();
    const again = await raw(url, null, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });

  it("opens public files only while public, and audits the change", async () => {
    const u = await signUp();
    const f = (await upload(u, "logo one.png", pngOf(10, 10))).body;
    expect(f.public_url).toBeNull();
    const path = `/f/p/${f.id}/logo%20one.png`;
    expect((await raw(path, null)).status).toBe(404);
    const on = await callJson(`/api/v1/files/${f.id}`, {
      method: "PATCH",
      token: u.accessToken,
      tenant: u.tenantId,
      body: { public: true },
    });
    expect(on.body.public_url).toMatch(new RegExp(`/f/p/${f.id}/logo%20one\\.png$`));
    const r = await raw(path, null);
    expect(r.status).toBe(200);
    expect(r.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(r.headers.get("Content-Type")).toBe("image/png");
    await r.arrayBuffer();
    await callJson(`/api/v1/files/${f.id}`, { method: "PATCH", token: u.accessToken, tenant: u.tenantId, body: { public: false } });
    expect((await raw(path, null)).status).toBe(404);
    const audit = await callJson("/api/v1/audit-logs?limit=100", { token: u.accessToken, tenant: u.tenantId });
    expect(audit.body.data.filter((e: { action: string }) => e.action === "file.public_changed")).toHaveLength(2);
  });
});

describe("files: image variants", () => {
  it("renders a thumbnail with the WASM codec on first request and serves the cached copy after", async () => {
    const u = await signUp();
    const f = (await upload(u, "photo.png", pngOf(120, 60, [10, 120, 200, 255]))).body;
    expect(f.thumbnail_url).toContain("w=320&h=320&fit=cover&format=webp");
    const first = await raw(f.thumbnail_url, null);
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("image/webp");
    expect(first.headers.get("X-Weft-Variant")).toBe("rendered");
    expect(first.headers.get("X-Weft-Image-Engine")).toBe("photon-wasm");
    const img = await bytesOfRes(first);
    expect(imageSize(img)).toEqual({ w: 320, h: 320 }); // cover: filled and cropped
    const second = await raw(f.thumbnail_url, null);
    expect(second.headers.get("X-Weft-Variant")).toBe("cached");
    expect(await bytesOfRes(second)).toEqual(img);
    // Other sizes and fits from the same signed link: scale-down never enlarges; contain keeps the ratio.
    const base = f.thumbnail_url.split("&w=")[0];
    const down = await raw(`${base}&w=60&format=jpeg&q=70`, null);
    expect(down.headers.get("Content-Type")).toBe("image/jpeg");
    expect(imageSize(await bytesOfRes(down))).toEqual({ w: 60, h: 30 });
    const big = await raw(`${base}&w=1000&h=1000`, null);
    expect(imageSize(await bytesOfRes(big))).toEqual({ w: 120, h: 60 });
    const contain = await raw(`${base}&w=240&h=240&fit=contain&format=png`, null);
    expect(imageSize(await bytesOfRes(contain))).toEqual({ w: 240, h: 120 });
    // Not an image: variant parameters are refused.
    const txt = (await upload(u, "a.txt", new TextEncoder().encode("hello"))).body;
    expect(txt.thumbnail_url).toBeNull();
    const l = await linkFor(u, txt.id);
    expect((await raw(`${l.url}&w=10`, null)).status).toBe(422);
    // Variants are deleted with the file.
    await callJson(`/api/v1/files/${f.id}`, { method: "DELETE", token: u.accessToken, tenant: u.tenantId });
    await callJson(`/api/v1/files/${f.id}?permanent=true`, { method: "DELETE", token: u.accessToken, tenant: u.tenantId });
    expect((await env.FILES.list({ prefix: `tenant/${u.tenantId}/files/${f.id}/` })).objects).toEqual([]);
  });
});

describe("files: direct browser uploads", () => {
  it("accepts a ticket + publishable key from an allowed origin, within the ticket's size and types", async () => {
    const u = await signUp();
    const other = await signUp();
    const pk = await callJson("/api/v1/publishable-keys", {
      token: u.accessToken,
      tenant: u.tenantId,
      body: { name: "shop", allowed_origins: ["https://shop.example"] },
    });
    const otherPk = await callJson("/api/v1/publishable-keys", {
      token: other.accessToken,
      tenant: other.tenantId,
      body: { name: "other", allowed_origins: ["https://shop.example"] },
    });
    const t = await callJson("/api/v1/files/upload-tickets", {
      token: u.accessToken,
      tenant: u.tenantId,
      body: { max_size: 5000, content_types: ["image/*"] },
    });
    expect(t.status).toBe(201);
    const send = (key: string, bytes: Uint8Array, origin = "https://shop.example", ticket = t.body.ticket) =>
      raw(`/public/v1/files?key=${key}&ticket=${encodeURIComponent(ticket)}&name=avatar.png`, null, {
        body: bytes,
        headers: { Origin: origin },
      });
    const ok = await send(pk.body.key, pngOf(6, 6));
    expect(ok.status).toBe(201);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://shop.example");
    const stored = (await ok.json()) as { id: string; content_type: string };
    expect(stored.content_type).toBe("image/png");
    expect((await callJson(`/api/v1/files/${stored.id}`, { token: u.accessToken, tenant: u.tenantId })).body.uploaded_by).toBeNull();
    expect((await send(pk.body.key, pngOf(6, 6), "https://evil.example")).status).toBe(403);
    expect((await send(otherPk.body.key, pngOf(6, 6))).status).toBe(403); // another workspace's key
    expect((await send(pk.body.key, new TextEncoder().encode("plain text"))).status).toBe(415);
    expect((await send(pk.body.key, bytesOf(6000))).status).toBe(413);
    const tampered = `${t.body.ticket.slice(0, -2)}xx`;
    expect((await send(pk.body.key, pngOf(6, 6), "https://shop.example", tampered)).status).toBe(403);
  });
});
