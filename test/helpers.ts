import { env, exports } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { devMailbox } from "../schema/messaging";
import { getDb } from "../workers/platform/db";

export const BASE = "http://weft.test";
let ipCounter = 0;
/** A distinct client IP per test actor so per-IP rate limits don't couple unrelated tests. */
export const freshIp = () => `10.${(++ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string;
  tenant?: string;
  ip?: string;
  headers?: Record<string, string>;
}

/** Calls the Worker's fetch handler in-process (real D1/Queues bindings). */
export async function call(path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { "CF-Connecting-IP": opts.ip ?? "10.255.255.1", ...opts.headers };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.tenant) headers["X-Tenant-ID"] = opts.tenant;
  return exports.default.fetch(BASE + path, {
    method: opts.method ?? (opts.body !== undefined ? "POST" : "GET"),
    headers,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
}

/** call() + JSON body, asserting nothing: tests check status themselves. */
export async function callJson<T = any>(path: string, opts: CallOptions = {}): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(path, opts);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
}

let userCounter = 0;
export const uniqueEmail = (tag = "user") => `${tag}-${Date.now().toString(36)}-${++userCounter}@example.test`;
export const PASSWORD = "correct horse battery staple";

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  tenantId: string;
  accessToken: string;
  refreshToken: string;
  ip: string;
}

/** Signs up a new user with their own workspace (owner). */
export async function signUp(opts: { email?: string; name?: string; workspace?: string; inviteToken?: string } = {}): Promise<TestUser> {
  const email = opts.email ?? uniqueEmail();
  const ip = freshIp();
  const { status, body } = await callJson("/api/v1/auth/signup", {
    ip,
    body: {
      email,
      password: PASSWORD,
      name: opts.name ?? "Test User",
      workspace_name: opts.workspace ?? "Test Workspace",
      invite_token: opts.inviteToken,
    },
  });
  if (status !== 201) throw new Error(`signup failed: ${status} ${JSON.stringify(body)}`);
  return {
    userId: body.user.id,
    email,
    password: PASSWORD,
    tenantId: body.tenant?.id ?? body.memberships?.[0]?.tenant?.id,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    ip,
  };
}

/** Waits for the outbox consumer (real Queue) to drop an email into the dev mailbox. */
export async function waitForMail(to: string, subjectIncludes: string, timeoutMs = 15_000) {
  const db = getDb(env.DB);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await db.select().from(devMailbox).where(eq(devMailbox.toAddress, to.toLowerCase())).orderBy(desc(devMailbox.createdAt));
    const hit = rows.find((m) => m.subject.includes(subjectIncludes));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No email to ${to} with subject containing "${subjectIncludes}" within ${timeoutMs}ms`);
}

/** The `token` query parameter of the first link in an email's text part. */
export function tokenFromMail(mail: { text: string }): string {
  const url = mail.text.match(/https?:\/\/\S+/)?.[0];
  const token = url ? new URL(url).searchParams.get("token") : null;
  if (!token) throw new Error(`No token link in email: ${mail.text}`);
  return token;
}
