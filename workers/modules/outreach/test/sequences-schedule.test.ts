import { describe, expect, it } from "vitest";
import {
  dailyLimitRule,
  dayKey,
  findSendSlot,
  localToUtc,
  nextWindowInstant,
  offsetMinutes,
  startOfNextDay,
  workspaceCapRule,
  zoneOf,
  type SendingWindow,
} from "../schedule";
import { classifyReply, matchDraftId } from "../inbound";
import { conditionHolds } from "../engine";

// schedule.ts is pure: these pin the sending window, time zones (DST included) and daily limits.
const utc = (s: string) => Date.parse(s);
const WEEKDAYS = [1, 2, 3, 4, 5];
const win = (timezone: string, start = 9 * 60, end = 17 * 60, sendDays = WEEKDAYS): SendingWindow => ({
  windowStart: start,
  windowEnd: end,
  sendDays,
  timezone,
});

describe("time zone arithmetic", () => {
  it("reads offsets from Intl (Tokyo +9 always; New York -5 in winter, -4 in summer)", () => {
    expect(offsetMinutes(utc("2026-01-15T12:00:00Z"), "Asia/Tokyo")).toBe(540);
    expect(offsetMinutes(utc("2026-01-15T12:00:00Z"), "America/New_York")).toBe(-300);
    expect(offsetMinutes(utc("2026-07-15T12:00:00Z"), "America/New_York")).toBe(-240);
    expect(offsetMinutes(utc("2026-07-15T12:00:00Z"), "Asia/Kolkata")).toBe(330);
  });

  it("maps local wall-clock times to UTC across the New York DST changes", () => {
    // 2026-03-08: 02:00 → 03:00 (EST → EDT). 09:00 before and after.
    expect(new Date(localToUtc(2026, 3, 6, 9 * 60, "America/New_York")).toISOString()).toBe("2026-03-06T14:00:00.000Z");
    expect(new Date(localToUtc(2026, 3, 9, 9 * 60, "America/New_York")).toISOString()).toBe("2026-03-09T13:00:00.000Z");
    // 02:30 on the jump day does not exist: moved forward by the gap, 03:30 EDT = 07:30Z (Temporal's "compatible").
    expect(new Date(localToUtc(2026, 3, 8, 2 * 60 + 30, "America/New_York")).toISOString()).toBe("2026-03-08T07:30:00.000Z");
    // 2026-11-01: 01:30 happens twice; the first (EDT, 05:30Z) is taken.
    expect(new Date(localToUtc(2026, 11, 1, 90, "America/New_York")).toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  it("falls back to a valid zone", () => {
    expect(zoneOf("Not/AZone", "Europe/Berlin")).toBe("Europe/Berlin");
    expect(zoneOf(null, undefined, "")).toBe("UTC");
    expect(zoneOf("Asia/Tokyo", "Europe/Berlin")).toBe("Asia/Tokyo");
  });

  it("counts days in the zone (a Tokyo morning is still yesterday in UTC)", () => {
    const t = utc("2026-01-14T23:30:00Z"); // 08:30 on the 15th in Tokyo
    expect(dayKey(t, "Asia/Tokyo")).toBe("2026-01-15");
    expect(dayKey(t, "UTC")).toBe("2026-01-14");
    expect(new Date(startOfNextDay(t, "Asia/Tokyo")).toISOString()).toBe("2026-01-15T15:00:00.000Z");
  });
});

describe("sending window", () => {
  it("a lead in Asia/Tokyo with a 9–17 window: a UTC-afternoon enrolment waits for 09:00 Tokyo", () => {
    // Wed 2026-01-14 10:00Z = 19:00 Tokyo (after the window) → Thu 09:00 Tokyo = Thu 00:00Z.
    expect(new Date(nextWindowInstant(utc("2026-01-14T10:00:00Z"), win("Asia/Tokyo")) ?? 0).toISOString()).toBe("2026-01-15T00:00:00.000Z");
    // Inside the window: unchanged.
    const inside = utc("2026-01-14T02:00:00Z"); // 11:00 Tokyo
    expect(nextWindowInstant(inside, win("Asia/Tokyo"))).toBe(inside);
  });

  it("skips days that are not send days (Friday evening → Monday morning)", () => {
    // Fri 2026-01-16 18:00 Tokyo = 09:00Z → Mon 19th 09:00 Tokyo = 00:00Z.
    expect(new Date(nextWindowInstant(utc("2026-01-16T09:00:00Z"), win("Asia/Tokyo")) ?? 0).toISOString()).toBe("2026-01-19T00:00:00.000Z");
    // Weekend-only window.
    expect(new Date(nextWindowInstant(utc("2026-01-14T12:00:00Z"), win("UTC", 600, 660, [0, 6])) ?? 0).toISOString()).toBe(
      "2026-01-17T10:00:00.000Z",
    );
  });

  it("keeps the local window across the DST change in America/New_York", () => {
    // Fri 2026-03-06 18:00 EST (23:00Z) → Mon 2026-03-09 09:00 EDT = 13:00Z (not 14:00Z).
    expect(new Date(nextWindowInstant(utc("2026-03-06T23:00:00Z"), win("America/New_York")) ?? 0).toISOString()).toBe(
      "2026-03-09T13:00:00.000Z",
    );
    // And back in November: Fri 2026-10-30 20:00 EDT → Mon 2026-11-02 09:00 EST = 14:00Z.
    expect(new Date(nextWindowInstant(utc("2026-10-31T00:00:00Z"), win("America/New_York")) ?? 0).toISOString()).toBe(
      "2026-11-02T14:00:00.000Z",
    );
  });

  it("never opens without send days or with an empty window", () => {
    expect(nextWindowInstant(utc("2026-01-14T10:00:00Z"), win("UTC", 540, 1020, []))).toBeNull();
    expect(nextWindowInstant(utc("2026-01-14T10:00:00Z"), win("UTC", 600, 600))).toBeNull();
  });
});

describe("daily limits", () => {
  it("a full mailbox day spills to the next send day, counted in the mailbox's zone", () => {
    // Mailbox in Europe/Berlin with 2 a day; lead in New York (9–17 EST = 14:00–22:00Z).
    const counts = new Map<string, number>([["2026-01-14", 2]]);
    const rule = dailyLimitRule("Europe/Berlin", 2, (k) => counts.get(k) ?? 0);
    const from = utc("2026-01-14T15:00:00Z"); // 10:00 NY, Wed; Berlin day 14th is full
    const slot = findSendSlot(from, win("America/New_York"), [rule]);
    // Next Berlin day starts 2026-01-14T23:00Z = 18:00 NY (outside the window) → Thu 09:00 NY = 14:00Z.
    expect(new Date(slot ?? 0).toISOString()).toBe("2026-01-15T14:00:00.000Z");
  });

  it("a New York evening can already count on the next Berlin day", () => {
    const counts = new Map<string, number>([["2026-01-14", 2]]);
    const rule = dailyLimitRule("Europe/Berlin", 2, (k) => counts.get(k) ?? 0);
    // 16:30 NY on Wed = 22:30Z = 23:30 Berlin (still the 14th, full) → Berlin 15th starts 23:00Z = 18:00 NY → Thu 09:00 NY.
    expect(new Date(findSendSlot(utc("2026-01-14T21:30:00Z"), win("America/New_York"), [rule]) ?? 0).toISOString()).toBe(
      "2026-01-15T14:00:00.000Z",
    );
    // But at 17:45 Berlin (16:45Z = 11:45 NY) it is the full 14th too; with room on the 14th it sends at once.
    const free = dailyLimitRule("Europe/Berlin", 3, (k) => counts.get(k) ?? 0);
    expect(findSendSlot(utc("2026-01-14T16:45:00Z"), win("America/New_York"), [free])).toBe(utc("2026-01-14T16:45:00Z"));
  });

  it("spills several days when they are all full, and gives up on a zero limit", () => {
    const full = new Map<string, number>([
      ["2026-01-14", 5],
      ["2026-01-15", 5],
    ]);
    const rule = dailyLimitRule("UTC", 5, (k) => full.get(k) ?? 0);
    expect(new Date(findSendSlot(utc("2026-01-14T10:00:00Z"), win("UTC"), [rule]) ?? 0).toISOString()).toBe("2026-01-16T09:00:00.000Z");
    expect(findSendSlot(utc("2026-01-14T10:00:00Z"), win("UTC"), [dailyLimitRule("UTC", 0, () => 0)])).toBeNull();
  });

  it("the workspace cap (UTC days) applies on top of the mailbox limit", () => {
    const ws = new Map<string, number>([["2026-01-14", 10]]);
    const cap = workspaceCapRule(10, (k) => ws.get(k) ?? 0);
    expect(new Date(findSendSlot(utc("2026-01-14T10:00:00Z"), win("UTC"), [cap]) ?? 0).toISOString()).toBe("2026-01-15T09:00:00.000Z");
    expect(findSendSlot(utc("2026-01-14T10:00:00Z"), win("UTC"), [workspaceCapRule(null, () => 99)])).toBe(utc("2026-01-14T10:00:00Z"));
  });
});

describe("step conditions and reply rules", () => {
  const enrolled = 1_000;
  it("conditions read replies since enrolment and tracked opens", () => {
    const quiet = { opens: 0, lastRepliedAt: null };
    const opened = { opens: 2, lastRepliedAt: null };
    const replied = { opens: 1, lastRepliedAt: 2_000 };
    const oldReply = { opens: 0, lastRepliedAt: 500 };
    expect(conditionHolds({ condition: "always" }, replied, enrolled)).toBe(true);
    expect(conditionHolds({ condition: "no_reply" }, quiet, enrolled)).toBe(true);
    expect(conditionHolds({ condition: "no_reply" }, replied, enrolled)).toBe(false);
    expect(conditionHolds({ condition: "no_reply" }, oldReply, enrolled)).toBe(true);
    expect(conditionHolds({ condition: "no_open" }, quiet, enrolled)).toBe(true);
    expect(conditionHolds({ condition: "no_open" }, opened, enrolled)).toBe(false);
    expect(conditionHolds({ condition: "opened_no_reply" }, opened, enrolled)).toBe(true);
    expect(conditionHolds({ condition: "opened_no_reply" }, replied, enrolled)).toBe(false);
    expect(conditionHolds({ condition: "opened_no_reply" }, quiet, enrolled)).toBe(false);
  });

  it("classifies replies: auto-replies first, negatives over positives", () => {
    expect(classifyReply("Out of Office: back Monday", "I am out of the office until Monday.")).toBe("auto_reply");
    expect(classifyReply("Automatic reply: hello", "Thanks")).toBe("auto_reply");
    expect(classifyReply("Re: hi", "Not interested, thanks.")).toBe("negative");
    expect(classifyReply("Re: hi", "Please remove me from your list")).toBe("negative");
    expect(classifyReply("Re: hi", "unsubscribe")).toBe("negative");
    expect(classifyReply("Re: hi", "Interested! Let's talk next week.")).toBe("positive");
    expect(classifyReply("Re: hi", "Can I book a demo?")).toBe("positive");
    expect(classifyReply("Re: hi", "Who are you?")).toBe("neutral");
  });

  it("matches a reply to its draft by reply address, In-Reply-To or References", () => {
    const id = "drf_01jd0000000000000000000000";
    expect(matchDraftId({ to: `reply+${id}@reply.weft.test`, inReplyTo: null, references: null })).toBe(id);
    expect(matchDraftId({ to: "sales@acme.test", inReplyTo: `<${id}@reply.weft.test>`, references: null })).toBe(id);
    expect(
      matchDraftId({ to: "sales@acme.test", inReplyTo: "<other@x>", references: `<drf_01jc0000000000000000000000@r> <${id}@r>` }),
    ).toBe(id);
    expect(matchDraftId({ to: "sales@acme.test", inReplyTo: "<abc@mail.gmail.com>", references: null })).toBeNull();
  });
});
