/** Comma- or newline-separated text as a list of trimmed, non-empty entries. */
export const lines = (s: string) =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);
