import { env, exports } from "cloudflare:workers";
import { PhotonImage } from "@cf-wasm/photon";
import { BASE, type TestUser } from "../../../../test/helpers";

/** Raw-body and URL helpers for the files tests (real R2 and D1 in workerd). */
export const MiB = 1024 * 1024;

export async function raw(
  path: string,
  u: TestUser | null,
  opts: { method?: string; body?: Uint8Array | ReadableStream<Uint8Array>; length?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "CF-Connecting-IP": u?.ip ?? "10.254.0.1", ...opts.headers };
  if (u) {
    headers.Authorization = `Bearer ${u.accessToken}`;
    headers["X-Tenant-ID"] = u.tenantId;
  }
  if (opts.body !== undefined) headers["Content-Length"] = String(opts.length ?? (opts.body as Uint8Array).byteLength);
  return exports.default.fetch(path.startsWith("http") ? path : BASE + path, {
    method: opts.method ?? (opts.body !== undefined ? "POST" : "GET"),
    headers,
    body: opts.body,
  });
}

export async function upload(u: TestUser, name: string, bytes: Uint8Array, query = "", headers: Record<string, string> = {}) {
  const res = await raw(`/api/v1/files?name=${encodeURIComponent(name)}${query}`, u, { body: bytes, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, res };
}

/** Deterministic pseudo-random bytes (incompressible, distinct per seed). */
export function bytesOf(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

export function pngOf(w: number, h: number, rgba = [200, 40, 40, 255]): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < px.length; i += 4) px.set(rgba, i);
  const img = new PhotonImage(px, w, h);
  try {
    return img.get_bytes();
  } finally {
    img.free();
  }
}

export function imageSize(bytes: Uint8Array): { w: number; h: number } {
  const img = PhotonImage.new_from_byteslice(bytes);
  try {
    return { w: img.get_width(), h: img.get_height() };
  } finally {
    img.free();
  }
}

/** Every R2 key of a workspace's files. */
export async function storedKeys(tenantId: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ prefix: `tenant/${tenantId}/files/`, cursor });
    out.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A minimal Windows PE header ("MZ" … "PE\0\0"), what file-type recognises as an .exe. */
export function fakeExe(): Uint8Array {
  const b = new Uint8Array(1024);
  b.set([0x4d, 0x5a], 0);
  b.set([0x80, 0, 0, 0], 0x3c);
  b.set([0x50, 0x45, 0, 0], 0x80);
  return b;
}
