import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookEvents } from "../../../../schema/webhooks";
import { getDb } from "../../../platform/db";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { DAILY_FILES_CRON, runFilesCron } from "../cron";
import { bytesOf, storedKeys, upload } from "./files-helpers";

const api = (u: TestUser, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, body, ip: u.ip });
const names = (r: { body: { data: { name: string }[] } }) => r.body.data.map((f) => f.name);
const DAY = 86_400_000;

describe("files: listing and folders", () => {
  it("lists a folder, searches across folders, filters by tag, sorts and pages", async () => {
    const u = await signUp();
    const docs = (await api(u, "POST", "/api/v1/files/folders", { name: "Docs" })).body;
    expect((await api(u, "POST", "/api/v1/files/folders", { name: "docs" })).status).toBe(409);
    const sub = (await api(u, "POST", "/api/v1/files/folders", { name: "2026", parent_id: docs.id })).body;
    for (const [name, size, q] of [
      ["b-report.txt", 30, ""],
      ["A-notes.txt", 10, "&tags=q3"],
      ["c-big.txt", 50, "&tags=q3,big"],
    ] as const)
      expect((await upload(u, name, bytesOf(size, size), q)).status).toBe(201);
    expect((await upload(u, "report-2026.txt", bytesOf(5, 99), `&folder_id=${sub.id}`)).status).toBe(201);

    expect(names(await api(u, "GET", "/api/v1/files?sort=name"))).toEqual(["A-notes.txt", "b-report.txt", "c-big.txt"]);
    expect(names(await api(u, "GET", "/api/v1/files?sort=size&order=desc"))).toEqual(["c-big.txt", "b-report.txt", "A-notes.txt"]);
    expect(names(await api(u, "GET", `/api/v1/files?folder_id=${sub.id}`))).toEqual(["report-2026.txt"]);
    expect(names(await api(u, "GET", "/api/v1/files?q=report&sort=name"))).toEqual(["b-report.txt", "report-2026.txt"]);
    expect(names(await api(u, "GET", "/api/v1/files?tag=q3&sort=name"))).toEqual(["A-notes.txt", "c-big.txt"]);
    // Pages of one, by name, follow the cursor to the end.
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { body: { data: { name: string }[]; next_cursor: string | null } } = await api(
        u,
        "GET",
        `/api/v1/files?sort=name&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...names(page));
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual(["A-notes.txt", "b-report.txt", "c-big.txt"]);
    expect((await api(u, "GET", "/api/v1/files?cursor=garbage!")).status).toBe(400);

    // Breadcrumb, folder listing, cycles refused.
    expect((await api(u, "GET", `/api/v1/files/folders/${sub.id}/path`)).body.data.map((f: { name: string }) => f.name)).toEqual([
      "Docs",
      "2026",
    ]);
    expect((await api(u, "GET", `/api/v1/files/folders?parent_id=${docs.id}`)).body.data.map((f: { id: string }) => f.id)).toEqual([
      sub.id,
    ]);
    expect((await api(u, "PATCH", `/api/v1/files/folders/${docs.id}`, { parent_id: sub.id })).status).toBe(409);
    // A folder with subfolders needs recursive=true; its files go to the trash.
    expect((await api(u, "DELETE", `/api/v1/files/folders/${docs.id}`)).status).toBe(409);
    expect((await api(u, "DELETE", `/api/v1/files/folders/${docs.id}?recursive=true`)).status).toBe(204);
    const trash = await api(u, "GET", "/api/v1/files?trashed=true");
    expect(names(trash)).toEqual(["report-2026.txt"]);
    // Restored without its folder: back at the root.
    const back = await api(u, "POST", `/api/v1/files/${trash.body.data[0].id}/restore`);
    expect(back.body).toMatchObject({ folder_id: null, trashed_at: null });
  });

  it("renames, moves, tags and runs bulk actions", async () => {
    const u = await signUp();
    const folder = (await api(u, "POST", "/api/v1/files/folders", { name: "Inbox" })).body;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await upload(u, `f${i}.txt`, bytesOf(10 + i, i + 1))).body.id);
    const renamed = await api(u, "PATCH", `/api/v1/files/${ids[0]}`, { name: "first.txt", folder_id: folder.id, tags: ["a", "b", "a"] });
    expect(renamed.body).toMatchObject({ name: "first.txt", folder_id: folder.id, tags: ["a", "b"] });
    expect((await api(u, "POST", "/api/v1/files/bulk", { action: "move", ids, folder_id: folder.id })).body.updated).toBe(3);
    expect((await api(u, "POST", "/api/v1/files/bulk", { action: "tag", ids, tags: ["x"] })).body.updated).toBe(3);
    expect((await api(u, "POST", "/api/v1/files/bulk", { action: "untag", ids: [ids[0]], tags: ["a"] })).body.updated).toBe(1);
    expect((await api(u, "GET", `/api/v1/files/${ids[0]}`)).body.tags).toEqual(["b", "x"]);
    // delete only takes trashed files.
    expect((await api(u, "POST", "/api/v1/files/bulk", { action: "delete", ids })).body.updated).toBe(0);
    expect((await api(u, "DELETE", `/api/v1/files/${ids[0]}?permanent=true`)).status).toBe(409);
    expect((await api(u, "POST", "/api/v1/files/bulk", { action: "trash", ids })).body.updated).toBe(3);
    expect((await api(u, "POST", "/api/v1/files/bulk", { action: "restore", ids: [ids[2]] })).body.updated).toBe(1);
    expect((await api(u, "POST", "/api/v1/files/bulk", { action: "delete", ids })).body.updated).toBe(2);
    expect((await api(u, "GET", `/api/v1/files/${ids[0]}`)).status).toBe(404);
    expect(await storedKeys(u.tenantId)).toEqual([`tenant/${u.tenantId}/files/${ids[2]}/original`]);
    const usage = await api(u, "GET", "/api/v1/files/usage");
    expect(usage.body).toMatchObject({ files: 1, trashed_files: 0, storage_limit: 1024 ** 3 });
    const audit = await api(u, "GET", "/api/v1/audit-logs?limit=100");
    expect(audit.body.data.filter((e: { action: string }) => e.action === "file.deleted")).toHaveLength(2);
  });
});

describe("files: trash purge and events", () => {
  it("the daily cron deletes files trashed over 30 days ago (bytes, row, file.deleted) and keeps newer ones", async () => {
    const u = await signUp();
    const hook = await api(u, "POST", "/api/v1/webhook-endpoints", {
      url: "https://hooks.example.test/files",
      event_types: ["file.uploaded", "file.deleted"],
    });
    expect(hook.status).toBe(201);
    const old = (await upload(u, "old.txt", bytesOf(20, 1))).body;
    const recent = (await upload(u, "recent.txt", bytesOf(20, 2))).body;
    await api(u, "DELETE", `/api/v1/files/${old.id}`);
    await api(u, "DELETE", `/api/v1/files/${recent.id}`);
    const now = Date.now();
    // Only the daily schedule purges; 31 days on, "old" is due and so is "recent" — move "recent" forward.
    // (The crons run across workspaces: other test files' rows may be due too, so counts are "at least".)
    expect((await runFilesCron("*/10 * * * *", env, now + 31 * DAY)).purged).toBe(0);
    await env.DB.prepare("UPDATE files SET trashed_at = ?1 WHERE id = ?2")
      .bind(now + 10 * DAY, recent.id)
      .run();
    const r = await runFilesCron(DAILY_FILES_CRON, env, now + 31 * DAY);
    expect(r.purged).toBeGreaterThanOrEqual(1);
    expect((await api(u, "GET", `/api/v1/files/${old.id}`)).status).toBe(404);
    expect((await api(u, "GET", `/api/v1/files/${recent.id}`)).body.trashed_at).not.toBeNull();
    expect(await storedKeys(u.tenantId)).toEqual([`tenant/${u.tenantId}/files/${recent.id}/original`]);
    const events = await getDb(env.DB)
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.tenantId, u.tenantId)));
    const types = events.map((e) => `${e.type}:${JSON.parse(e.payload).data.file_id}`).sort();
    expect(types).toEqual([`file.deleted:${old.id}`, `file.uploaded:${old.id}`, `file.uploaded:${recent.id}`].sort());
  });
});
