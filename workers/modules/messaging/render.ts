/**
 * Logic-less templates: `{{name}}` and `{{a.b}}` are replaced by values from `data`, HTML-escaped
 * when rendering HTML; `{{{name}}}` inserts a value unescaped (tenants opt in explicitly).
 * There are no conditionals or loops: anything computed belongs in `data`.
 */
const TAG = /\{\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}\}|\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

export const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function lookup(data: Record<string, unknown>, path: string): string {
  let v: unknown = data;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return "";
    v = (v as Record<string, unknown>)[part];
  }
  if (v === null || v === undefined) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function renderString(template: string, data: Record<string, unknown>, mode: "text" | "html"): string {
  return template.replace(TAG, (_, raw: string | undefined, name: string | undefined) => {
    if (raw) return lookup(data, raw);
    const value = lookup(data, name!);
    return mode === "html" ? escapeHtml(value) : value;
  });
}

/** Variable names a template uses, for the editor's "sample data" form. */
export function variablesOf(...templates: (string | null | undefined)[]): string[] {
  const names = new Set<string>();
  for (const t of templates) {
    if (!t) continue;
    for (const m of t.matchAll(TAG)) names.add((m[1] ?? m[2])!);
  }
  return [...names].sort();
}

/** Validates template syntax: unbalanced braces are a mistake a person can fix. */
export function templateSyntaxError(template: string): string | null {
  const stripped = template.replace(TAG, "");
  if (stripped.includes("{{") || stripped.includes("}}"))
    return "Unbalanced or invalid {{ }} tag; use {{name}} or {{object.field}} (letters, digits, _ and .)";
  return null;
}

/** A plain-text part from HTML, for emails whose template has no text body. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, label: string) => `${label} (${href})`)
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, "\n\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
