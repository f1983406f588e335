import { pathsOf, type Variable } from "./ExpressionInput";
import { ancestorsOf } from "./graph";
import type { EventType, Secret, WorkflowDefinition } from "./types";

/**
 * What a node's expressions may use: `trigger.*` (from the trigger event's sample payload), the
 * outputs of the steps that run before it, `run.id`, and `secrets.*` in HTTP steps only.
 */
export function variablesFor(def: WorkflowDefinition, nodeId: string, events: EventType[], secrets: Secret[]): Variable[] {
  const t = def.trigger;
  const sample = t.type === "event" ? events.find((e) => e.type === t.event)?.sample : undefined;
  const trigger: Variable[] = [
    { path: "trigger.type", detail: t.type === "event" ? t.event : t.type },
    ...(sample ? pathsOf(sample, "trigger.data") : [{ path: "trigger.data", detail: "the run's input" }]),
  ];
  const steps = ancestorsOf(def, nodeId).flatMap((n): Variable[] => {
    const base = `steps.${n.id}.output`;
    const out: Variable[] = [{ path: base, detail: `${n.name} (${n.type})` }];
    const mapping = n.type === "http_request" ? (n.config?.response_mapping as Record<string, unknown> | undefined) : undefined;
    for (const k of Object.keys(mapping ?? {})) out.push({ path: `${base}.${k}`, detail: `${n.name}: mapped from the response` });
    const schema = n.type === "ai" ? (n.config?.output_schema as { properties?: Record<string, unknown> } | undefined) : undefined;
    for (const k of Object.keys(schema?.properties ?? {})) out.push({ path: `${base}.${k}`, detail: `${n.name}: structured output` });
    if (n.type === "approval") out.push({ path: `${base}.decision` }, { path: `${base}.comment` });
    if (n.type === "loop") out.push({ path: "vars.item", detail: "the current item (inside the each branch)" });
    return out;
  });
  const node = def.nodes.find((n) => n.id === nodeId);
  const vault = node?.type === "http_request" ? secrets.map((s) => ({ path: `secrets.${s.name}`, detail: "from the vault" })) : [];
  return [...trigger, ...steps, { path: "run.id" }, ...vault];
}
