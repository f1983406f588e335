import { cx } from "../ui/cx";
import { NODE_W, nodeHeight, portOf, portY } from "./graph";
import type { WorkflowDefinition } from "./types";

const curve = (x1: number, y1: number, x2: number, y2: number) => {
  const c = Math.max(40, Math.abs(x2 - x1) / 2);
  return `M${x1},${y1} C${x1 + c},${y1} ${x2 - c},${y2} ${x2},${y2}`;
};

/** The edges as SVG curves from an output port to the target's input; a wide invisible stroke is the click target. */
export function CanvasEdges({
  def,
  portsById,
  selection,
  statusOf,
  wire,
  onSelect,
}: {
  def: WorkflowDefinition;
  portsById: Map<string, string[]>;
  selection: Set<string>;
  statusOf?: (id: string) => string | undefined;
  wire: { x1: number; y1: number; x2: number; y2: number } | null;
  onSelect: (edgeId: string) => void;
}) {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  return (
    <svg className="pointer-events-none absolute top-0 left-0 overflow-visible" width="1" height="1" aria-hidden="true">
      <defs>
        <marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="fill-muted" />
        </marker>
      </defs>
      {def.edges.map((e) => {
        const a = byId.get(e.from);
        const b = byId.get(e.to);
        if (!a || !b) return null;
        const ports = portsById.get(a.id) ?? ["next"];
        const i = Math.max(0, ports.indexOf(portOf(e)));
        const bh = nodeHeight((portsById.get(b.id) ?? []).length);
        const d = curve(a.position.x + NODE_W + 6, a.position.y + portY(i, ports.length), b.position.x - 6, b.position.y + bh / 2);
        const selected = selection.has(`edge:${e.id}`);
        // On the run page an edge is "taken" when both ends ran.
        const taken = statusOf?.(a.id) && statusOf(b.id) && statusOf(b.id) !== "skipped";
        return (
          <g key={e.id}>
            <path
              d={d}
              fill="none"
              strokeWidth={14}
              className="pointer-events-auto cursor-pointer stroke-transparent"
              onPointerDown={(ev) => {
                ev.stopPropagation();
                onSelect(e.id);
              }}
            />
            <path
              d={d}
              fill="none"
              markerEnd="url(#wf-arrow)"
              strokeWidth={selected ? 3 : 2}
              strokeDasharray={portOf(e) === "error" ? "5 4" : undefined}
              className={cx(
                selected ? "stroke-accent" : portOf(e) === "error" ? "stroke-danger" : taken ? "stroke-success" : "stroke-muted/60",
              )}
            />
          </g>
        );
      })}
      {wire && (
        <path d={curve(wire.x1, wire.y1, wire.x2, wire.y2)} fill="none" strokeWidth={2} strokeDasharray="4 4" className="stroke-accent" />
      )}
    </svg>
  );
}
