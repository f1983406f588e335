/**
 * Pure operations on a workflow definition (no React): the builder's edits, the ports each node
 * has, the diff shown before publishing. Every edit returns a new definition, so the undo stack can
 * keep the old ones as they are.
 */
import type { NodeType, NodeTypeInfo, WorkflowDefinition, WorkflowEdge, WorkflowNode } from "./types";

export const NODE_W = 192;
export const NODE_H = 64;
/** Vertical distance between two output ports on a node's right edge. */
export const PORT_GAP = 20;

/** A node grows with its ports so each port label has room. */
export const nodeHeight = (ports: number) => Math.max(NODE_H, ports * PORT_GAP + 16);
/** Where output port `i` of `n` sits, relative to the node's top. */
export const portY = (i: number, n: number) => nodeHeight(n) / 2 + (i - (n - 1) / 2) * PORT_GAP;

/** The outputs of a node as GET /workflows/node-types lists them (with "error" where a step can fail). */
export function portsOf(node: Pick<WorkflowNode, "type">, types: Map<string, NodeTypeInfo>): string[] {
  if (node.type === "trigger") return ["next"];
  return types.get(node.type)?.outputs ?? ["next"];
}

export const portOf = (e: WorkflowEdge) => e.port ?? "next";

let seq = 0;
/** A short id unique within the definition ("send_message_3"). */
export function newNodeId(def: WorkflowDefinition, type: NodeType): string {
  const taken = new Set(def.nodes.map((n) => n.id));
  for (;;) {
    seq += 1;
    const id = `${type}_${def.nodes.length + seq}`;
    if (!taken.has(id)) return id;
  }
}

export function newEdgeId(def: WorkflowDefinition): string {
  const taken = new Set(def.edges.map((e) => e.id));
  for (let i = def.edges.length + 1; ; i++) if (!taken.has(`e${i}`)) return `e${i}`;
}

/** A default config from the schema's defaults (so a new node starts close to valid). */
export function defaultConfig(schema: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema?.properties ?? {})) {
    if (s.default !== undefined) out[k] = s.default;
  }
  return out;
}

export function addNode(
  def: WorkflowDefinition,
  info: NodeTypeInfo,
  position: { x: number; y: number },
  connectFrom?: { node: string; port: string },
): { def: WorkflowDefinition; id: string } {
  const id = newNodeId(def, info.type);
  const node: WorkflowNode = { id, type: info.type, name: info.label, position, config: defaultConfig(info.config_schema) };
  let next: WorkflowDefinition = { ...def, nodes: [...def.nodes, node] };
  if (connectFrom) next = connect(next, connectFrom.node, connectFrom.port, id);
  return { def: next, id };
}

/** Adds an edge; one edge per output port (a new one replaces the old), no self loops, no duplicates. */
export function connect(def: WorkflowDefinition, from: string, port: string, to: string): WorkflowDefinition {
  if (from === to) return def;
  const target = def.nodes.find((n) => n.id === to);
  if (!target || target.type === "trigger") return def;
  const edges = def.edges.filter((e) => !(e.from === from && portOf(e) === port));
  const edge: WorkflowEdge = { id: newEdgeId(def), from, to };
  if (port !== "next") edge.port = port;
  return { ...def, edges: [...edges, edge] };
}

/** Removes nodes (never the trigger) and the edges touching them. */
export function removeNodes(def: WorkflowDefinition, ids: Iterable<string>): WorkflowDefinition {
  const drop = new Set(ids);
  for (const n of def.nodes) if (n.type === "trigger") drop.delete(n.id);
  if (drop.size === 0) return def;
  return {
    ...def,
    nodes: def.nodes.filter((n) => !drop.has(n.id)),
    edges: def.edges.filter((e) => !drop.has(e.from) && !drop.has(e.to)),
  };
}

export const removeEdge = (def: WorkflowDefinition, id: string): WorkflowDefinition => ({
  ...def,
  edges: def.edges.filter((e) => e.id !== id),
});

export function updateNode(def: WorkflowDefinition, id: string, patch: Partial<WorkflowNode>): WorkflowDefinition {
  return { ...def, nodes: def.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) };
}

export function moveNodes(def: WorkflowDefinition, ids: Set<string>, dx: number, dy: number): WorkflowDefinition {
  return {
    ...def,
    nodes: def.nodes.map((n) =>
      ids.has(n.id) ? { ...n, position: { x: Math.round(n.position.x + dx), y: Math.round(n.position.y + dy) } } : n,
    ),
  };
}

/** The nodes a run reaches before `id` (its variables are those steps' outputs). */
export function ancestorsOf(def: WorkflowDefinition, id: string): WorkflowNode[] {
  const into = new Map<string, string[]>();
  for (const e of def.edges) into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
  const seen = new Set<string>();
  const stack = [...(into.get(id) ?? [])];
  while (stack.length) {
    const n = stack.pop() as string;
    if (seen.has(n) || n === id) continue;
    seen.add(n);
    stack.push(...(into.get(n) ?? []));
  }
  return def.nodes.filter((n) => seen.has(n.id) && n.type !== "trigger");
}

/** The bounding box of the nodes (for "fit"). */
export function bounds(nodes: WorkflowNode[], types: Map<string, NodeTypeInfo>) {
  if (nodes.length === 0) return { x: 0, y: 0, w: NODE_W, h: NODE_H };
  const x = Math.min(...nodes.map((n) => n.position.x));
  const y = Math.min(...nodes.map((n) => n.position.y));
  const right = Math.max(...nodes.map((n) => n.position.x + NODE_W));
  const bottom = Math.max(...nodes.map((n) => n.position.y + nodeHeight(portsOf(n, types).length)));
  return { x, y, w: right - x, h: bottom - y };
}

export interface DefinitionDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What publishing changes against the last published definition: node names added / removed / changed. */
export function diffDefinitions(before: WorkflowDefinition | null | undefined, after: WorkflowDefinition): DefinitionDiff {
  const old = new Map((before?.nodes ?? []).map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const edgesOf = (d: WorkflowDefinition | null | undefined, id: string) =>
    JSON.stringify(
      (d?.edges ?? [])
        .filter((e) => e.from === id)
        .map((e) => `${portOf(e)}>${e.to}`)
        .sort(),
    );
  const added = after.nodes.filter((n) => !old.has(n.id)).map((n) => n.name);
  const removed = [...old.values()].filter((n) => !now.has(n.id)).map((n) => n.name);
  const changed = after.nodes
    .filter((n) => {
      const o = old.get(n.id);
      if (!o) return false;
      const config = n.type === "trigger" ? JSON.stringify(before?.trigger) !== JSON.stringify(after.trigger) : false;
      return (
        config ||
        o.name !== n.name ||
        JSON.stringify(o.config) !== JSON.stringify(n.config) ||
        edgesOf(before, n.id) !== edgesOf(after, n.id)
      );
    })
    .map((n) => n.name);
  return { added, removed, changed };
}

/** The subset of JSON Schema that zod's generator emits and the properties form renders. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  /** Marks a string that may hold `{{ … }}` expressions (set by the engine's schema). */
  "x-expression"?: boolean;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  [k: string]: unknown;
}
