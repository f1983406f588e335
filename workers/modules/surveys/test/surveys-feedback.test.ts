import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { call, waitForMail } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { sniffImage } from "../screenshot";
import { SURVEYS_JS } from "../script-assets.gen";
import { asOwner, PNG_1PX, sendFeedback, siteWith } from "./surveys-helpers";

describe("feedback screenshots", () => {
  it("takes the type from the bytes, not the name or the claimed type", () => {
    expect(sniffImage(PNG_1PX)?.type).toBe("image/png");
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))?.type).toBe("image/jpeg");
    expect(sniffImage(new TextEncoder().encode("<svg onload=alert(1)>"))).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
  });

  it("refuses a text file claiming image/png and stores nothing", async () => {
    const s = await siteWith();
    const r = await sendFeedback(
      s,
      { message: "look", category: "bug" },
      { bytes: new TextEncoder().encode("not an image"), name: "x.png", type: "image/png" },
    );
    expect(r.status).toBe(400);
    expect(r.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(r.body.errors).toEqual([{ path: "screenshot", message: "The screenshot must be a PNG or JPEG image." }]);
    expect((await asOwner(s, "GET", "/api/v1/surveys/feedback")).body.data).toEqual([]);
    expect((await env.FILES.list({ prefix: `tenant/${s.owner.tenantId}/` })).objects).toEqual([]);
  });

  it("stores a PNG under the tenant's prefix and shows it only through a signed, expiring URL", async () => {
    const s = await siteWith();
    const r = await sendFeedback(
      s,
      { message: "The cart button overlaps", category: "bug", page_url: "https://shop.example/cart" },
      { bytes: PNG_1PX, name: "shot.bin", type: "application/octet-stream" },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const obj = await env.FILES.get(`tenant/${s.owner.tenantId}/feedback/${r.body.id}.png`);
    expect(obj?.httpMetadata?.contentType).toBe("image/png");
    await obj?.arrayBuffer();
    const detail = await asOwner(s, "GET", `/api/v1/surveys/feedback/${r.body.id}`);
    expect(detail.body).toMatchObject({ category: "bug", page_url: "https://shop.example/cart", has_screenshot: true, status: "open" });
    const url: string = detail.body.screenshot_url;
    expect(url).toMatch(/^\/public\/v1\/surveys\/screenshots\//);
    const img = await call(url);
    expect(img.status).toBe(200);
    expect(img.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await img.arrayBuffer())).toEqual(PNG_1PX);
    // Another first character of the signature (a fixed "A" left it unchanged for 1 signature in 64).
    const tampered = await call(url.replace(/sig=(.)/, (_m, c: string) => `sig=${c === "A" ? "B" : "A"}`));
    expect(tampered.status).toBe(403);
    await tampered.text();
    const expired = await call(url.replace(/exp=\d+/, `exp=${Date.now() - 1000}`));
    expect(expired.status).toBe(403);
    await expired.text();
  });
});

describe("feedback inbox", () => {
  it("validates the form with the failing fields", async () => {
    const s = await siteWith();
    const r = await sendFeedback(s, { message: "   ", category: "rant", email: "nope" });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["category", "email", "message"]);
  });

  it("is idempotent by client id, triages (status, assignee, tags) with filters and search", async () => {
    const s = await siteWith();
    const a = await sendFeedback(s, { message: "Dark mode please", category: "idea", id: "client-aaaaaaaa" });
    const again = await sendFeedback(s, { message: "Dark mode please", category: "idea", id: "client-aaaaaaaa" });
    expect(again.body).toEqual({ id: a.body.id, duplicate: true });
    const b = await sendFeedback(s, { message: "Checkout crashes", category: "bug", email: "Jo@Example.com" });
    const patch = await asOwner(s, "PATCH", `/api/v1/surveys/feedback/${b.body.id}`, {
      status: "in_progress",
      assignee_id: s.owner.userId,
      tags: ["Checkout", "urgent", "checkout"],
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({
      status: "in_progress",
      assignee_id: s.owner.userId,
      tags: ["checkout", "urgent"],
      email: "jo@example.com",
    });
    const ids = async (q: string) => (await asOwner(s, "GET", `/api/v1/surveys/feedback?${q}`)).body.data.map((f: { id: string }) => f.id);
    expect(await ids("")).toEqual([b.body.id, a.body.id]);
    expect(await ids("status=open")).toEqual([a.body.id]);
    expect(await ids("category=bug")).toEqual([b.body.id]);
    expect(await ids("tag=urgent")).toEqual([b.body.id]);
    expect(await ids(`assignee=${s.owner.userId}`)).toEqual([b.body.id]);
    expect(await ids("assignee=none")).toEqual([a.body.id]);
    expect(await ids("q=dark")).toEqual([a.body.id]);
    expect(await ids("limit=1").then((x) => x.length)).toBe(1);
    const page1 = await asOwner(s, "GET", "/api/v1/surveys/feedback?limit=1");
    expect((await asOwner(s, "GET", `/api/v1/surveys/feedback?limit=1&cursor=${page1.body.next_cursor}`)).body.data[0].id).toBe(a.body.id);
    const stranger = await asOwner(s, "PATCH", `/api/v1/surveys/feedback/${b.body.id}`, { assignee_id: "usr_not_a_member" });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors[0].path).toBe("assignee_id");
  });

  it("replies to the submitter by email and keeps the reply", async () => {
    const s = await siteWith({}, "Reply Co");
    const to = `submitter-${Date.now()}@example.test`;
    const f = await sendFeedback(s, { message: "Where is my invoice?", category: "question", email: to });
    const r = await asOwner(s, "POST", `/api/v1/surveys/feedback/${f.body.id}/replies`, { body: "It is under Billing → Invoices." });
    expect(r.status).toBe(201);
    const mail = await waitForMail(to, "Re: your feedback to Reply Co");
    expect(mail.text).toContain("It is under Billing → Invoices.");
    expect(mail.text).toContain("Where is my invoice?");
    const detail = await asOwner(s, "GET", `/api/v1/surveys/feedback/${f.body.id}`);
    expect(detail.body.replies.map((x: { body: string }) => x.body)).toEqual(["It is under Billing → Invoices."]);
    expect(detail.body.status).toBe("in_progress");
    const anonymous = await sendFeedback(s, { message: "no email here" });
    expect((await asOwner(s, "POST", `/api/v1/surveys/feedback/${anonymous.body.id}/replies`, { body: "hi" })).status).toBe(400);
  });

  it("deletes an item with its screenshot, audited", async () => {
    const s = await siteWith();
    const f = await sendFeedback(s, { message: "delete me" }, { bytes: PNG_1PX, name: "a.png", type: "image/png" });
    const key = `tenant/${s.owner.tenantId}/feedback/${f.body.id}.png`;
    expect(await env.FILES.head(key)).not.toBeNull();
    const del = await call(`/api/v1/surveys/feedback/${f.body.id}`, {
      method: "DELETE",
      token: s.owner.accessToken,
      tenant: s.owner.tenantId,
      ip: s.owner.ip,
    });
    expect(del.status).toBe(204);
    expect(await env.FILES.head(key)).toBeNull();
    expect((await asOwner(s, "GET", `/api/v1/surveys/feedback/${f.body.id}`)).status).toBe(404);
    const audit = await getDb(env.DB)
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, s.owner.tenantId), eq(auditLogs.action, "surveys.feedback_deleted")));
    expect(audit.map((a) => a.targetId)).toEqual([f.body.id]);
  });
});

describe("surveys.js", () => {
  it("is served for any site, within the 6 KB gzip budget", async () => {
    const res = await call("/surveys.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("javascript");
    const body = await res.text();
    expect(body).toBe(SURVEYS_JS);
    expect(body).toContain("/public/v1/surveys");
    const gz = new Response(new Blob([body]).stream().pipeThrough(new CompressionStream("gzip")));
    expect((await gz.arrayBuffer()).byteLength).toBeLessThanOrEqual(6144);
  });
});
