import { z } from "@hono/zod-openapi";
import { SIMULATOR_PAYMENT_METHODS } from "../../../schema/billing";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { iso, appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { serializeSubscription } from "./billing.read";
import { subscriptionSchema } from "./schemas";
import { advanceClock, CLOCK_TARGETS, clockState, MAX_ADVANCE_DAYS, type ClockState } from "./simulator-test-clock";
import { getSubscription } from "./subscription.service";

/** The payment simulator's test clock (local only): GET its state, POST to move it forward (simulator-test-clock.ts). */
export const testClockRoutes = createRouter();

const STEP_NAMES = [
  "trial_warned",
  "trial_converted",
  "trial_ended",
  "renewed",
  "renewal_failed",
  "ended",
  "recovered",
  "restricted",
  "monthly_invoice",
] as const;

const clockSchema = z
  .object({
    now: z.string().openapi({ description: "The workspace's simulated time (real time + offset; it keeps running)" }),
    real_now: z.string(),
    offset_ms: z.number().int().openapi({ description: "How far the simulated time runs ahead of real time; only grows" }),
    payment_method: z.enum(SIMULATOR_PAYMENT_METHODS).openapi({ description: "The simulated payment method renewals are charged to" }),
    targets: z
      .object({
        renewal: z.string().nullable(),
        trial_end: z.string().nullable(),
        grace_end: z.string().nullable(),
      })
      .openapi({ description: "Where each `to` would move the clock; null when it does not apply now" }),
  })
  .openapi("SimulatorClock");

const isoAt = (ms: number) => new Date(ms).toISOString();
const serializeClock = (s: ClockState, real = Date.now()) => ({
  now: isoAt(s.now),
  real_now: isoAt(real),
  offset_ms: s.offsetMs,
  payment_method: s.paymentMethod,
  targets: { renewal: iso(s.targets.renewal), trial_end: iso(s.targets.trial_end), grace_end: iso(s.targets.grace_end) },
});

const notHere = { 404: problemDoc("No payment simulator here (production or provider keys set)"), 409: problemDoc("Not on the simulator") };

testClockRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:read" },
    {
      method: "get",
      path: "/billing/simulator/clock",
      tags: ["Billing"],
      summary: "Payment simulator (local only): the workspace's test clock — simulated now and where it can be advanced to",
      responses: { 200: jsonResponse(clockSchema, "Test clock"), ...notHere },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    return c.json(serializeClock(await clockState(c.env, db, currentTenantId(c))), 200);
  },
);

testClockRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:manage" },
    {
      method: "post",
      path: "/billing/simulator/clock/advance",
      tags: ["Billing"],
      summary:
        "Payment simulator (local only): move the workspace's test clock forward and run the renewals, trial end and dunning due until then (this workspace only; audited)",
      request: jsonBody(
        z
          .object({
            to: z.enum(CLOCK_TARGETS).openapi({
              description: "`renewal` (period end), `trial_end`, `grace_end` (just after a past-due grace period), or `days`",
            }),
            days: z.number().int().min(1).max(MAX_ADVANCE_DAYS).optional().openapi({ description: "With `to: days`: how many days" }),
          })
          .refine((b) => b.to !== "days" || b.days !== undefined, { message: "Say how many days to advance.", path: ["days"] })
          .openapi("AdvanceSimulatorClock"),
      ),
      responses: {
        200: jsonResponse(
          z
            .object({
              from: z.string(),
              to: z.string(),
              reached: z.boolean().openapi({ description: "False when the advance stopped early (too many steps); advance again" }),
              steps: z.array(z.object({ at: z.string(), step: z.enum(STEP_NAMES) })),
              clock: clockSchema,
              subscription: subscriptionSchema,
            })
            .openapi("SimulatorClockAdvance"),
          "Advanced; `steps` is what happened, in order",
        ),
        ...notHere,
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const r = await advanceClock(c.env, db, appOrigin(c), tenantId, c.req.valid("json"), actorOf(c));
    return c.json(
      {
        from: isoAt(r.from),
        to: isoAt(r.to),
        reached: r.reached,
        steps: r.steps.map((s) => ({ at: isoAt(s.at), step: s.step })),
        clock: serializeClock(await clockState(c.env, db, tenantId, true)),
        subscription: serializeSubscription(await getSubscription(db, tenantId)),
      },
      200,
    );
  },
);
