import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { billingSubscriptions, pendingInvoiceItems } from "../../../../schema/billing";
import { invitations, memberships, type Role } from "../../../../schema/tenancy";
import worker from "../../../index";
import { DAILY_BILLING_CRON, runBillingCron } from "../cron";
import { signStripePayload } from "../stripe/signature";
import { getDb } from "../../../platform/db";
import { FakeStripe, installFakes, STRIPE_KEY } from "./billing-fakes";
import { subscribeViaSimulator } from "./billing-helpers";
import { BASE, callJson, signUp, tokenFromMail, uniqueEmail, waitForMail, type TestUser } from "../../../../test/helpers";
import { seatUsageSchema } from "../schemas";

const db = () => getDb(env.DB);
const as = (u: TestUser, method: string, path: string, body?: unknown, tenant = u.tenantId) =>
  callJson(path, { method, token: u.accessToken, tenant, body, ip: u.ip });
const invite = (owner: TestUser, email = uniqueEmail("seat"), role: Role = "member") =>
  as(owner, "POST", "/api/v1/invitations", { email, role });
/** Fixture shortcut (as in the tenancy tests): a member added without an invitation, e.g. from before a downgrade. */
async function addMember(owner: TestUser, role: Role = "member") {
  const u = await signUp({ workspace: `${role}'s own` });
  await db().insert(memberships).values({ tenantId: owner.tenantId, userId: u.userId, role, createdAt: Date.now(), updatedAt: Date.now() });
  return u;
}
async function inviteAndUser(owner: TestUser) {
  const email = uniqueEmail("joiner");
  const inv = await invite(owner, email);
  expect(inv.status, JSON.stringify(inv.body)).toBe(201);
  const token = tokenFromMail(await waitForMail(email, "invit"));
  return { email, token, id: inv.body.id as string };
}
const accept = (u: TestUser, token: string) => callJson("/api/v1/invitations/accept", { token: u.accessToken, body: { token }, ip: u.ip });
const memberCount = async (tenantId: string) => (await db().select().from(memberships).where(eq(memberships.tenantId, tenantId))).length;
const billing = async (u: TestUser) => (await as(u, "GET", "/api/v1/billing")).body;

describe("seats: Free", () => {
  it("Free has 3 seats: members + pending invitations fill them, then inviting is 402 with limit, use and upgrade link", async () => {
    const owner = await signUp();
    expect((await invite(owner)).status).toBe(201);
    expect((await invite(owner)).status).toBe(201);
    const full = await invite(owner);
    expect(full.status).toBe(402);
    expect(full.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(full.body).toMatchObject({
      type: expect.stringContaining("quota-exceeded"),
      status: 402,
      meter: "seats",
      plan: "free",
      limit: 3,
      current_usage: 3,
      requested: 1,
      members: 1,
      pending_invitations: 2,
    });
    expect(full.body.upgrade_url).toBe(`${BASE}/settings/billing`);
    expect(full.body.detail).toContain("Free plan allows 3 seats");
    // Revoking a pending invitation frees its seat.
    const pending = (await as(owner, "GET", "/api/v1/invitations?status=pending")).body.data;
    expect((await as(owner, "DELETE", `/api/v1/invitations/${pending[0].id}`)).status).toBe(204);
    expect((await invite(owner)).status).toBe(201);
    const summary = await billing(owner);
    expect(summary.usage.find((m: any) => m.meter === "seats")).toMatchObject({ used: 1, limit: 3 });
  });

  it("an expired invitation frees its seat; resending it claims one again, within the seats", async () => {
    const owner = await signUp();
    const first = await invite(owner);
    expect((await invite(owner)).status).toBe(201);
    await db()
      .update(invitations)
      .set({ expiresAt: Date.now() - 1000 })
      .where(eq(invitations.id, first.body.id));
    const third = await invite(owner); // the expired one no longer takes a seat
    expect(third.status).toBe(201);
    const resend = await as(owner, "POST", `/api/v1/invitations/${first.body.id}/resend`);
    expect(resend.status).toBe(402);
    expect(resend.body).toMatchObject({ meter: "seats", limit: 3, current_usage: 3 });
    expect((await as(owner, "DELETE", `/api/v1/invitations/${third.body.id}`)).status).toBe(204);
    expect((await as(owner, "POST", `/api/v1/invitations/${first.body.id}/resend`)).status).toBe(200);
  });

  it("concurrent invitations at the limit never overshoot", async () => {
    const owner = await signUp();
    const results = await Promise.all(Array.from({ length: 6 }, () => invite(owner)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 402, 402, 402, 402]);
    const pending = await db()
      .select()
      .from(invitations)
      .where(and(eq(invitations.tenantId, owner.tenantId), isNull(invitations.acceptedAt)));
    expect(pending).toHaveLength(2);
  });

  it("accepting when the members already fill the seats is 402; the invitation stays usable and works after an upgrade", async () => {
    const owner = await signUp();
    const { email, token, id } = await inviteAndUser(owner);
    await addMember(owner);
    await addMember(owner); // 3 members: the seats are full (e.g. members added before a downgrade)
    const invitee = await signUp({ email });
    const refused = await accept(invitee, token);
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      meter: "seats",
      plan: "free",
      limit: 3,
      current_usage: 3,
      members: 3,
      upgrade_url: `${BASE}/settings/billing`,
    });
    expect(refused.body.detail).toContain("stays valid");
    expect((await as(owner, "GET", `/api/v1/invitations?status=pending`)).body.data.map((i: any) => i.id)).toEqual([id]);
    expect(await memberCount(owner.tenantId)).toBe(3);

    // Signing up straight from the invite link is refused the same way, and leaves no account behind.
    const second = await inviteAndUser(owner).catch((e) => e);
    expect(second).toBeInstanceOf(Error); // 3 members + 1 pending: no seat left to invite into
    await subscribeViaSimulator(owner, { plan: "starter", seats: 4 });
    expect((await billing(owner)).subscription).toMatchObject({ plan: "starter", seats: 4 });
    const ok = await accept(invitee, token);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.role).toBe("member");
    expect(await memberCount(owner.tenantId)).toBe(4);
    expect((await billing(owner)).subscription.seats).toBe(4); // 4 paid seats cover 4 members: nothing to add
  });

  it("signing up from an invite link when the seats are full is 402 and creates no account", async () => {
    const owner = await signUp();
    const { email, token } = await inviteAndUser(owner);
    await addMember(owner);
    await addMember(owner);
    const r = await callJson("/api/v1/auth/signup", {
      body: { email, password: "correct horse battery staple", name: "Late", invite_token: token },
      ip: "10.200.0.1",
    });
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ meter: "seats", limit: 3, current_usage: 3 });
    expect(
      (await callJson("/api/v1/auth/login", { body: { email, password: "correct horse battery staple" }, ip: "10.200.0.2" })).status,
    ).toBe(401);
    expect(await memberCount(owner.tenantId)).toBe(3);
  });

  it("concurrent accepts into the last free seat: exactly one joins", async () => {
    const owner = await signUp();
    const a = await inviteAndUser(owner);
    const b = await inviteAndUser(owner);
    await addMember(owner); // 2 members, 2 pending, 1 seat left
    const [ua, ub] = await Promise.all([signUp({ email: a.email }), signUp({ email: b.email })]);
    const results = await Promise.all([accept(ua, a.token), accept(ub, b.token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 402]);
    expect(await memberCount(owner.tenantId)).toBe(3);
  });
});

describe("seats: paid plans", () => {
  it("simulator: a member beyond the paid seats (up to the plan's max) raises the subscription's seat quantity, prorated", async () => {
    const owner = await signUp();
    await subscribeViaSimulator(owner, { plan: "starter", seats: 3 });
    await addMember(owner);
    await addMember(owner); // 3 members = 3 paid (included) seats
    const pendingBefore = (await billing(owner)).pending_items_cents;
    const { email, token } = await inviteAndUser(owner); // allowed: Starter goes up to 10 seats
    const joined = await signUp({ email, inviteToken: token }); // signup-via-invite path
    expect(joined.tenantId).toBe(owner.tenantId);
    const after = await billing(owner);
    expect(after.subscription).toMatchObject({ plan: "starter", seats: 4, provider: "simulator" });
    expect(after.usage.find((m: any) => m.meter === "seats")).toMatchObject({ used: 4, limit: 4 });
    expect(after.recurring_cents).toBe(4_900 + 1_000); // one extra seat at $10
    expect(after.pending_items_cents).toBeGreaterThan(pendingBefore); // proration for the rest of the period
    const items = await db().select().from(pendingInvoiceItems).where(eq(pendingInvoiceItems.tenantId, owner.tenantId));
    expect(items.some((i) => i.amountCents > 0 && i.description.includes("4 seats"))).toBe(true);
    const seatView = (await as(owner, "GET", "/api/v1/billing/usage/seats")).body;
    expect(seatView).toMatchObject({ seats_purchased: 4, seats_used: 4 });
    expect(seatUsageSchema.safeParse(seatView).error).toBeUndefined();
    // Paged by member; the counts still cover the whole workspace.
    const first = (await as(owner, "GET", "/api/v1/billing/usage/seats?limit=3")).body;
    expect(first).toMatchObject({ seats_used: 4 });
    expect(first.data).toHaveLength(3);
    const second = (await as(owner, "GET", `/api/v1/billing/usage/seats?limit=3&cursor=${first.next_cursor}`)).body;
    expect(second.data).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((m: { user_id: string }) => m.user_id)).size).toBe(4);
    // Removing a member does not lower the paid seats by itself (that is an explicit plan change).
    expect((await as(owner, "DELETE", `/api/v1/members/${joined.userId}`)).status).toBe(204);
    expect((await billing(owner)).subscription.seats).toBe(4);
  });

  it("the daily cron raises paid seats that a failed provider call left behind", async () => {
    const owner = await signUp();
    await subscribeViaSimulator(owner, { plan: "starter", seats: 3 });
    for (let i = 0; i < 3; i++) await addMember(owner); // 4 members on 3 paid seats (as if the seat update had failed)
    expect((await billing(owner)).subscription.seats).toBe(3);
    await runBillingCron(DAILY_BILLING_CRON, env);
    expect((await billing(owner)).subscription.seats).toBe(4);
    await runBillingCron(DAILY_BILLING_CRON, env);
    expect((await billing(owner)).subscription.seats).toBe(4);
  });

  it("a paid plan's max seats is the cap: Starter allows 10 members + pending invitations", async () => {
    const owner = await signUp();
    await subscribeViaSimulator(owner, { plan: "starter", seats: 10 });
    const results = await Promise.all(Array.from({ length: 11 }, () => invite(owner)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(9);
    const refused = results.find((r) => r.status === 402)!;
    expect(refused.body).toMatchObject({ meter: "seats", plan: "starter", limit: 10, current_usage: 10 });
  });

  it("PayPal: seats cannot be added without the buyer's approval, so the paid seats are the cap", async () => {
    const owner = await signUp();
    const now = Date.now();
    // Fixture: a PayPal subscription as its webhook would have stored it (the PayPal webhook path has its own tests).
    await db()
      .insert(billingSubscriptions)
      .values({
        tenantId: owner.tenantId,
        plan: "starter",
        interval: "month",
        status: "active",
        seats: 4,
        provider: "paypal",
        providerSubscriptionId: `I-SEATS${now}`,
        periodStart: now,
        periodEnd: now + 30 * 86_400_000,
        stateAt: now,
        createdAt: now,
        updatedAt: now,
      });
    for (let i = 0; i < 3; i++) expect((await invite(owner)).status).toBe(201);
    const full = await invite(owner);
    expect(full.status).toBe(402);
    expect(full.body).toMatchObject({ meter: "seats", plan: "starter", limit: 4, current_usage: 4 });
    expect(full.body.detail).toContain("4 paid seats");
    expect(full.body.detail).toContain("approve");
  });

  it("Stripe: the seat increase is a quantity update with create_prorations on the existing subscription", async () => {
    const stripe = new FakeStripe();
    const restore = installFakes({ stripe });
    try {
      const secret = "whsec_seats_0123456789abcdef";
      const stripeEnv = { ...env, STRIPE_SECRET_KEY: STRIPE_KEY, STRIPE_WEBHOOK_SECRETS: secret } as typeof env;
      const owner = await signUp();
      const subId = `sub_seats_${owner.tenantId}`;
      const sec = (ms: number) => Math.floor(ms / 1000);
      const sub = {
        id: subId,
        object: "subscription",
        customer: `cus_${owner.tenantId}`,
        status: "active",
        metadata: { tenant_id: owner.tenantId },
        cancel_at_period_end: false,
        items: {
          object: "list",
          data: [
            {
              id: "si_base",
              quantity: 1,
              price: { id: "price_weft_starter_month", lookup_key: "weft_starter_month" },
              current_period_start: sec(Date.now() - 86_400_000),
              current_period_end: sec(Date.now() + 20 * 86_400_000),
            },
          ],
        },
      };
      stripe.subscriptions.set(subId, sub);
      const body = JSON.stringify({
        id: `evt_seats_${owner.tenantId}`,
        object: "event",
        type: "customer.subscription.created",
        created: sec(Date.now()),
        data: { object: sub },
      });
      const hook = await worker.fetch(
        new Request(`${BASE}/webhooks/stripe`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Stripe-Signature": await signStripePayload(body, secret) },
          body,
        }),
        stripeEnv,
        createExecutionContext(),
      );
      expect(hook.status, await hook.clone().text()).toBe(200);
      expect(await db().select().from(billingSubscriptions).where(eq(billingSubscriptions.tenantId, owner.tenantId)).get()).toMatchObject({
        plan: "starter",
        seats: 3,
        provider: "stripe",
      });

      await addMember(owner);
      await addMember(owner);
      const { email, token } = await inviteAndUser(owner);
      const invitee = await signUp({ email });
      const res = await worker.fetch(
        new Request(`${BASE}/api/v1/invitations/accept`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${invitee.accessToken}`, "CF-Connecting-IP": invitee.ip },
          body: JSON.stringify({ token }),
        }),
        stripeEnv,
        createExecutionContext(),
      );
      expect(res.status, await res.clone().text()).toBe(200);
      const update = stripe.subscriptions.get(subId).last_update;
      expect(update.proration_behavior).toBe("create_prorations");
      expect(update.items).toEqual({
        "0": { id: "si_base", price: "price_weft_starter_month", quantity: "1" },
        "1": { price: "price_weft_starter_seat_month", quantity: "1" },
      });
      expect(update.metadata).toMatchObject({ tenant_id: owner.tenantId, plan: "starter", seats: "4" });
      const post = stripe.requests.find((r) => r.method === "POST" && r.url.pathname === `/v1/subscriptions/${subId}`)!;
      expect(post.headers.get("Idempotency-Key")).toBeTruthy();
    } finally {
      restore();
    }
  });
});
