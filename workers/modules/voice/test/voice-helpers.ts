import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";

/** Shared by the voice tests and its isolation cases: an Enterprise workspace, a lead, calls through the API. */

export { env };

export const db = getDb(env.DB);

export async function enterprise(): Promise<TestUser> {
  const u = await signUp();
  await subscribeViaSimulator(u, { plan: "enterprise", seats: 25 });
  return u;
}

export const asUser =
  (u: TestUser) =>
  (path: string, opts: { method?: string; body?: unknown } = {}) =>
    callJson(path, { token: u.accessToken, tenant: u.tenantId, ip: u.ip, ...opts });

/** The JSON shapes the tests read (loosely: only what they assert on). */
export interface ProposalJson {
  id: string;
  kind: string;
  status: string;
  created: { type: string; id: string } | null;
  proposed: { title: string | null; safety: unknown };
}
export interface ActivityJson {
  kind: string;
  data: { call_id?: string };
}

export async function makeLead(u: TestUser, lead: { first_name: string; last_name?: string; email?: string }) {
  const r = await asUser(u)("/api/v1/sales/leads", { body: lead });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

/** A multipart POST /api/v1/sales/calls (a recording or a transcript file). */
export async function uploadForm(u: TestUser, fields: Record<string, string | File>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await exports.default.fetch(`${BASE}/api/v1/sales/calls`, {
    method: "POST",
    headers: { Authorization: `Bearer ${u.accessToken}`, "X-Tenant-ID": u.tenantId, "CF-Connecting-IP": u.ip },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Polls the call until its status is one of `until` (the analysis runs after the upload answers). */
export async function waitForCall(u: TestUser, id: string, until: string[] = ["analysed", "failed"], timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await asUser(u)(`/api/v1/sales/calls/${id}`);
    expect(r.status).toBe(200);
    if (until.includes(r.body.status)) return r.body;
    if (Date.now() > end) throw new Error(`call ${id} stayed ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** A few bytes that sniff as WAV (RIFF/WAVE header, silent PCM): enough for the files module's type check. */
export function tinyWav(): Uint8Array {
  const samples = 800;
  const buf = new ArrayBuffer(44 + samples * 2);
  const v = new DataView(buf);
  const ascii = (o: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i));
  };
  ascii(0, "RIFF");
  v.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, 8000, true);
  v.setUint32(28, 16000, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, samples * 2, true);
  return new Uint8Array(buf);
}
