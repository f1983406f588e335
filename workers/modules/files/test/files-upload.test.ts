import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { usageCounters } from "../../../../schema/billing";
import { getDb } from "../../../platform/db";
import { callJson, signUp } from "../../../../test/helpers";
import { EICAR } from "../scanner";
import { bytesOf, fakeExe, MiB, pngOf, raw, sha256Hex, storedKeys, upload } from "./files-helpers";

const GB = 1024 ** 3;

describe("files: uploads", () => {
  it("stores a small upload with its sniffed type and SHA-256, and flags a second copy as a duplicate", async () => {
    const u = await signUp();
    const png = pngOf(8, 8);
    // The client's Content-Type is ignored: the bytes say PNG.
    const a = await upload(u, "dot.bin", png, "&tags=red,small", { "Content-Type": "application/octet-stream" });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      name: "dot.bin",
      size: png.length,
      content_type: "image/png",
      tags: ["red", "small"],
      duplicate_of: null,
    });
    expect(a.body.sha256).toBe(await sha256Hex(png));
    expect(a.body.uploaded_by).toMatchObject({ id: u.userId });
    const stored = await env.FILES.get(`tenant/${u.tenantId}/files/${a.body.id}/original`);
    expect(new Uint8Array(await (stored as R2ObjectBody).arrayBuffer())).toEqual(png);
    const b = await upload(u, "again.png", png);
    expect(b.status).toBe(201);
    expect(b.body.duplicate_of).toBe(a.body.id);
  });

  it("streams a body above the in-memory size to R2 while hashing it", async () => {
    const u = await signUp();
    const data = bytesOf(17 * MiB, 11);
    const r = await upload(u, "large.bin", data);
    expect(r.status).toBe(201);
    expect(r.body.sha256).toBe(await sha256Hex(data));
    const obj = await env.FILES.get(`tenant/${u.tenantId}/files/${r.body.id}/original`);
    expect((obj as R2ObjectBody).size).toBe(data.length);
    expect(await sha256Hex(new Uint8Array(await (obj as R2ObjectBody).arrayBuffer()))).toBe(r.body.sha256);
  });

  it("refuses an executable sent as image/png (and a .png name), writing nothing", async () => {
    const u = await signUp();
    const r = await upload(u, "cat.png", fakeExe(), "", { "Content-Type": "image/png" });
    expect(r.status).toBe(415);
    expect(r.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(r.body).toMatchObject({ claimed_type: "image/png", content_type: "application/x-msdownload" });
    // Named honestly, an executable is still refused by default (wildcards never admit executables).
    const honest = await upload(u, "setup.exe", fakeExe());
    expect(honest.status).toBe(415);
    expect(honest.body.type).toContain("type-not-allowed");
    expect(await storedKeys(u.tenantId)).toEqual([]);
  });

  it("refuses the EICAR test file and a blocklisted hash", async () => {
    const u = await signUp();
    const r = await upload(u, "eicar.txt", new TextEncoder().encode(EICAR));
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ scanner: "embedded", signature: "EICAR-Test-File" });
    expect(await storedKeys(u.tenantId)).toEqual([]);
    const list = await callJson("/api/v1/files", { token: u.accessToken, tenant: u.tenantId });
    expect(list.body.data).toEqual([]);
  });

  it("applies the workspace's allowed types and max size", async () => {
    const u = await signUp();
    const put = await callJson("/api/v1/files/settings", {
      method: "PUT",
      token: u.accessToken,
      tenant: u.tenantId,
      body: { allowed_types: ["image/*", "text/plain"], max_file_size: 1000 },
    });
    expect(put.status).toBe(200);
    expect((await upload(u, "a.pdf", new TextEncoder().encode("%PDF-1.4\n%%EOF"))).status).toBe(415);
    const big = await upload(u, "big.txt", new TextEncoder().encode("a".repeat(2000)));
    expect(big.status).toBe(413);
    expect(big.body.max_file_size).toBe(1000);
    const ok = await upload(u, "ok.png", pngOf(4, 4));
    expect(ok.status).toBe(201);
  });

  it("answers 402 with the limit and an upgrade link before writing anything when storage is full", async () => {
    const u = await signUp();
    await getDb(env.DB)
      .insert(usageCounters)
      .values({ tenantId: u.tenantId, meter: "storage_bytes", period: "total", quantity: GB - 10, updatedAt: Date.now() });
    const r = await upload(u, "note.txt", bytesOf(100));
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ meter: "storage_bytes", limit: GB, current_usage: GB - 10, requested: 100 });
    expect(r.body.upgrade_url).toMatch(/\/settings\/billing$/);
    const mp = await callJson("/api/v1/files/uploads", {
      token: u.accessToken,
      tenant: u.tenantId,
      body: { name: "big.bin", size: 20 * MiB },
    });
    expect(mp.status).toBe(402);
    expect(await storedKeys(u.tenantId)).toEqual([]);
    // Under the limit it goes through.
    expect((await upload(u, "tiny.txt", bytesOf(10))).status).toBe(201);
  });

  it("needs Content-Length, refuses an empty body and unknown folders", async () => {
    const u = await signUp();
    expect((await upload(u, "empty.txt", new Uint8Array(0))).status).toBe(400);
    expect((await upload(u, "x.txt", bytesOf(10), "&folder_id=fld_nope")).status).toBe(404);
    const bad = await upload(u, "a/b.txt", bytesOf(10));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("name");
  });
});

describe("files: multipart", () => {
  it("uploads a file larger than one part, resumed after an aborted part", async () => {
    const u = await signUp();
    const size = 2 * 5 * MiB + 1234;
    const bytes = bytesOf(size, 7);
    const start = await callJson("/api/v1/files/uploads", {
      token: u.accessToken,
      tenant: u.tenantId,
      body: { name: "video.bin", size, part_size: 5 * MiB, tags: ["big"] },
    });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ part_size: 5 * MiB, part_count: 3 });
    const { upload_id: id } = start.body;
    const part = (n: number, body: Uint8Array | ReadableStream<Uint8Array>, length?: number) =>
      raw(`/api/v1/files/uploads/${id}/parts/${n}`, u, { method: "PUT", body, length });
    const slice = (n: number) => bytes.subarray((n - 1) * 5 * MiB, Math.min(size, n * 5 * MiB));

    expect((await part(1, slice(1))).status).toBe(200);
    // Part 2's connection drops half-way: the body ends early.
    const half = slice(2).subarray(0, 2 * MiB);
    const dropped = await part(
      2,
      new ReadableStream({
        start(c) {
          c.enqueue(half);
          c.close();
        },
      }),
      5 * MiB,
    );
    expect(dropped.status).toBe(400);
    // Resume: the upload lists only what is stored.
    const state = await callJson(`/api/v1/files/uploads/${id}`, { token: u.accessToken, tenant: u.tenantId });
    expect(state.body.parts.map((p: { part_number: number }) => p.part_number)).toEqual([1]);
    // Completing now names the missing parts.
    const early = await callJson(`/api/v1/files/uploads/${id}/complete`, { method: "POST", token: u.accessToken, tenant: u.tenantId });
    expect(early.status).toBe(409);
    expect(early.body.missing).toEqual([2, 3]);
    // A wrong-sized part is refused before anything is stored.
    expect((await part(3, bytesOf(10))).status).toBe(400);
    for (const n of [2, 3]) expect((await part(n, slice(n))).status).toBe(200);
    const done = await callJson(`/api/v1/files/uploads/${id}/complete`, { method: "POST", token: u.accessToken, tenant: u.tenantId });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({
      id: start.body.file_id,
      size,
      name: "video.bin",
      tags: ["big"],
      content_type: "application/octet-stream",
    });
    expect(done.body.sha256).toBe(await sha256Hex(bytes));
    const obj = await env.FILES.get(`tenant/${u.tenantId}/files/${done.body.id}/original`);
    expect(new Uint8Array(await (obj as R2ObjectBody).arrayBuffer())).toEqual(bytes);
    // The upload is finished: it is gone.
    expect((await callJson(`/api/v1/files/uploads/${id}`, { token: u.accessToken, tenant: u.tenantId })).status).toBe(404);
  });

  it("sniffs part 1 (an exe named .png is refused) and aborts cleanly", async () => {
    const u = await signUp();
    const start = await callJson("/api/v1/files/uploads", {
      token: u.accessToken,
      tenant: u.tenantId,
      body: { name: "x.png", size: 1024 },
    });
    expect(start.status).toBe(201);
    const r = await raw(`/api/v1/files/uploads/${start.body.upload_id}/parts/1`, u, { method: "PUT", body: fakeExe() });
    expect(r.status).toBe(415);
    const abort = await callJson(`/api/v1/files/uploads/${start.body.upload_id}`, {
      method: "DELETE",
      token: u.accessToken,
      tenant: u.tenantId,
    });
    expect(abort.status).toBe(204);
    expect((await callJson(`/api/v1/files/uploads/${start.body.upload_id}`, { token: u.accessToken, tenant: u.tenantId })).status).toBe(
      404,
    );
    expect(await storedKeys(u.tenantId)).toEqual([]);
  });
});
