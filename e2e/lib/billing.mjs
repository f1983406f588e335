import assert from "node:assert/strict";
import { apiCall, BASE, PASSWORD } from "./browser.mjs";

/**
 * Puts a workspace on a paid plan the way a customer does, without the billing UI: checkout through
 * the API, then the payment simulator's approve button (which posts signed webhooks to /webhooks/*).
 * For specs that need more members than Free's 3 seats.
 */
export async function subscribeViaSimulator({ token, tenant, ip }, { plan = "starter", seats = 10, interval = "month" } = {}) {
  const start = await apiCall("/api/v1/billing/checkout", {
    method: "POST",
    token,
    tenant,
    ip,
    body: { plan, interval, seats, provider: "stripe" },
  });
  assert.equal(start.status, 200, JSON.stringify(start.body));
  assert.equal(start.body.mode, "simulator", "the payment simulator runs when no provider keys are set");
  const res = await fetch(`${BASE}${new URL(start.body.url).pathname}/approve`, {
    method: "POST",
    redirect: "manual",
    headers: { "CF-Connecting-IP": ip ?? "127.0.0.251" },
  });
  assert.equal(res.status, 303, await res.text());
}

/**
 * A workspace owner made through the API on a paid plan: signs `owner.email` up (a new workspace named
 * `workspace`), puts the workspace on `plan` through the payment simulator and fills `owner.token` and
 * `owner.tenant`. For specs that test a paid feature's pages rather than sign-up or billing.
 */
export async function ownerOnPlan(owner, { name, workspace, ip, plan, seats }) {
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip,
    body: { email: owner.email, password: owner.password ?? PASSWORD, name, workspace_name: workspace },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  Object.assign(owner, { token: r.body.access_token, tenant: r.body.tenant.id });
  await subscribeViaSimulator({ token: owner.token, tenant: owner.tenant, ip }, { plan, seats });
  return owner;
}
