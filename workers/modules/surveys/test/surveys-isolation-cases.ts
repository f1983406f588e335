import { expect } from "vitest";
import { call, callJson, type TestUser } from "../../../../test/helpers";
import { answer, PNG_1PX, sendFeedback, type Site } from "./surveys-helpers";

/**
 * Tenant-isolation cases for the surveys routes, spread into CASES in tenant-isolation.test.ts.
 * A (its own fixture workspace with a site key) has a detractor response and a feedback item with
 * a screenshot; B names their ids through B's own workspace and must get 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Wombatquartz";

let fixture: Promise<{ site: Site; response: string; feedback: string }> | null = null;
export function aSurveys(w: AB) {
  fixture ??= (async () => {
    // The isolation world's A owns it: a site key on A's workspace.
    const pk = await callJson("/api/v1/publishable-keys", {
      token: w.a.accessToken,
      tenant: w.a.tenantId,
      ip: w.a.ip,
      body: { name: "A surveys site", allowed_origins: ["https://shop.example"] },
    });
    expect(pk.status).toBe(201);
    const site: Site = { owner: w.a, key: pk.body.key, ip: w.a.ip };
    const response = await answer(site, 2, { comment: `${MARK} is broken` });
    const fb = await sendFeedback(
      site,
      { message: `${MARK} feedback`, email: "a-submitter@example.test" },
      { bytes: PNG_1PX, name: "a.png", type: "image/png" },
    );
    expect(fb.status).toBe(201);
    return { site, response, feedback: fb.body.id as string };
  })();
  return fixture;
}

const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noMark = (body: unknown) => expect(JSON.stringify(body)).not.toContain(MARK);

export const SURVEYS_CASES: Record<string, Case> = {
  "GET /api/v1/surveys/settings": async (w) => {
    await aSurveys(w);
    const r = await asB(w, "GET", "/api/v1/surveys/settings");
    expect(r.status).toBe(200);
  },
  "PATCH /api/v1/surveys/settings": async (w) => {
    expect((await asB(w, "PATCH", "/api/v1/surveys/settings", { nps_enabled: true })).status).toBe(200);
    const a = await callJson("/api/v1/surveys/settings", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.nps_enabled).toBe(false);
  },
  "GET /api/v1/surveys/nps/summary": async (w) => {
    await aSurveys(w);
    const r = await asB(w, "GET", "/api/v1/surveys/nps/summary");
    expect(r.body.total).toBe(0);
  },
  "GET /api/v1/surveys/nps/responses": async (w) => {
    const { response } = await aSurveys(w);
    const r = await asB(w, "GET", `/api/v1/surveys/nps/responses?q=${MARK}`);
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(response);
    noMark(r.body);
  },
  "GET /api/v1/surveys/nps/export": async (w) => {
    const { response } = await aSurveys(w);
    const r = await call("/api/v1/surveys/nps/export", { token: w.b.accessToken, tenant: w.b.tenantId, ip: w.b.ip });
    expect(r.status).toBe(200);
    const csv = await r.text();
    expect(csv).not.toContain(response);
    expect(csv).not.toContain(MARK);
  },
  "PATCH /api/v1/surveys/nps/responses/{id}": async (w) => {
    const { response } = await aSurveys(w);
    expect((await asB(w, "PATCH", `/api/v1/surveys/nps/responses/${response}`, { follow_up_done: true })).status).toBe(404);
  },
  "GET /api/v1/surveys/feedback": async (w) => {
    await aSurveys(w);
    const r = await asB(w, "GET", "/api/v1/surveys/feedback");
    expect(r.status).toBe(200);
    noMark(r.body);
  },
  "GET /api/v1/surveys/feedback/{id}": async (w) => {
    const { feedback } = await aSurveys(w);
    expect((await asB(w, "GET", `/api/v1/surveys/feedback/${feedback}`)).status).toBe(404);
  },
  "PATCH /api/v1/surveys/feedback/{id}": async (w) => {
    const { feedback } = await aSurveys(w);
    expect((await asB(w, "PATCH", `/api/v1/surveys/feedback/${feedback}`, { status: "closed" })).status).toBe(404);
  },
  "POST /api/v1/surveys/feedback/{id}/replies": async (w) => {
    const { feedback } = await aSurveys(w);
    expect((await asB(w, "POST", `/api/v1/surveys/feedback/${feedback}/replies`, { body: "hello from B" })).status).toBe(404);
  },
  "DELETE /api/v1/surveys/feedback/{id}": async (w) => {
    const { feedback } = await aSurveys(w);
    expect((await asB(w, "DELETE", `/api/v1/surveys/feedback/${feedback}`)).status).toBe(404);
    const still = await callJson(`/api/v1/surveys/feedback/${feedback}`, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(still.body.status).toBe("open");
  },
};
