import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, call, callJson, type TestUser } from "../../../../test/helpers";

/**
 * Puts a workspace on a paid plan the way a customer does: POST /billing/checkout, then the
 * payment simulator's approve button, which posts signed webhook events to /webhooks/* — so the
 * real verification and subscription code runs. For tests that need more members than Free's seats.
 */
export async function subscribeViaSimulator(
  u: TestUser,
  choice: {
    plan?: "starter" | "professional" | "enterprise";
    interval?: "month" | "year";
    seats?: number;
    provider?: "stripe" | "paypal";
    trial?: boolean;
  } = {},
  decision: "approve" | "decline" = "approve",
) {
  const body = {
    plan: choice.plan ?? "starter",
    interval: choice.interval ?? "month",
    seats: choice.seats ?? 10,
    provider: choice.provider ?? "stripe",
    trial: choice.trial ?? false,
  };
  const start = await callJson("/api/v1/billing/checkout", { method: "POST", token: u.accessToken, tenant: u.tenantId, body, ip: u.ip });
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  expect(start.body.mode).toBe("simulator");
  const path = new URL(start.body.url).pathname;
  expect((await call(path)).status).toBe(200);
  const res = await exports.default.fetch(`${BASE}${path}/${decision}`, { method: "POST", redirect: "manual" });
  expect(res.status, await res.clone().text()).toBe(303);
  return res.headers.get("Location");
}

/**
 * Changes the simulated payment method the way a customer does: "Payment method" on the billing
 * page (POST /billing/portal mints a signed portal link), then a button in the simulated portal.
 * Returns the portal's redirect (it carries `collected=N` when failed invoices were charged).
 */
export async function setSimulatedPaymentMethod(u: TestUser, method: "card" | "card_declines" | "none") {
  const portal = await callJson("/api/v1/billing/portal", { method: "POST", token: u.accessToken, tenant: u.tenantId, ip: u.ip });
  expect(portal.status, JSON.stringify(portal.body)).toBe(200);
  expect(portal.body.mode).toBe("simulator");
  const link = new URL(portal.body.url);
  expect((await call(`${link.pathname}${link.search}`)).status).toBe(200);
  const res = await exports.default.fetch(
    `${BASE}/dev/payment-simulator/portal/payment-method?method=${method}&session=${link.searchParams.get("session")}`,
    { method: "POST", redirect: "manual" },
  );
  expect(res.status, await res.clone().text()).toBe(303);
  return res.headers.get("Location")!;
}
