import { env } from "cloudflare:workers";
import { DOMParser } from "@xmldom/xmldom";
import { expect } from "vitest";
import { memberships } from "../../../../schema/tenancy";
import { getDb } from "../../../platform/db";
import { call, callJson, signUp, type TestUser } from "../../../../test/helpers";

/** Shared fixtures of the release-center tests. */
export const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

export async function newNote(u: TestUser, input: Record<string, unknown> = {}) {
  const r = await as(u)("POST", "/api/v1/releases", {
    title: "Faster search",
    version: "2.4.0",
    type: "feature",
    body_md: "Search is **faster**.",
    ...input,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; slug: string; title: string; status: string; body_html: string };
}

export async function published(u: TestUser, input: Record<string, unknown> = {}) {
  const n = await newNote(u, input);
  const r = await as(u)("POST", `/api/v1/releases/${n.id}/publish`);
  expect(r.status).toBe(200);
  return r.body as { id: string; slug: string; title: string; published_at: string };
}

/** A second user put into `owner`'s workspace with `role` (fixture shortcut, as the role matrix does). */
export async function teammate(owner: TestUser, role: "admin" | "member" | "viewer" = "member"): Promise<TestUser> {
  const u = await signUp({ workspace: `${role}'s own` });
  const now = Date.now();
  await getDb(env.DB).insert(memberships).values({ tenantId: owner.tenantId, userId: u.userId, role, createdAt: now, updatedAt: now });
  return { ...u, tenantId: owner.tenantId };
}

export async function tenantSlug(u: TestUser): Promise<string> {
  const r = await as(u)("GET", "/api/v1/tenant");
  return r.body.slug as string;
}

/** GET as a browser would (text body). */
export async function getText(path: string, headers: Record<string, string> = {}) {
  const res = await call(path, { headers });
  return { status: res.status, text: await res.text(), res };
}

/** Parses XML strictly: any well-formedness error (or warning) fails the test. */
export function parseXml(text: string) {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(text, "text/xml");
  expect(problems).toEqual([]);
  return doc;
}

export const texts = (parent: { getElementsByTagName(n: string): ArrayLike<{ textContent: string | null }> }, tag: string) =>
  Array.from(parent.getElementsByTagName(tag)).map((e) => e.textContent ?? "");

/** xs[i], failing the test when it is missing. */
export function nth<T>(xs: ArrayLike<T> | null | undefined, i = 0): NonNullable<T> {
  const x = xs?.[i];
  if (x === undefined || x === null) throw new Error(`expected an element at index ${i}`);
  return x;
}
