import { DAY_MS } from "./days";

/** The offset of `tz` from UTC at instant `ms`, in ms (local = utc + offset). */
function offsetAt(ms: number, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return local - Math.floor(ms / 1000) * 1000;
}

/** `YYYY-MM-DD` of the instant in the time zone. */
export const localDate = (ms: number, tz: string) => new Date(ms + offsetAt(ms, tz)).toISOString().slice(0, 10);

/** The instant when the wall clock in `tz` shows `date` at `hour`:00 (the later one across a DST gap). */
export function wallTime(date: string, hour: number, tz: string): number {
  const guess = Date.parse(`${date}T${String(hour).padStart(2, "0")}:00:00Z`);
  const first = guess - offsetAt(guess, tz);
  return guess - offsetAt(first, tz);
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface DigestSchedule {
  frequency: "daily" | "weekly";
  weekday: number;
  hour: number;
  timezone: string;
}

/** The first due time of the digest strictly after `now`, and its period key (the local due date). */
export function nextDigest(s: DigestSchedule, now: number): { at: number; key: string } {
  const today = localDate(now, s.timezone);
  for (let i = 0; i < 9; i++) {
    const date = new Date(Date.parse(`${today}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10);
    if (s.frequency === "weekly" && new Date(`${date}T00:00:00Z`).getUTCDay() !== s.weekday) continue;
    const at = wallTime(date, s.hour, s.timezone);
    if (at > now) return { at, key: `${s.frequency}:${date}` };
  }
  throw new Error("no due time in the next 9 days");
}

/** The period key of a digest due at `at`. */
export const periodKeyAt = (s: DigestSchedule, at: number) => `${s.frequency}:${localDate(at, s.timezone)}`;
