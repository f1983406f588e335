/** What every SchemaForm field renderer shares: the form's context, its input style, labels and error lookup. */
import type { ComponentType } from "react";
import type { Variable } from "./ExpressionInput";
import type { JsonSchema } from "./graph";

export interface ObjectFieldsProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  path: string;
  ctx: FormContext;
}

export interface FormContext {
  root: JsonSchema;
  variables: Variable[];
  errors: Map<string, string>;
  /**
   * The renderer of an object's fields, passed down rather than imported: union variants and array
   * items render objects, whose fields render unions and arrays — imports would go round in a cycle.
   */
  ObjectFields: ComponentType<ObjectFieldsProps>;
}

export const inputClass =
  "block h-9 w-full rounded-lg border border-line bg-surface px-3 text-sm text-fg shadow-sm focus-visible:outline-2 focus-visible:outline-accent aria-[invalid=true]:border-danger";
export const humanize = (k: string) => k.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

export function errorFor(ctx: FormContext, path: string) {
  return ctx.errors.get(path);
}
/** Errors under a path (a nested field's error shown on its collapsed group). */
export function errorsUnder(ctx: FormContext, path: string) {
  return [...ctx.errors.entries()].filter(([p]) => p.startsWith(`${path}.`)).map(([, m]) => m);
}
