/**
 * Auto-layout, layered left to right (a small Sugiyama): break cycles, give each node a layer (the
 * longest path from a start), put dummy nodes on edges that skip layers, order each layer by the
 * barycentre of its neighbours (a few sweeps down and up), then place layers as columns, each
 * column centred. ~100 lines instead of dagre (~80 kB min) for graphs of a few dozen nodes.
 */
import { NODE_H, NODE_W, nodeHeight, portOf, portsOf } from "./graph";
import type { NodeTypeInfo, WorkflowDefinition } from "./types";

const GAP_X = 72;
const GAP_Y = 36;
const SWEEPS = 6;

export function autoLayout(def: WorkflowDefinition, types: Map<string, NodeTypeInfo>): WorkflowDefinition {
  const ids = def.nodes.map((n) => n.id);
  if (ids.length === 0) return def;
  const known = new Set(ids);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  // Children in port order (true before false, approved before rejected) so branches keep their order.
  const nodeById = new Map(def.nodes.map((n) => [n.id, n]));
  const portRank = (from: string, port: string) => {
    const node = nodeById.get(from);
    return node ? portsOf(node, types).indexOf(port) : 0;
  };
  const edges = def.edges
    .filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to)
    .sort((a, b) => portRank(a.from, portOf(a)) - portRank(b.from, portOf(b)));

  // 1. Cycles: a DFS from the starts; an edge back to a node on the stack is ignored for layering.
  const state = new Map<string, 1 | 2>();
  const forward: [string, string][] = [];
  for (const e of edges) out.get(e.from)?.push(e.to);
  const starts = [...def.nodes].sort((a, b) => (a.type === "trigger" ? -1 : b.type === "trigger" ? 1 : 0)).map((n) => n.id);
  const visit = (id: string) => {
    state.set(id, 1);
    for (const to of out.get(id) ?? []) {
      const s = state.get(to);
      if (s === 1) continue; // back edge
      forward.push([id, to]);
      if (!s) visit(to);
    }
    state.set(id, 2);
  };
  for (const id of starts) if (!state.has(id)) visit(id);

  // 2. Layers: longest path from any node without incoming edges.
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [a, b] of forward) preds.get(b)?.push(a);
  const layer = new Map<string, number>();
  const layerOf = (id: string, guard = 0): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    const ps = preds.get(id) ?? [];
    const l = ps.length && guard < ids.length ? Math.max(...ps.map((p) => layerOf(p, guard + 1))) + 1 : 0;
    layer.set(id, l);
    return l;
  };
  for (const id of ids) layerOf(id);

  // 3. Dummies on long edges, so crossings of long edges count in the ordering.
  const layers: string[][] = [];
  const put = (id: string, l: number) => {
    while (layers.length <= l) layers.push([]);
    layers[l]?.push(id);
  };
  for (const id of starts) put(id, layer.get(id) ?? 0);
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    down.set(a, [...(down.get(a) ?? []), b]);
    up.set(b, [...(up.get(b) ?? []), a]);
  };
  let dummy = 0;
  for (const [a, b] of forward) {
    const la = layer.get(a) ?? 0;
    const lb = layer.get(b) ?? 0;
    let prev = a;
    for (let l = la + 1; l < lb; l++) {
      const d = `\u0000${dummy++}`;
      put(d, l);
      link(prev, d);
      prev = d;
    }
    link(prev, b);
  }

  // 4. Ordering: barycentre sweeps.
  const pos = new Map<string, number>();
  const index = () => {
    for (const ls of layers) for (const [i, id] of ls.entries()) pos.set(id, i);
  };
  index();
  const bary = (id: string, nb: Map<string, string[]>) => {
    const ns = nb.get(id) ?? [];
    return ns.length ? ns.reduce((s, n) => s + (pos.get(n) ?? 0), 0) / ns.length : (pos.get(id) ?? 0);
  };
  for (let s = 0; s < SWEEPS; s++) {
    const downward = s % 2 === 0;
    const order = downward
      ? layers.map((_, i) => i).slice(1)
      : layers
          .map((_, i) => i)
          .reverse()
          .slice(1);
    for (const l of order) {
      const ls = layers[l] ?? [];
      const keyed = ls.map((id, i) => ({ id, k: bary(id, downward ? up : down), i }));
      keyed.sort((a, b) => a.k - b.k || a.i - b.i);
      layers[l] = keyed.map((x) => x.id);
      index();
    }
  }

  // 5. Coordinates: one column per layer (dummies take a thin slot), each column centred on the tallest.
  const heightOf = (id: string) => {
    const n = nodeById.get(id);
    return n ? nodeHeight(portsOf(n, types).length) : NODE_H / 3;
  };
  const columnHeight = (ls: string[]) => ls.reduce((s, id) => s + heightOf(id) + GAP_Y, -GAP_Y);
  const tallest = Math.max(...layers.map(columnHeight));
  const positions = new Map<string, { x: number; y: number }>();
  layers.forEach((ls, l) => {
    let y = (tallest - columnHeight(ls)) / 2;
    for (const id of ls) {
      positions.set(id, { x: l * (NODE_W + GAP_X), y: Math.round(y) });
      y += heightOf(id) + GAP_Y;
    }
  });
  return { ...def, nodes: def.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) };
}
