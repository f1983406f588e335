import { describe, expect, it } from "vitest";
import { callJson, signUp, tokenFromMail, waitForMail } from "../../../../test/helpers";
import { forgetHouse } from "../house";
import { waitFor } from "./analytics-helpers";

/**
 * Weft measures itself as a tenant of its own analytics: product events from other modules
 * (identity, onboarding, tenancy, billing) arrive as server events of the house workspace.
 */
describe("Weft's own analytics (the house workspace)", () => {
  it("records sign-up → verified email → onboarding → invitation → profile → first email for a new customer, once each", async () => {
    const house = await signUp({ workspace: "Weft" });
    const me = await callJson("/api/v1/tenant", { token: house.accessToken, tenant: house.tenantId, ip: house.ip });
    expect(me.body.slug).toBe("weft"); // HOUSE_WORKSPACE_SLUG's default
    forgetHouse();

    const customer = await signUp({ workspace: "Customer Co" });
    const as = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: customer.accessToken, tenant: customer.tenantId, ip: customer.ip, body });
    const token = tokenFromMail(await waitForMail(customer.email, "Confirm your email"));
    expect((await callJson("/api/v1/auth/verify-email", { body: { token }, ip: customer.ip })).status).toBe(200);
    expect((await as("PATCH", "/api/v1/onboarding", { completed: true })).status).toBe(200);
    expect((await as("PATCH", "/api/v1/onboarding", { completed: true })).status).toBe(200); // again: recorded once
    expect((await as("POST", "/api/v1/invitations", { email: "teammate@customer.example", role: "member" })).status).toBe(201);
    expect((await as("PATCH", "/api/v1/me", { name: "Casey Customer" })).status).toBe(200);
    const mail = {
      to: { email: "someone@customer.example" },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "C", date: "today" },
    };
    expect((await as("POST", "/api/v1/messages", mail)).status).toBe(202);
    expect((await as("POST", "/api/v1/messages", mail)).status).toBe(202); // the first email only

    const names = await waitFor(
      async () => {
        const r = await callJson(`/api/v1/analytics/events?person=${customer.userId}&limit=50`, {
          token: house.accessToken,
          tenant: house.tenantId,
          ip: house.ip,
        });
        return (r.body.data as { name: string; props: Record<string, unknown> }[]).map((e) => e.name).sort();
      },
      (n) => n.length >= 7,
    );
    expect(names).toEqual([
      "activated",
      "email_sent",
      "email_verified",
      "member_invited",
      "onboarding_completed",
      "profile_completed",
      "signed_up",
    ]);
    // The customer's own workspace got none of them.
    const own = await as("GET", "/api/v1/analytics/events?limit=50");
    expect(own.body.data).toEqual([]);

    // The dashboard loads Weft's own tracker and surveys only with a house key for its origin.
    expect((await callJson("/public/v1/house")).body).toEqual({ publishable_key: null });
    const pk = await callJson("/api/v1/publishable-keys", {
      token: house.accessToken,
      tenant: house.tenantId,
      ip: house.ip,
      body: { name: "Weft dashboard", allowed_origins: ["http://weft.test"] },
    });
    expect(pk.status).toBe(201);
    expect((await callJson("/public/v1/house")).body).toEqual({ publishable_key: pk.body.key });
  });
});
