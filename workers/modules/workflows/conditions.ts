import { z } from "@hono/zod-openapi";
import { expressionsIn, type Expr, render, type Scope } from "./expressions";

/** The Condition type of the contract: `all` / `any` groups of `{ left, op, right }` comparisons. */
export const CONDITION_OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "contains", "exists", "in"] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
export type Condition = { all?: Condition[]; any?: Condition[] } | { left: string; op: ConditionOp; right?: unknown };

const comparison = z.object({
  left: z
    .string()
    .min(1)
    .max(500)
    .openapi({ description: "A path (`trigger.data.total`) or a template (`{{ steps.score.output.value }}`)" }),
  op: z.enum(CONDITION_OPS),
  right: z.unknown().optional().openapi({ description: "A literal, or a string with {{ expressions }}" }),
});
export const conditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([comparison, z.object({ all: z.array(conditionSchema).max(20).optional(), any: z.array(conditionSchema).max(20).optional() })]),
  )
  .openapi("WorkflowCondition");

/** A left side without braces is a bare path. */
export const leftTemplate = (left: string) => (left.includes("{{") ? left : `{{ ${left} }}`);

export function conditionExpressions(c: Condition): Expr[] {
  if ("op" in c) return [...expressionsIn(leftTemplate(c.left)), ...(typeof c.right === "string" ? expressionsIn(c.right) : [])];
  return [...(c.all ?? []), ...(c.any ?? [])].flatMap(conditionExpressions);
}

const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN);
const same = (a: unknown, b: unknown) =>
  a === b || (a !== null && b !== null && typeof a !== "object" && typeof b !== "object" && String(a) === String(b));

export function evaluateCondition(c: Condition, scope: Scope): boolean {
  if (!("op" in c)) {
    const all = c.all ?? [];
    const any = c.any ?? [];
    return all.every((x) => evaluateCondition(x, scope)) && (any.length === 0 || any.some((x) => evaluateCondition(x, scope)));
  }
  const left = render(leftTemplate(c.left), scope);
  const right = typeof c.right === "string" ? render(c.right, scope) : c.right;
  switch (c.op) {
    case "eq":
      return same(left, right);
    case "neq":
      return !same(left, right);
    case "gt":
      return num(left) > num(right);
    case "gte":
      return num(left) >= num(right);
    case "lt":
      return num(left) < num(right);
    case "lte":
      return num(left) <= num(right);
    case "contains":
      return Array.isArray(left) ? left.some((x) => same(x, right)) : typeof left === "string" && left.includes(String(right ?? ""));
    case "exists":
      return left !== undefined && left !== null && left !== "";
    case "in":
      return Array.isArray(right) && right.some((x) => same(x, left));
  }
}
