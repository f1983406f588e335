/**
 * A small five-field cron parser (minute hour day-of-month month day-of-week) with `*`, lists,
 * ranges and steps, read in an IANA time zone. Schedule triggers are evaluated on the Worker's
 * existing 10-minute cron tick: a run starts for the first due minute at or before the tick.
 */
export interface CronSpec {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function parseField(src: string, f: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const part of src.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${f.name}: "${part}" is not a number, range, list or step`);
    const step = m[4] ? Number(m[4]) : 1;
    const lo = m[1] === "*" ? f.min : Number(m[2]);
    const hi = m[1] === "*" ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] ? f.max : lo;
    if (lo < f.min || hi > f.max || lo > hi || step < 1) throw new Error(`cron ${f.name}: "${part}" is outside ${f.min}–${f.max}`);
    for (let v = lo; v <= hi; v += step) out.add(f.name === "day of week" && v === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error("cron needs five fields: minute hour day-of-month month day-of-week");
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]));
  return { minute, hour, dom, month, dow, domRestricted: parts[2] !== "*", dowRestricted: parts[4] !== "*" };
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localFields(ms: number, tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const dow = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(p.weekday);
  return { month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), dow };
}

const MINUTE = 60_000;

/** The first minute strictly after `afterMs` that matches (null if none within ~13 months). */
export function nextCronTime(spec: CronSpec, afterMs: number, tz = "UTC"): number | null {
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  const limit = afterMs + 400 * 24 * 60 * MINUTE;
  while (t < limit) {
    const l = localFields(t, tz);
    const domOk = spec.dom.has(l.day);
    const dowOk = spec.dow.has(l.dow);
    const dayOk = spec.domRestricted && spec.dowRestricted ? domOk || dowOk : domOk && dowOk;
    if (!spec.month.has(l.month) || !dayOk || !spec.hour.has(l.hour)) {
      t += (60 - l.minute) * MINUTE; // next local hour
      continue;
    }
    if (spec.minute.has(l.minute)) return t;
    t += MINUTE;
  }
  return null;
}
