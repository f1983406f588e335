import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";

/**
 * Tenant-isolation cases for the release-note routes, spread into CASES in tenant-isolation.test.ts.
 * A gets a published note and a draft (created once, lazily); B tries them through B's own
 * workspace and must get 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Zebracorn launch";

let fixture: Promise<{ published: string; draft: string }> | null = null;
export function aReleases(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const pub = await asA("POST", "/api/v1/releases", { title: MARK, type: "feature", body_md: `${MARK} is here.` });
    const draft = await asA("POST", "/api/v1/releases", { title: `${MARK} draft`, type: "fix", body_md: "later" });
    const published = await asA("POST", `/api/v1/releases/${pub.body.id}/publish`);
    expect([pub.status, draft.status, published.status]).toEqual([201, 201, 200]);
    return { published: pub.body.id as string, draft: draft.body.id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const note404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const ids = await aReleases(w);
    for (const id of [ids.published, ids.draft]) {
      const r = await asB(w, method, `/api/v1/releases/${id}${suffix}`, body);
      expect(r.status, `${method} ${suffix}`).toBe(404);
    }
  };
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aReleases(w);
  const text = JSON.stringify(payload);
  for (const s of [ids.published, ids.draft, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};

export const RELEASES_CASES: Record<string, Case> = {
  "GET /api/v1/releases": async (w) => {
    const r = await asB(w, "GET", "/api/v1/releases?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "POST /api/v1/releases": async (w) => {
    // Same title in B: B's own note, with the same slug (slugs are per workspace).
    const r = await asB(w, "POST", "/api/v1/releases", { title: "B's note", type: "fix", body_md: "b" });
    expect(r.status).toBe(201);
  },
  "POST /api/v1/releases/preview": async (w) => {
    expect((await asB(w, "POST", "/api/v1/releases/preview", { body_md: "*b*" })).status).toBe(200);
  },
  "GET /api/v1/releases/whats-new": async (w) => {
    const r = await asB(w, "GET", "/api/v1/releases/whats-new");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "POST /api/v1/releases/whats-new/read": async (w) => {
    await aReleases(w);
    expect((await asB(w, "POST", "/api/v1/releases/whats-new/read")).status).toBe(200);
    // A's read state is A's own: still unread for A's owner.
    const a = await callJson("/api/v1/releases/whats-new", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.unread_count).toBe(1);
  },
  "GET /api/v1/releases/{id}": note404("GET", ""),
  "PATCH /api/v1/releases/{id}": note404("PATCH", "", { title: "pwned" }),
  "DELETE /api/v1/releases/{id}": note404("DELETE", ""),
  "POST /api/v1/releases/{id}/publish": note404("POST", "/publish"),
  "POST /api/v1/releases/{id}/unpublish": note404("POST", "/unpublish"),
  "POST /api/v1/releases/{id}/schedule": note404("POST", "/schedule", { publish_at: "2099-01-01T00:00:00Z" }),
};
