import type { BillingInterval, PlanId } from "../../../schema/billing";
import { OVERAGE_PRICES, PLANS, extraSeats, platformFeeCents, recurringCents, seatPriceCents, type MeterName } from "./plans";

/**
 * Money arithmetic, all in integer cents. Proration is linear in time, rounded half up to the
 * cent with integer operations only (amounts × milliseconds stay far below 2^53).
 */
export function prorate(amountCents: number, remainingMs: number, periodMs: number): number {
  if (periodMs <= 0) throw new Error("period must be positive");
  const r = Math.min(Math.max(remainingMs, 0), periodMs);
  const sign = amountCents < 0 ? -1 : 1;
  const a = Math.abs(amountCents);
  return sign * Math.floor((a * r * 2 + periodMs) / (2 * periodMs));
}

export interface PlanState {
  plan: PlanId;
  interval: BillingInterval;
  seats: number;
}

export interface LineDraft {
  kind: "platform_fee" | "seats" | "overage" | "proration" | "credit";
  description: string;
  meter?: MeterName;
  quantity: number;
  unitAmountCents: number;
  unitSize: number;
  amountCents: number;
}

const fmtDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const label = (s: PlanState) =>
  `${PLANS[s.plan].name} (${s.interval === "month" ? "monthly" : "yearly"}, ${s.seats} seat${s.seats === 1 ? "" : "s"})`;

/**
 * Proration for changing plan, interval or seats at `at`: a credit for the unused part of the old
 * period and a charge for the rest of the new one (which, if the interval changed, starts at the
 * current month and ends a month or a year later).
 */
export function planChangeProration(
  from: PlanState,
  to: PlanState,
  at: number,
  oldPeriod: { start: number; end: number },
  newPeriod: { start: number; end: number },
): LineDraft[] {
  const lines: LineDraft[] = [];
  const credit = prorate(recurringCents(from.plan, from.interval, from.seats), oldPeriod.end - at, oldPeriod.end - oldPeriod.start);
  if (credit > 0) {
    lines.push({
      kind: "proration",
      description: `Unused time on ${label(from)} after ${fmtDay(at)}`,
      quantity: 1,
      unitAmountCents: -credit,
      unitSize: 1,
      amountCents: -credit,
    });
  }
  const charge = prorate(recurringCents(to.plan, to.interval, to.seats), newPeriod.end - at, newPeriod.end - newPeriod.start);
  if (charge > 0) {
    lines.push({
      kind: "proration",
      description: `Remaining time on ${label(to)} from ${fmtDay(at)} to ${fmtDay(newPeriod.end)}`,
      quantity: 1,
      unitAmountCents: charge,
      unitSize: 1,
      amountCents: charge,
    });
  }
  return lines;
}

/** Recurring lines for a period: platform fee and extra seats (paid in advance). */
export function recurringLines(s: PlanState): LineDraft[] {
  const lines: LineDraft[] = [];
  const fee = platformFeeCents(s.plan, s.interval);
  if (fee > 0)
    lines.push({
      kind: "platform_fee",
      description: `${PLANS[s.plan].name} plan (${s.interval === "month" ? "monthly" : "yearly"})`,
      quantity: 1,
      unitAmountCents: fee,
      unitSize: 1,
      amountCents: fee,
    });
  const extra = extraSeats(s.plan, s.seats);
  if (extra > 0) {
    const unit = seatPriceCents(s.plan, s.interval);
    lines.push({
      kind: "seats",
      description: `Additional seats (${PLANS[s.plan].includedSeats} included)`,
      quantity: extra,
      unitAmountCents: unit,
      unitSize: 1,
      amountCents: extra * unit,
    });
  }
  return lines;
}

/** Overage for a meter: billed per started block of `unitSize` above the included amount. */
export function overageLine(meter: MeterName, used: number, included: number | null): LineDraft | null {
  const price = OVERAGE_PRICES[meter];
  if (!price || included === null || used <= included) return null;
  const over = used - included;
  const blocks = Math.ceil(over / price.unitSize);
  return {
    kind: "overage",
    meter,
    description: `${meter.replace(/_/g, " ")} over the included ${included.toLocaleString("en-US")} (${over.toLocaleString("en-US")} over, per ${price.unitLabel})`,
    quantity: over,
    unitAmountCents: price.unitAmountCents,
    unitSize: price.unitSize,
    amountCents: blocks * price.unitAmountCents,
  };
}

export const sumCents = (lines: { amountCents: number }[]) => lines.reduce((s, l) => s + l.amountCents, 0);
