/**
 * When an outreach email may go out (pure; docs/sales.md). A sending window is wall-clock minutes in
 * the lead's time zone (else the mailbox's) on chosen weekdays; daily limits are counted per calendar
 * day of the mailbox's zone (the workspace cap per UTC day). Offsets come from Intl.DateTimeFormat, so
 * DST changes move the UTC instant, never the local window.
 */

export interface SendingWindow {
  windowStart: number; // minutes after local midnight
  windowEnd: number; // exclusive
  sendDays: number[]; // 0 = Sunday
  timezone: string; // IANA
}

interface LocalParts {
  year: number;
  month: number; // 1–12
  day: number;
  minutes: number; // minutes after midnight (seconds dropped)
  seconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** A usable zone: the first valid one of the candidates, else UTC. */
export function zoneOf(...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) if (c && isValidTimeZone(c)) return c;
  return "UTC";
}

export function localParts(at: number, tz: string): LocalParts {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(at))) if (part.type !== "literal") p[part.type] = Number(part.value);
  return {
    year: p.year ?? 1970,
    month: p.month ?? 1,
    day: p.day ?? 1,
    minutes: (p.hour ?? 0) * 60 + (p.minute ?? 0),
    seconds: p.second ?? 0,
  };
}

/** Local minus UTC, in minutes, at an instant (e.g. -300 for New York in winter, +540 for Tokyo). */
export function offsetMinutes(at: number, tz: string): number {
  const l = localParts(at, tz);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, 0, l.minutes, l.seconds);
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
}

/**
 * The UTC instant of a local wall-clock time. A time that does not exist (skipped by a DST jump) moves
 * forward by the gap (02:30 → 03:30, as Temporal's "compatible"); an ambiguous one (clocks going back)
 * takes its first occurrence.
 */
export function localToUtc(year: number, month: number, day: number, minutes: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const a = wall - offsetMinutes(wall, tz) * 60_000;
  const b = wall - offsetMinutes(a, tz) * 60_000;
  const hits = [a, b].filter((t) => {
    const l = localParts(t, tz);
    return Date.UTC(l.year, l.month - 1, l.day, 0, l.minutes) === wall;
  });
  if (hits.length) return Math.min(...hits);
  // In a gap: the reading with the earlier (pre-jump) offset lands after the jump.
  return Math.max(a, b);
}

/** Calendar arithmetic on a local date (no zone involved). */
function addDays(year: number, month: number, day: number, n: number) {
  const d = new Date(Date.UTC(year, month - 1, day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** "YYYY-MM-DD" of the instant's calendar day in the zone (the key daily limits count by). */
export function dayKey(at: number, tz: string): string {
  const l = localParts(at, tz);
  return `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
}

/** The first instant of the next local calendar day. */
export function startOfNextDay(at: number, tz: string): number {
  const l = localParts(at, tz);
  const n = addDays(l.year, l.month, l.day, 1);
  return localToUtc(n.year, n.month, n.day, 0, tz);
}

/** The first instant of the instant's local calendar day. */
export function startOfDay(at: number, tz: string): number {
  const l = localParts(at, tz);
  return localToUtc(l.year, l.month, l.day, 0, tz);
}

/**
 * The earliest instant ≥ `from` inside the window on a send day. `from` itself when it already is;
 * null when the window can never open (no send days, or an empty window).
 */
export function nextWindowInstant(from: number, w: SendingWindow): number | null {
  if (!w.sendDays.length || w.windowEnd <= w.windowStart) return null;
  const l = localParts(from, w.timezone);
  for (let i = 0; i < 8; i++) {
    const d = addDays(l.year, l.month, l.day, i);
    if (!w.sendDays.includes(d.weekday)) continue;
    const start = localToUtc(d.year, d.month, d.day, w.windowStart, w.timezone);
    const end = localToUtc(d.year, d.month, d.day, w.windowEnd, w.timezone);
    if (from < start) return start;
    if (from < end) return from;
  }
  return null;
}

/** A rule on a candidate instant: null when it may send then, else the instant to try next (later than `at`). */
export type SlotRule = (at: number) => number | null;

/** The mailbox's daily limit: a full mailbox day pushes to the next day of the mailbox's zone. */
export function dailyLimitRule(mailboxTz: string, limit: number, countOn: (dayKey: string) => number): SlotRule {
  return (at) => (countOn(dayKey(at, mailboxTz)) >= limit ? startOfNextDay(at, mailboxTz) : null);
}

/**
 * The workspace's daily send cap (AI safety console; null: none), counted per UTC day across its
 * mailboxes: a full day pushes to the next UTC midnight.
 */
export function workspaceCapRule(cap: number | null, countOn: (utcDayKey: string) => number): SlotRule {
  return (at) => (cap !== null && countOn(dayKey(at, "UTC")) >= cap ? startOfNextDay(at, "UTC") : null);
}

/**
 * The earliest instant ≥ `from` inside the window that every rule accepts; null when none within
 * `maxSteps` moves (a limit of 0, a window that never opens).
 */
export function findSendSlot(from: number, w: SendingWindow, rules: SlotRule[], maxSteps = 200): number | null {
  let t = from;
  for (let i = 0; i < maxSteps; i++) {
    const inWindow = nextWindowInstant(t, w);
    if (inWindow === null) return null;
    t = inWindow;
    let moved = false;
    for (const rule of rules) {
      const next = rule(t);
      if (next !== null) {
        t = Math.max(next, t + 1);
        moved = true;
        break;
      }
    }
    if (!moved) return t;
  }
  return null;
}
