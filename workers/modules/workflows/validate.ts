import { EVENT_TYPES } from "../webhooks";
import { conditionExpressions, leftTemplate } from "./conditions";
import { isValidTimezone, parseCron } from "./cron-expression";
import type { NodeType, WorkflowDefinition } from "./definition";
import { type Expr, ExpressionError, expressionsIn, stringsIn } from "./expressions";
import { nodeConfigSchemas, portsOf } from "./node-types";
import { RECORD_FIELDS } from "./record-fields";

/** One problem of a definition: `node_id` null for the trigger and graph-wide problems. */
export interface DefinitionError {
  node_id: string | null;
  field: string;
  message: string;
}

/**
 * Checks what the zod shape cannot: one trigger node, unique ids, edges between existing nodes on
 * ports their source has, at most one edge per port, no cycles (loops are the loop node), each
 * node's config against its type, and every expression (syntax, roots, step references, secrets
 * only in HTTP steps).
 */
export function validateDefinition(def: WorkflowDefinition): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const add = (node_id: string | null, field: string, message: string) => errors.push({ node_id, field, message });

  const t = def.trigger;
  if (t.type === "event" && !(t.event in EVENT_TYPES)) add(null, "trigger.event", `unknown event "${t.event}" (see GET /workflows/events)`);
  if (t.type === "schedule") {
    try {
      parseCron(t.cron);
    } catch (e) {
      add(null, "trigger.cron", (e as Error).message);
    }
    if (t.timezone && !isValidTimezone(t.timezone)) add(null, "trigger.timezone", `unknown time zone "${t.timezone}"`);
  }

  const byId = new Map<string, NodeType>();
  for (const n of def.nodes) {
    if (byId.has(n.id)) add(n.id, "id", `duplicate node id "${n.id}"`);
    byId.set(n.id, n.type);
  }
  const triggers = def.nodes.filter((n) => n.type === "trigger");
  if (triggers.length !== 1) add(null, "nodes", `a workflow has exactly one trigger node (found ${triggers.length})`);

  const seenPorts = new Set<string>();
  const next = new Map<string, string[]>();
  for (const e of def.edges) {
    const fromType = byId.get(e.from);
    if (!fromType) add(null, `edges.${e.id}.from`, `edge "${e.id}" leaves unknown node "${e.from}"`);
    if (!byId.has(e.to)) add(null, `edges.${e.id}.to`, `edge "${e.id}" goes to unknown node "${e.to}"`);
    if (byId.get(e.to) === "trigger") add(null, `edges.${e.id}.to`, "nothing may lead into the trigger node");
    if (!fromType) continue;
    const port = e.port ?? "next";
    if (!portsOf(fromType).includes(port))
      add(e.from, `edges.${e.id}.port`, `a ${fromType} node has no "${port}" output (${portsOf(fromType).join(", ")})`);
    const key = `${e.from}:${port}`;
    if (seenPorts.has(key)) add(e.from, `edges.${e.id}.port`, `output "${port}" of "${e.from}" already has an edge`);
    seenPorts.add(key);
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  // Cycles: depth-first search with colours.
  const colour = new Map<string, 1 | 2>();
  const visit = (id: string): boolean => {
    colour.set(id, 1);
    for (const to of next.get(id) ?? []) {
      if (colour.get(to) === 1) return true;
      if (!colour.has(to) && visit(to)) return true;
    }
    colour.set(id, 2);
    return false;
  };
  for (const id of byId.keys())
    if (!colour.has(id) && visit(id)) {
      add(id, "edges", "the graph has a cycle (repeat work with a loop node)");
      break;
    }

  const checkExprs = (nodeId: string | null, field: string, exprs: () => Expr[], allowSecrets: boolean) => {
    let list: Expr[];
    try {
      list = exprs();
    } catch (e) {
      if (e instanceof ExpressionError) return add(nodeId, field, e.message);
      throw e;
    }
    for (const x of list) {
      const [root, ref] = x.path;
      if (root === "secrets" && !allowSecrets) add(nodeId, field, "{{ secrets.… }} is only available in HTTP request steps");
      if (root === "steps" && (typeof ref !== "string" || !byId.has(ref)))
        add(nodeId, field, `steps.${String(ref ?? "")} is not a node of this workflow`);
    }
  };
  if (t.type === "event" && t.filter) checkExprs(null, "trigger.filter", () => conditionExpressions(t.filter as never), false);

  for (const n of def.nodes) {
    const parsed = nodeConfigSchemas[n.type].safeParse(n.config ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(n.id, ["config", ...issue.path.map(String)].join("."), issue.message);
      continue;
    }
    const cfg = parsed.data as Record<string, unknown>;
    if (n.type === "condition") {
      checkExprs(n.id, "config.condition", () => conditionExpressions(cfg.condition as never), false);
      continue;
    }
    for (const s of stringsIn(cfg)) {
      if (n.type === "ai" && s.path.startsWith("output_schema")) continue;
      checkExprs(n.id, `config.${s.path}`, () => expressionsIn(s.value), n.type === "http_request");
    }
    if (n.type === "wait") {
      if (cfg.mode === "duration" && cfg.amount === undefined) add(n.id, "config.amount", "a duration wait needs an amount");
      if (cfg.mode === "until" && !cfg.until) add(n.id, "config.until", "an until wait needs a time or expression");
    }
    if (n.type === "http_request") {
      const url = String(cfg.url);
      if (!url.includes("{{") && !/^https?:\/\//.test(url)) add(n.id, "config.url", "an http(s) URL");
    }
    if (n.type === "update_record") {
      const allowed: readonly string[] = RECORD_FIELDS[cfg.record as keyof typeof RECORD_FIELDS];
      for (const k of Object.keys(cfg.changes as object)) {
        if (!allowed.includes(k))
          add(n.id, `config.changes.${k}`, `a ${String(cfg.record)} has no updatable field "${k}" (${allowed.join(", ")})`);
      }
    }
    if (n.type === "approval" && !(cfg.approver_roles as string[]).length && !(cfg.approver_user_ids as string[]).length) {
      add(n.id, "config.approver_roles", "name at least one approver role or member");
    }
    if (n.type === "loop") checkExprs(n.id, "config.items", () => expressionsIn(leftTemplate(String(cfg.items))), false);
  }
  return errors;
}
