import assert from "node:assert/strict";
import { apiCall, BASE } from "./browser.mjs";

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
