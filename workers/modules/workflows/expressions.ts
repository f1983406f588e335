/**
 * The workflow expression language (docs/automation.md "Expressions"): `{{ path | filter: arg }}`
 * inside strings. A hand-written parser: path lookup over plain data and a few pure filters, never
 * `eval` / `new Function`. Anything else (calls, `${}`, `constructor`, `__proto__`…) is a syntax
 * error that names its position, so validation refuses it before a run ever sees it.
 */

export const ROOTS = ["trigger", "steps", "vars", "secrets", "run"] as const;
export type Root = (typeof ROOTS)[number];
const FILTERS = ["default", "upper", "lower", "json", "date"] as const;
type FilterName = (typeof FILTERS)[number];
// Property names that reach the prototype chain or code: refused anywhere in a path.
const FORBIDDEN = new Set(["constructor", "__proto__", "prototype", "__defineGetter__", "__defineSetter__", "__lookupGetter__"]);

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the whole string. */
    readonly position: number,
  ) {
    super(`${message} (at position ${position})`);
  }
}

export interface Filter {
  name: FilterName;
  arg?: string | number | boolean | null;
}
export interface Expr {
  path: (string | number)[]; // first element is the root
  filters: Filter[];
}
/** A template: literal text and expressions in order. */
export type Part = { text: string } | { expr: Expr; source: string };

const isIdentStart = (ch: string) => /[A-Za-z_]/.test(ch);
const isIdent = (ch: string) => /[A-Za-z0-9_-]/.test(ch);

/** Parses one `{{ … }}` body starting at `base` (offset of its first character in the template). */
export function parseExpression(body: string, base = 0): Expr {
  let i = 0;
  const err = (m: string) => new ExpressionError(m, base + i);
  const ws = () => {
    while (i < body.length && /\s/.test(body[i])) i++;
  };
  const ident = (): string => {
    if (!isIdentStart(body[i] ?? "")) throw err(`expected a name, found ${JSON.stringify(body[i] ?? "end")}`);
    const s = i;
    while (i < body.length && isIdent(body[i])) i++;
    const name = body.slice(s, i);
    if (FORBIDDEN.has(name)) {
      i = s;
      throw err(`"${name}" is not allowed in expressions`);
    }
    return name;
  };
  const literal = (): string | number | boolean | null => {
    const ch = body[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let out = "";
      while (j < body.length && body[j] !== ch) {
        if (body[j] === "\\" && j + 1 < body.length) j++;
        out += body[j];
        j++;
      }
      if (j >= body.length) throw err("unterminated string");
      i = j + 1;
      return out;
    }
    const m = /^-?\d+(\.\d+)?/.exec(body.slice(i));
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (body.startsWith(word, i) && !isIdent(body[i + word.length] ?? "")) {
        i += word.length;
        return v;
      }
    }
    throw err("expected a string, number, true, false or null");
  };

  ws();
  const root = ident();
  if (!(ROOTS as readonly string[]).includes(root)) {
    i -= root.length;
    throw err(`unknown root "${root}" (use ${ROOTS.join(", ")})`);
  }
  const path: (string | number)[] = [root];
  for (;;) {
    if (body[i] === ".") {
      i++;
      path.push(ident());
    } else if (body[i] === "[") {
      i++;
      const m = /^\d+/.exec(body.slice(i));
      if (!m) throw err("expected an index like [0]");
      i += m[0].length;
      if (body[i] !== "]") throw err('expected "]"');
      i++;
      path.push(Number(m[0]));
    } else break;
  }
  const filters: Filter[] = [];
  ws();
  while (body[i] === "|") {
    i++;
    ws();
    const name = ident();
    if (!(FILTERS as readonly string[]).includes(name)) {
      i -= name.length;
      throw err(`unknown filter "${name}" (use ${FILTERS.join(", ")})`);
    }
    ws();
    const f: Filter = { name: name as FilterName };
    if (body[i] === ":") {
      i++;
      ws();
      f.arg = literal();
      ws();
    }
    if ((f.name === "default" || f.name === "date") && f.arg === undefined) throw err(`filter "${f.name}" needs an argument`);
    filters.push(f);
  }
  ws();
  if (i < body.length) {
    if (body[i] === "(") throw err("function calls are not allowed");
    throw err(`unexpected ${JSON.stringify(body[i])}`);
  }
  return { path, filters };
}

/** Splits a string into literal text and expressions; throws ExpressionError on bad syntax. */
export function parseTemplate(s: string): Part[] {
  const dollar = s.indexOf("${");
  if (dollar >= 0) throw new ExpressionError('"$" followed by "{" (a template literal) is not allowed; use {{ … }}', dollar);
  const parts: Part[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf("{{", i);
    if (open < 0) {
      parts.push({ text: s.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: s.slice(i, open) });
    const close = s.indexOf("}}", open + 2);
    if (close < 0) throw new ExpressionError('unclosed "{{"', open);
    const body = s.slice(open + 2, close);
    parts.push({ expr: parseExpression(body, open + 2), source: s.slice(open, close + 2) });
    i = close + 2;
  }
  return parts;
}

/** Every expression of a string (for validation: roots, step references). */
export function expressionsIn(s: string): Expr[] {
  return parseTemplate(s).flatMap((p) => ("expr" in p ? [p.expr] : []));
}

export interface Scope {
  trigger: unknown;
  steps: Record<string, { output: unknown }>;
  vars: Record<string, unknown>;
  secrets?: Record<string, string>;
  run: { id: string; workflow_id: string; version: number };
}

/** Own-property lookup over plain data only. */
export function lookup(scope: Scope, path: (string | number)[]): unknown {
  let cur: unknown = scope;
  for (const key of path) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof key === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
      continue;
    }
    if (typeof cur !== "object" || FORBIDDEN.has(key) || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
function formatDate(v: unknown, fmt: string): string {
  const d = typeof v === "number" ? new Date(v) : typeof v === "string" ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  return fmt
    .replace("YYYY", String(d.getUTCFullYear()))
    .replace("MM", pad(d.getUTCMonth() + 1))
    .replace("DD", pad(d.getUTCDate()))
    .replace("HH", pad(d.getUTCHours()))
    .replace("mm", pad(d.getUTCMinutes()))
    .replace("ss", pad(d.getUTCSeconds()));
}

export const stringify = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

function applyFilter(v: unknown, f: Filter): unknown {
  switch (f.name) {
    case "default":
      return v === undefined || v === null || v === "" ? f.arg : v;
    case "upper":
      return stringify(v).toUpperCase();
    case "lower":
      return stringify(v).toLowerCase();
    case "json":
      return JSON.stringify(v ?? null);
    case "date":
      return formatDate(v, String(f.arg));
  }
}

export function evaluateExpr(e: Expr, scope: Scope): unknown {
  return e.filters.reduce(applyFilter, lookup(scope, e.path));
}

/**
 * Renders a template. A string that is exactly one expression keeps the value's type (an array for
 * a loop, a number for a condition); otherwise the parts are joined as text.
 */
export function render(s: string, scope: Scope): unknown {
  const parts = parseTemplate(s);
  if (parts.length === 1 && "expr" in parts[0] && s.trim() === s) return evaluateExpr(parts[0].expr, scope);
  return parts.map((p) => ("expr" in p ? stringify(evaluateExpr(p.expr, scope)) : p.text)).join("");
}

/** Renders every string inside a JSON value (objects and arrays walked, other values kept). */
export function renderDeep(v: unknown, scope: Scope): unknown {
  if (typeof v === "string") return render(v, scope);
  if (Array.isArray(v)) return v.map((x) => renderDeep(x, scope));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderDeep(x, scope)]));
  return v;
}

/** Every string inside a JSON value, with its JSON path (for validation). */
export function stringsIn(v: unknown, at = ""): { path: string; value: string }[] {
  if (typeof v === "string") return [{ path: at, value: v }];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringsIn(x, `${at}[${i}]`));
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => stringsIn(x, at ? `${at}.${k}` : k));
  return [];
}
