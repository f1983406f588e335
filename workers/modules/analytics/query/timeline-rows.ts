/**
 * The timeline rows of a funnel query (funnel-timeline.ts) grouped by person, without a JS string
 * or object per person or per row.
 *
 * D1 hands over each day's rows as two values: the people as a JSON array (json_group_array of
 * person_id) and their events comma-joined in the same order. A row is kept as a range of its day's
 * events string; a person is identified by the text of their JSON string literal — SQLite escapes
 * a given id the same way every time, so equal texts are equal ids — found with a hash table over
 * those ranges (typed arrays, open addressing). Nothing is parsed with JSON.parse and no Map of
 * strings is built: profiled on the bench's 1M events / 137k person-days, JSON.parse of the people,
 * the Map lookups and the per-row array pushes were the largest part of the funnel's time.
 *
 * The rows of one person are linked in the order they were added (pages in day order).
 *
 * The typed arrays are reused by the next funnel of the isolate (`takeRows` / `giveBack`): sized by
 * doubling on first use (with rehashes), then only cleared. Concurrent funnels each take their own.
 */
import { TOKEN_CHARS } from "../timelines";

const QUOTE = 34; // "
const BACKSLASH = 92;
const COMMA = 44;
const OPEN = 91; // [
const CLOSE = 93; // ]

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Kept for reuse only while this small (262,144 rows and people: ~10 MB of arrays). */
const POOL_MAX_ROWS = 1 << 18;
const pool: TimelineRows[] = [];

/** Empty rows, reusing the arrays of an earlier funnel when one is free. */
export function takeRows(): TimelineRows {
  return pool.pop() ?? new TimelineRows();
}

/** Hands the arrays back for the next funnel; drops the strings. */
export function giveBack(rows: TimelineRows): void {
  rows.clear();
  if (!pool.length && rows.capacity() <= POOL_MAX_ROWS) pool.push(rows);
}

export const OK = 0;
export const AMBIGUOUS = 1;
export const BAD = 2;
export type PageResult = typeof OK | typeof AMBIGUOUS | typeof BAD;

export class TimelineRows {
  /** Each added day: its events string and its people's JSON text. */
  events: string[] = [];
  peopleText: string[] = [];
  /** Per row: its page, its tokens events[page][from, to), its day, the person's next row (-1: none). */
  rows = 0;
  rowPage = new Int32Array(1024);
  rowFrom = new Int32Array(1024);
  rowTo = new Int32Array(1024);
  rowDay = new Int32Array(1024);
  rowNext = new Int32Array(1024);
  /** Per person (numbered in order of first appearance): their first row. */
  people = 0;
  head = new Int32Array(1024);
  /** Per person, 4 integers side by side (one cache line): the page, start and length of their id's text, their last row. */
  private key = new Int32Array(4 * 1024);
  /** Hash table of people, open addressing: per slot the hash and the person number + 1 (0: empty). */
  private slots = new Int32Array(2 * 4096);

  capacity(): number {
    return Math.max(this.rowPage.length, this.head.length);
  }

  clear(): void {
    this.events = [];
    this.peopleText = [];
    if (this.people) this.slots.fill(0);
    this.rows = 0;
    this.people = 0;
  }

  /**
   * One day's rows as D1 concatenated them: their events comma-separated and, in the same order,
   * their people — `plain`: the ids comma-separated (group_concat), else a JSON array of strings
   * (json_group_array). Returns OK, or AMBIGUOUS when a plain list holds more ids than there are
   * rows (an id holds a comma: the caller reads every page again as JSON), or BAD when the values
   * are not what they should be (the caller reads raw events).
   */
  addPage(day: number, people: string, events: string, plain: boolean): PageResult {
    const page = this.events.length;
    this.events.push(events);
    this.peopleText.push(people);
    return plain ? this.addPlain(page, day, people, events) : this.addJson(page, day, people, events);
  }

  /** The next row of `events` from `i` for `person`; the position after it, or -1 when there is none or it is not whole tokens. */
  private nextRow(person: number, page: number, events: string, i: number, day: number): number {
    // Tokens never hold a comma (their characters are '0'…'o'): the row ends at the next comma.
    if (i > events.length) return -1; // more people than rows
    let j = events.indexOf(",", i);
    if (j < 0) j = events.length;
    if ((j - i) % TOKEN_CHARS) return -1; // not whole tokens
    this.addRow(person, page, i, j, day);
    return j + 1;
  }

  private addPlain(page: number, day: number, people: string, events: string): PageResult {
    const n = people.length;
    if (!n) return events.length ? BAD : OK; // (no rows: never sent, an id is never empty)
    let k = 0; // position in `people`
    let i = 0; // position in `events`
    for (;;) {
      let e = people.indexOf(",", k);
      if (e < 0) e = n;
      let h = 0x811c9dc5 | 0;
      for (let x = k; x < e; x++) h = Math.imul(h ^ people.charCodeAt(x), 0x01000193);
      if (i > events.length) return AMBIGUOUS; // more ids than rows: an id holds a comma
      i = this.nextRow(this.person(page, k, e, h), page, events, i, day);
      if (i < 0) return BAD;
      if (e === n) return i === events.length + 1 ? OK : BAD; // as many rows as ids
      k = e + 1;
    }
  }

  private addJson(page: number, day: number, people: string, events: string): PageResult {
    const n = people.length;
    if (people.charCodeAt(0) !== OPEN) return BAD;
    let k = 1; // position in `people`
    let i = 0; // position in `events`
    if (people.charCodeAt(k) === CLOSE) return k + 1 === n && events.length === 0 ? OK : BAD;
    for (;;) {
      if (people.charCodeAt(k) !== QUOTE) return BAD;
      const start = ++k;
      let h = 0x811c9dc5 | 0;
      for (;;) {
        if (k >= n) return BAD;
        const c = people.charCodeAt(k);
        if (c === QUOTE) break;
        h = Math.imul(h ^ c, 0x01000193);
        if (c === BACKSLASH) {
          // An escape (\" \\ \n \uXXXX …): the next character is part of it, never the closing quote.
          k++;
          if (k >= n) return BAD;
          h = Math.imul(h ^ people.charCodeAt(k), 0x01000193);
        }
        k++;
      }
      i = this.nextRow(this.person(page, start, k, h), page, events, i, day);
      if (i < 0) return BAD;
      k++; // past the closing quote
      const c = people.charCodeAt(k++);
      if (c === CLOSE) return k === n && i === events.length + 1 ? OK : BAD;
      if (c !== COMMA) return BAD;
    }
  }

  /** The number of the person whose id's text is peopleText[page][from, to) with hash `h`; a new number on first sight. */
  private person(page: number, from: number, to: number, h: number): number {
    if (this.people * 4 >= this.slots.length) this.rehash(this.slots.length * 2);
    const slots = this.slots;
    const key = this.key;
    const mask = (slots.length >> 1) - 1;
    const text = this.peopleText[page] ?? "";
    const len = to - from;
    let s = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const v = slots[2 * s + 1] ?? 0;
      if (v === 0) break;
      if (slots[2 * s] === h) {
        const p = v - 1;
        if (key[4 * p + 2] === len && this.sameText(p, text, from, len)) return p;
      }
      s = (s + 1) & mask;
    }
    const p = this.people++;
    if (p >= this.head.length) {
      this.head = grow(this.head, this.head.length * 2);
      this.key = grow(this.key, this.key.length * 2);
    }
    this.head[p] = -1;
    this.key[4 * p] = page;
    this.key[4 * p + 1] = from;
    this.key[4 * p + 2] = len;
    this.key[4 * p + 3] = -1;
    slots[2 * s] = h;
    slots[2 * s + 1] = p + 1;
    return p;
  }

  private rehash(size: number) {
    const old = this.slots;
    const slots = new Int32Array(size);
    const mask = (size >> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] ?? 0;
      if (!old[i + 1]) continue;
      let s = (h ^ (h >>> 15)) & mask;
      while (slots[2 * s + 1] !== 0) s = (s + 1) & mask;
      slots[2 * s] = h;
      slots[2 * s + 1] = old[i + 1] ?? 0;
    }
    this.slots = slots;
  }

  private sameText(p: number, text: string, from: number, len: number): boolean {
    const other = this.peopleText[this.key[4 * p] ?? 0] ?? "";
    const o = this.key[4 * p + 1] ?? 0;
    for (let x = 0; x < len; x++) if (other.charCodeAt(o + x) !== text.charCodeAt(from + x)) return false;
    return true;
  }

  private addRow(person: number, page: number, from: number, to: number, day: number) {
    const r = this.rows++;
    if (r >= this.rowPage.length) {
      const size = this.rowPage.length * 2;
      this.rowPage = grow(this.rowPage, size);
      this.rowFrom = grow(this.rowFrom, size);
      this.rowTo = grow(this.rowTo, size);
      this.rowDay = grow(this.rowDay, size);
      this.rowNext = grow(this.rowNext, size);
    }
    this.rowPage[r] = page;
    this.rowFrom[r] = from;
    this.rowTo[r] = to;
    this.rowDay[r] = day;
    this.rowNext[r] = -1;
    const last = this.key[4 * person + 3] ?? -1;
    if (last === -1) this.head[person] = r;
    else this.rowNext[last] = r;
    this.key[4 * person + 3] = r;
  }
}
