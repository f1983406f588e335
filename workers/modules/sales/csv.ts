/**
 * A small RFC 4180 CSV reader and writer (no dependency: papaparse is ~45 kB minified and we need
 * a fraction of it). Reads quoted fields with embedded delimiters, quotes ("") and line breaks,
 * CRLF/LF/CR line ends, a UTF-8 BOM, and detects `,` / `;` / tab from the header line.
 */

export type Delimiter = "," | ";" | "\t";

/** The delimiter that splits the first line (outside quotes) into the most fields; `,` on a tie. */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 64_000; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts[ch]++;
  }
  return counts[";"] > counts[","] && counts[";"] >= counts["\t"] ? ";" : counts["\t"] > counts[","] ? "\t" : ",";
}

export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Parses the whole text into rows of fields. Blank lines are skipped. An unterminated quote runs
 * to the end of the input (its text is kept), as spreadsheet programs do.
 */
export function parseCsv(input: string, delimiter?: Delimiter): string[][] {
  const text = stripBom(input);
  const d = delimiter ?? detectDelimiter(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    field = "";
    fieldStarted = false;
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      // Copy the run up to the next quote at once (long quoted fields are the slow path otherwise).
      const next = text.indexOf('"', i);
      const end = next === -1 ? text.length : next;
      field += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === d) {
      row.push(field);
      field = "";
      fieldStarted = false;
      i++;
    } else if (ch === "\n" || ch === "\r") {
      endRow();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      // Unquoted run: up to the next delimiter, quote or line end.
      let j = i + 1;
      while (j < text.length) {
        const c = text[j];
        if (c === d || c === "\n" || c === "\r") break;
        j++;
      }
      field += text.slice(i, j);
      fieldStarted = true;
      i = j;
    }
  }
  if (field !== "" || fieldStarted || row.length) endRow();
  return rows;
}

/** One CSV cell: quoted when it holds a delimiter, quote or line break; a leading = + - @ is defused (spreadsheet formula injection). */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;
