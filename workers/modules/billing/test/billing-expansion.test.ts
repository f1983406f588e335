import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson, signUp } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { monthlyRecurringCents } from "../expansion";
import { applyBillingEvent } from "../lifecycle.service";
import type { BillingEvent } from "../provider-events";

/**
 * Weft's expansion from billing: every subscription movement becomes an event of Weft's own
 * (house) analytics, and the house workspace's expansion report adds billing's view of every
 * workspace (paid base, usage per meter, accounts near a limit).
 */
describe("expansion from billing (Weft measuring itself)", () => {
  it("trial → paid → upgrade → cancel are recorded once each and add up in the house's expansion report", async () => {
    const house = await signUp({ workspace: "Weft" });
    const customer = await signUp({ workspace: "Growing Co" });
    const db = getDb(env.DB);
    const t0 = Date.now();
    const upsert = (over: Partial<Extract<BillingEvent, { kind: "subscription.upsert" }>>) =>
      applyBillingEvent(env, db, {
        kind: "subscription.upsert",
        tenantId: customer.tenantId,
        provider: "simulator",
        customerId: "cus_exp",
        subscriptionId: "sub_exp",
        plan: "starter",
        interval: "month",
        seats: 3,
        status: "active",
        trialEndsAt: null,
        periodStart: null,
        periodEnd: null,
        cancelAtPeriodEnd: false,
        at: t0,
        ...over,
      });
    expect(await upsert({ status: "trialing", trialEndsAt: t0 + 14 * 86_400_000, at: t0 })).toBe("applied");
    expect(await upsert({ status: "active", at: t0 + 1 })).toBe("applied"); // the trial converts
    const upgrade = { plan: "professional" as const, seats: 5, at: t0 + 2 };
    expect(await upsert(upgrade)).toBe("applied");
    expect(await upsert(upgrade)).toBe("applied"); // a replayed webhook: nothing changed, no second movement
    expect(
      await applyBillingEvent(env, db, {
        kind: "subscription.deleted",
        tenantId: customer.tenantId,
        subscriptionId: "sub_exp",
        at: t0 + 3,
      }),
    ).toBe("applied");
    // Emails at 90 of Free's 100 this month: an upsell candidate.
    await env.DB.prepare(
      "INSERT INTO usage_counters (tenant_id, meter, period, quantity, reported, updated_at) VALUES (?1, 'emails', ?2, 90, 0, ?3)",
    )
      .bind(customer.tenantId, new Date().toISOString().slice(0, 7), Date.now())
      .run();

    const from = new Date(t0 - 86_400_000).toISOString();
    const to = new Date(t0 + 86_400_000).toISOString();
    const report = async () =>
      (
        await callJson(`/api/v1/analytics/growth/expansion?from=${from}&to=${to}`, {
          token: house.accessToken,
          tenant: house.tenantId,
          ip: house.ip,
        })
      ).body;
    // Product events travel through the analytics Queue: wait until all four movements arrived.
    let r = await report();
    for (let i = 0; i < 200 && r.movements.cancellations + r.movements.upgrades + r.movements.new + r.trial_to_paid.trials < 4; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      r = await report();
    }
    expect(r.source).toBe("events+billing");
    expect(r.trial_to_paid).toMatchObject({ trials: 1, converted: 1, rate: 1 });
    expect(r.movements).toMatchObject({ new: 1, upgrades: 1, downgrades: 0, cancellations: 1 });
    const starter = monthlyRecurringCents("starter", "month", 3);
    const pro = monthlyRecurringCents("professional", "month", 5);
    expect(r.mrr).toEqual({
      tracked: true,
      new_cents: starter,
      expansion_cents: pro - starter,
      contraction_cents: 0,
      churned_cents: pro,
      net_new_cents: 0, // it came, grew and left
    });
    expect(r.seats).toEqual({ added: 3 + 2, removed: 5, net: 0 });
    expect(r.upsell_candidates).toEqual([
      expect.objectContaining({
        account_id: customer.tenantId,
        name: "Growing Co",
        plan: "free",
        meter: "emails",
        used: 90,
        limit: 100,
        percent: 90,
      }),
    ]);
    expect(r.billing).toMatchObject({ paying_workspaces: 0, trialing_workspaces: 0 });

    // A workspace that is not Weft's own sees its own events only, and no billing section.
    const own = await callJson(`/api/v1/analytics/growth/expansion?from=${from}&to=${to}`, {
      token: customer.accessToken,
      tenant: customer.tenantId,
      ip: customer.ip,
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ source: "events", billing: null, upsell_candidates: [], movements: { new: 0 } });
  });
});
