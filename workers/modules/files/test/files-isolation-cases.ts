import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { MiB, pngOf, raw, upload } from "./files-helpers";

/**
 * Tenant-isolation cases for the files routes, spread into CASES in tenant-isolation.test.ts.
 * A has a folder with a file, a trashed file and a multipart upload in progress (created once,
 * lazily); B names their ids through B's own workspace and must get 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Quokkafile";

interface AFiles {
  folder: string;
  file: string;
  trashed: string;
  upload: string;
}
let fixture: Promise<AFiles> | null = null;
export function aFiles(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const folder = await asA("POST", "/api/v1/files/folders", { name: `${MARK} folder` });
    const file = await upload(w.a, `${MARK}.png`, pngOf(4, 4), `&folder_id=${folder.body.id}`);
    const trashed = await upload(w.a, `${MARK}-old.txt`, new TextEncoder().encode("old"));
    const del = await asA("DELETE", `/api/v1/files/${trashed.body.id}`);
    const up = await asA("POST", "/api/v1/files/uploads", { name: `${MARK}.bin`, size: 6 * MiB });
    expect([folder.status, file.status, trashed.status, del.status, up.status]).toEqual([201, 201, 201, 204, 201]);
    return { folder: folder.body.id, file: file.body.id, trashed: trashed.body.id, upload: up.body.upload_id };
  })();
  return fixture;
}

const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aFiles(w);
  const text = JSON.stringify(payload);
  for (const s of [ids.folder, ids.file, ids.trashed, ids.upload, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
const fileCase =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const ids = await aFiles(w);
    for (const id of [ids.file, ids.trashed])
      expect((await asB(w, method, `/api/v1/files/${id}${suffix}`, body)).status, `${method} ${suffix}`).toBe(404);
  };
const folderCase =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const ids = await aFiles(w);
    expect((await asB(w, method, `/api/v1/files/folders/${ids.folder}${suffix}`, body)).status).toBe(404);
  };
const uploadCase =
  (method: string, suffix: string): Case =>
  async (w) => {
    const ids = await aFiles(w);
    expect((await asB(w, method, `/api/v1/files/uploads/${ids.upload}${suffix}`)).status).toBe(404);
  };

export const FILES_CASES: Record<string, Case> = {
  "GET /api/v1/files": async (w) => {
    await aFiles(w);
    for (const q of ["", "?trashed=true", `?q=${MARK}`, `?folder_id=${(await aFiles(w)).folder}`]) {
      const r = await asB(w, "GET", `/api/v1/files${q}`);
      expect(r.status).toBe(200);
      await noneOfA(w, r.body);
    }
  },
  "POST /api/v1/files": async (w) => {
    const ids = await aFiles(w);
    // Into A's folder: 404; into B's root: B's own file.
    expect((await upload(w.b, "b.txt", new TextEncoder().encode("b"), `&folder_id=${ids.folder}`)).status).toBe(404);
    expect((await upload(w.b, "b.txt", new TextEncoder().encode("b"))).status).toBe(201);
  },
  "GET /api/v1/files/{id}": fileCase("GET", ""),
  "PATCH /api/v1/files/{id}": fileCase("PATCH", "", { name: "pwned", public: true }),
  "DELETE /api/v1/files/{id}": async (w) => {
    const ids = await aFiles(w);
    expect((await asB(w, "DELETE", `/api/v1/files/${ids.file}`)).status).toBe(404);
    expect((await asB(w, "DELETE", `/api/v1/files/${ids.trashed}?permanent=true`)).status).toBe(404);
  },
  "POST /api/v1/files/{id}/restore": fileCase("POST", "/restore"),
  "POST /api/v1/files/{id}/links": fileCase("POST", "/links", { expires_in: 600 }),
  "POST /api/v1/files/bulk": async (w) => {
    const ids = await aFiles(w);
    for (const action of ["trash", "restore", "delete", "tag"] as const) {
      const r = await asB(w, "POST", "/api/v1/files/bulk", { action, ids: [ids.file, ids.trashed], tags: ["x"] });
      expect(r.status, action).toBe(200);
      expect(r.body.updated, action).toBe(0);
    }
    expect((await asB(w, "POST", "/api/v1/files/bulk", { action: "move", ids: [ids.file], folder_id: ids.folder })).status).toBe(404);
    expect((await asB(w, "POST", "/api/v1/files/bulk", { action: "move", ids: [ids.file], folder_id: null })).body.updated).toBe(0);
    // A's files are as they were.
    const a = await callJson(`/api/v1/files/${ids.file}`, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body).toMatchObject({ folder_id: ids.folder, trashed_at: null, tags: [] });
  },
  "GET /api/v1/files/folders": async (w) => {
    const ids = await aFiles(w);
    const root = await asB(w, "GET", "/api/v1/files/folders");
    expect(root.status).toBe(200);
    await noneOfA(w, root.body);
    expect((await asB(w, "GET", `/api/v1/files/folders?parent_id=${ids.folder}`)).status).toBe(404);
  },
  "POST /api/v1/files/folders": async (w) => {
    const ids = await aFiles(w);
    expect((await asB(w, "POST", "/api/v1/files/folders", { name: "sub", parent_id: ids.folder })).status).toBe(404);
    expect((await asB(w, "POST", "/api/v1/files/folders", { name: `${MARK} folder` })).status).toBe(201); // names are per workspace
  },
  "PATCH /api/v1/files/folders/{id}": folderCase("PATCH", "", { name: "pwned" }),
  "DELETE /api/v1/files/folders/{id}": folderCase("DELETE", "?recursive=true"),
  "GET /api/v1/files/folders/{id}/path": folderCase("GET", "/path"),
  "GET /api/v1/files/settings": async (w) => {
    expect((await asB(w, "GET", "/api/v1/files/settings")).status).toBe(200);
  },
  "PUT /api/v1/files/settings": async (w) => {
    expect((await asB(w, "PUT", "/api/v1/files/settings", { allowed_types: ["text/plain"], max_file_size: 10 })).status).toBe(200);
    const a = await callJson("/api/v1/files/settings", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.allowed_types).toEqual(["*/*"]);
    await asB(w, "PUT", "/api/v1/files/settings", { allowed_types: ["*/*"], max_file_size: 1024 * MiB });
  },
  "GET /api/v1/files/usage": async (w) => {
    await aFiles(w);
    const r = await asB(w, "GET", "/api/v1/files/usage");
    expect(r.status).toBe(200);
    expect(r.body.trashed_files).toBe(0);
  },
  "POST /api/v1/files/uploads": async (w) => {
    const ids = await aFiles(w);
    expect((await asB(w, "POST", "/api/v1/files/uploads", { name: "b.bin", size: 10, folder_id: ids.folder })).status).toBe(404);
  },
  "GET /api/v1/files/uploads/{upload_id}": uploadCase("GET", ""),
  "POST /api/v1/files/uploads/{upload_id}/complete": uploadCase("POST", "/complete"),
  "DELETE /api/v1/files/uploads/{upload_id}": uploadCase("DELETE", ""),
  "PUT /api/v1/files/uploads/{upload_id}/parts/{n}": async (w) => {
    const ids = await aFiles(w);
    const r = await raw(`/api/v1/files/uploads/${ids.upload}/parts/1`, w.b, { method: "PUT", body: new Uint8Array(5 * MiB) });
    expect(r.status).toBe(404);
  },
  "POST /api/v1/files/upload-tickets": async (w) => {
    const ids = await aFiles(w);
    const body = { max_size: 1000, content_types: ["image/*"], folder_id: ids.folder };
    expect((await asB(w, "POST", "/api/v1/files/upload-tickets", body)).status).toBe(404);
  },
};
