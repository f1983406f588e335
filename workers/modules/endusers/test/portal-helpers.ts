import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, freshIp } from "../../../../test/helpers";
import { as, eu, type EndUserSession, type Portal } from "./endusers-helpers";

/** Fixtures of the portal part 2 tests: uploads, tickets, a staff reply and waiting for its notification. */
export async function upload(p: Portal, token: string, name: string, text: string) {
  const res = await exports.default.fetch(`${BASE}${p.base}/files?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/octet-stream", "CF-Connecting-IP": freshIp() },
    body: new TextEncoder().encode(text),
  });
  const body = (await res.json()) as { file_id: string; name: string; origin: string; url: string | null };
  return { status: res.status, body };
}

export async function openTicket(p: Portal, u: EndUserSession, subject = "Where is my parcel?", attachments: string[] = []) {
  const r = await eu(p, u.accessToken)("POST", "/tickets", { subject, message: `Hello, ${subject}`, attachments });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; number: number; subject: string };
}

export async function staffReply(p: Portal, ticketId: string, message = "It left our warehouse today.") {
  const r = await as(p.owner)("POST", `/api/v1/tickets/${ticketId}/replies`, { message });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** The outbox delivers in-app rows through the queue: wait for the end user's notification to exist. */
export async function waitForNotification(p: Portal, u: EndUserSession, titleIncludes: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await eu(p, u.accessToken)("GET", "/notifications?limit=50");
    const hit = (r.body.data as { id: string; title: string; link: string | null; read_at: string | null }[]).find((n) =>
      n.title.includes(titleIncludes),
    );
    if (hit) return { ...hit, unread: r.body.unread as number };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no notification "${titleIncludes}" for ${u.email}`);
}
