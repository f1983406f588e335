import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, callJson, freshIp, signUp, type TestUser } from "../../../../test/helpers";

export const SITE = "https://shop.example";

export interface Site {
  owner: TestUser;
  key: string;
  ip: string;
}

/** A workspace with a publishable key for SITE and the given survey settings. */
export async function siteWith(settings: Record<string, unknown> = {}, workspace = "Survey Co"): Promise<Site> {
  const owner = await signUp({ workspace });
  const pk = await callJson("/api/v1/publishable-keys", {
    token: owner.accessToken,
    tenant: owner.tenantId,
    ip: owner.ip,
    body: { name: "shop", allowed_origins: [SITE] },
  });
  expect(pk.status).toBe(201);
  if (Object.keys(settings).length) {
    const s = await asOwner({ owner } as Site, "PATCH", "/api/v1/surveys/settings", settings);
    expect(s.status, JSON.stringify(s.body)).toBe(200);
  }
  return { owner, key: pk.body.key, ip: freshIp() };
}

export const asOwner = (s: Pick<Site, "owner">, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: s.owner.accessToken, tenant: s.owner.tenantId, ip: s.owner.ip, body });

/** A browser on the tenant's site calling a public survey endpoint. */
export const fromSite = (s: Site, method: string, path: string, body?: unknown, origin = SITE) => {
  const sep = path.includes("?") ? "&" : "?";
  return callJson(`/public/v1/surveys${path}${sep}key=${encodeURIComponent(s.key)}`, {
    method,
    body,
    ip: s.ip,
    headers: { Origin: origin },
  });
};

let seq = 0;
export const clientId = () => `cid_${Date.now().toString(36)}_${++seq}`;

export async function answer(s: Site, score: number, extra: Record<string, unknown> = {}) {
  const r = await fromSite(s, "POST", "/nps/responses", { id: clientId(), distinct_id: `u${++seq}`, score, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

/** Posts multipart feedback the way the script does (FormData). */
export async function sendFeedback(s: Site, fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("screenshot", new File([file.bytes], file.name, { type: file.type }));
  const res = await exports.default.fetch(`${BASE}/public/v1/surveys/feedback?key=${encodeURIComponent(s.key)}`, {
    method: "POST",
    headers: { Origin: SITE, "CF-Connecting-IP": s.ip },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, res };
}

/** The smallest real PNG (1×1 transparent). */
export const PNG_1PX = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);
