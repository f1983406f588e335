/**
 * Due dates in what people say ("by Friday", "tomorrow", "end of the month", "in two weeks",
 * "on March 3rd", "2026-12-18"), resolved against the day of the call. Pure; UTC days, due at
 * 17:00 UTC (the end of a working day for most of the world that buys from a US/EU team).
 */

const DAY = 86_400_000;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const NUMBERS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

export interface DueDate {
  text: string; // the words it came from
  dueAt: number; // epoch ms
}

const startOfDay = (t: number) => Math.floor(t / DAY) * DAY;
const at5pm = (day: number) => day + 17 * 3_600_000;

/** The next given weekday strictly after the call's day. */
function nextWeekday(from: number, weekday: number): number {
  const d = new Date(from).getUTCDay();
  const ahead = (weekday - d + 7) % 7 || 7;
  return startOfDay(from) + ahead * DAY;
}

function monthDay(from: number, month: number, day: number): number | null {
  const y = new Date(from).getUTCFullYear();
  if (day < 1 || day > 31) return null;
  let t = Date.UTC(y, month, day);
  if (new Date(t).getUTCDate() !== day) return null;
  if (t < startOfDay(from)) t = Date.UTC(y + 1, month, day); // "March 3" said in December: next year's
  return t;
}

const MONTH_RE = MONTHS.map((m) => `${m}|${m.slice(0, 3)}`).join("|");
const PATTERNS: { re: RegExp; resolve: (m: RegExpMatchArray, from: number) => number | null }[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/, resolve: (m, _from) => Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) },
  { re: /\b(?:end of (?:the )?day|eod|today|tonight)\b/i, resolve: (_m, from) => startOfDay(from) },
  { re: /\btomorrow\b/i, resolve: (_m, from) => startOfDay(from) + DAY },
  {
    re: /\b(?:end of (?:the |this )?week|eow|this week)\b/i,
    resolve: (_m, from) => {
      const d = new Date(from).getUTCDay();
      return startOfDay(from) + (d <= 5 ? 5 - d : 6) * DAY;
    },
  },
  { re: /\bnext week\b/i, resolve: (_m, from) => nextWeekday(from, 1) },
  {
    re: /\bend of (?:the |this )?month\b/i,
    resolve: (_m, from) => {
      const d = new Date(from);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0);
    },
  },
  {
    re: /\bin (\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten) (day|week|month)s?\b/i,
    resolve: (m, from) => {
      const n = Number(m[1]) || NUMBERS[(m[1] ?? "").toLowerCase()] || 1;
      const unit = (m[2] ?? "").toLowerCase();
      if (unit === "month") {
        const d = new Date(from);
        return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate());
      }
      return startOfDay(from) + n * (unit === "week" ? 7 : 1) * DAY;
    },
  },
  {
    re: new RegExp(`\\b(${MONTH_RE})\\.? (\\d{1,2})(?:st|nd|rd|th)?\\b`, "i"),
    resolve: (m, from) => monthDay(from, monthIndex(m[1]), Number(m[2])),
  },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH_RE})\\b`, "i"),
    resolve: (m, from) => monthDay(from, monthIndex(m[2]), Number(m[1])),
  },
  {
    re: /\b(?:by|on|before|until) the (\d{1,2})(?:st|nd|rd|th)\b/i,
    resolve: (m, from) => {
      const d = new Date(from);
      const day = Number(m[1]);
      let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day);
      if (t < startOfDay(from)) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, day);
      return new Date(t).getUTCDate() === day ? t : null;
    },
  },
  {
    re: /\b(?:(?:by|on|before|until|next|this|come) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i,
    resolve: (m, from) => nextWeekday(from, WEEKDAYS.indexOf((m[1] ?? "").toLowerCase())),
  },
];

function monthIndex(s: string | undefined): number {
  const k = (s ?? "").toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(k));
}

/** The first due date in a sentence, relative to the call's time; null when none is said. */
export function findDueDate(sentence: string, callAt: number): DueDate | null {
  let best: { index: number; text: string; day: number } | null = null;
  for (const p of PATTERNS) {
    const m = sentence.match(p.re);
    if (!m || m.index === undefined) continue;
    const day = p.resolve(m, callAt);
    if (day === null || !Number.isFinite(day)) continue;
    // The earliest mention wins; among equal starts, the longer phrase ("by Friday" over "Friday").
    if (!best || m.index < best.index) best = { index: m.index, text: m[0], day };
  }
  return best ? { text: best.text.trim(), dueAt: at5pm(best.day) } : null;
}

/** The sentence without its due-date words ("send the deck by Friday" → "send the deck"). */
export function withoutDueDate(sentence: string, due: DueDate | null): string {
  if (!due) return sentence;
  const esc = due.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return sentence
    .replace(new RegExp(`\\s*(?:\\b(?:by|on|before|until|no later than)\\s+)?(?:the\\s+)?${esc}`, "i"), "")
    .replace(/\s{2,}/g, " ")
    .trim();
}
