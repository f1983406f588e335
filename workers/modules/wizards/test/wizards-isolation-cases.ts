import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";

/**
 * Tenant-isolation cases for the wizards routes and the workspace security policy, spread into
 * CASES in tenant-isolation.test.ts. A starts the team wizard (a marker address in its answers) and
 * sets a session lifetime; B works only on its own run and policy and never sees A's.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "okapi-wizard-marker@example.test";

const asA = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, body, ip: w.a.ip });
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });

let fixture: Promise<void> | null = null;
/** A's team wizard run at its second step (with MARK in its answers) and A's 720 h session lifetime. */
export function aWizards(w: AB) {
  fixture ??= (async () => {
    const step = await asA(w, "POST", "/api/v1/wizards/team/steps/invites", { invites: [{ email: MARK, role: "member" }] });
    expect(step.status).toBe(200);
    const policy = await asA(w, "PUT", "/api/v1/security-policy", {
      mfa_required: false,
      session_lifetime_hours: 720,
      api_keys_allowed: true,
    });
    expect(policy.status).toBe(200);
  })();
  return fixture;
}

/** A's run and policy are as A left them. */
async function aUntouched(w: AB) {
  const run = await asA(w, "GET", "/api/v1/wizards/team");
  expect(run.body.run.status).toBe("in_progress");
  expect(run.body.run.completed_steps).toEqual(["invites"]);
  expect(JSON.stringify(run.body.run.state)).toContain(MARK);
  expect((await asA(w, "GET", "/api/v1/security-policy")).body.session_lifetime_hours).toBe(720);
}
const noMark = (payload: unknown) => expect(JSON.stringify(payload)).not.toContain(MARK);

const bOwn =
  (method: string, path: string, statuses: number[], body?: unknown): Case =>
  async (w) => {
    await aWizards(w);
    const r = await asB(w, method, path, body);
    expect(statuses, `${method} ${path}: ${r.status}`).toContain(r.status);
    noMark(r.body);
    await aUntouched(w);
  };

export const WIZARDS_CASES: Record<string, Case> = {
  "GET /api/v1/wizards": async (w) => {
    await aWizards(w);
    const r = await asB(w, "GET", "/api/v1/wizards");
    expect(r.status).toBe(200);
    const team = r.body.items.find((i: { kind: string }) => i.kind === "team");
    expect(team.progress.done).toBe(0);
    await aUntouched(w);
  },
  "GET /api/v1/wizards/{kind}": bOwn("GET", "/api/v1/wizards/team", [200]),
  "POST /api/v1/wizards/{kind}/steps/{stepId}": bOwn("POST", "/api/v1/wizards/team/steps/buddies", [409], { buddies: [] }),
  "GET /api/v1/wizards/{kind}/steps/{stepId}/status": bOwn("GET", "/api/v1/wizards/team/steps/buddies/status", [200]),
  "POST /api/v1/wizards/{kind}/back": bOwn("POST", "/api/v1/wizards/team/back", [409, 200]),
  "POST /api/v1/wizards/{kind}/complete": bOwn("POST", "/api/v1/wizards/team/complete", [409]),
  "POST /api/v1/wizards/{kind}/restart": bOwn("POST", "/api/v1/wizards/team/restart", [200]),
  "DELETE /api/v1/wizards/{kind}": bOwn("DELETE", "/api/v1/wizards/team", [204, 404]),
  "GET /api/v1/team/buddies": bOwn("GET", "/api/v1/team/buddies", [200]),
  "GET /api/v1/security-policy": async (w) => {
    await aWizards(w);
    const r = await asB(w, "GET", "/api/v1/security-policy");
    expect(r.status).toBe(200);
    expect(r.body.session_lifetime_hours).not.toBe(720);
  },
  "PUT /api/v1/security-policy": bOwn("PUT", "/api/v1/security-policy", [200], {
    mfa_required: false,
    session_lifetime_hours: 24,
    api_keys_allowed: true,
  }),
};
