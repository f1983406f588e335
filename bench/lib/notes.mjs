// Hand-written notes below a bench's generated markdown survive the next run: everything from the
// marker line on is kept when the bench rewrites `<out>.md`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const notesMarker = (bench) => `<!-- notes: written by hand, kept by bench/${bench}.mjs when it rewrites this file -->`;

/** Writes `markdown` to `file`, followed by the notes the previous version of `file` had under the marker. */
export function writeWithNotes(file, markdown, bench) {
  const marker = notesMarker(bench);
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  const notes = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : "";
  writeFileSync(file, `${markdown.trimEnd()}\n${notes ? `\n${notes}` : ""}`);
}
