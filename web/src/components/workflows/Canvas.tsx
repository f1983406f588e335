import { useMemo, useRef, useState } from "react";
import { cx } from "../ui/cx";
import { CanvasEdges } from "./CanvasEdges";
import { CanvasNode } from "./CanvasNode";
import { canvasKeyHandlers } from "./canvasKeyboard";
import { NODE_W, portsOf } from "./graph";
import { PortMenu } from "./PortMenu";
import type { NodeTypeInfo, WorkflowDefinition } from "./types";
import { useCanvasPointer } from "./useCanvasPointer";
import { useCanvasView } from "./useCanvasView";
import { ZoomControls } from "./ZoomControls";

export const DRAG_TYPE = "application/x-weft-node-type";

export interface CanvasProps {
  def: WorkflowDefinition;
  types: Map<string, NodeTypeInfo>;
  /** Selected node ids, and edges as "edge:<id>". */
  selection: Set<string>;
  onSelect: (s: Set<string>) => void;
  /** Absent: read-only (run page, phones). `key` merges a drag into one undo step. */
  onChange?: (def: WorkflowDefinition, key?: string) => void;
  onConnect?: (from: string, port: string, to: string) => void;
  onDisconnect?: (from: string, port: string) => void;
  onOpen?: (id: string) => void;
  onDelete?: (ids: string[]) => void;
  onDropType?: (type: string, at: { x: number; y: number }) => void;
  statusOf?: (id: string) => string | undefined;
  errorsOf?: (id: string) => number;
  /** Changing it fits the graph into view (after a load or an auto-layout). */
  fitKey?: unknown;
  className?: string;
  label: string;
}

/** The node-and-edge canvas: pan (drag the background, scroll), zoom (Ctrl/⌘-wheel, pinch, buttons, fit), connect, move. */
export function Canvas(props: CanvasProps) {
  const { def, types, selection, onSelect, onChange, statusOf, errorsOf } = props;
  const readOnly = !onChange;
  const box = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<{ node: string; port: string } | null>(null);
  const portsById = useMemo(() => new Map(def.nodes.map((n) => [n.id, portsOf(n, types)])), [def.nodes, types]);
  const { view, setView, toCanvas, zoomAt, zoomBy, fit, showNode } = useCanvasView(box, def, types, props.fitKey);
  const pointer = useCanvasPointer({
    box,
    view,
    setView,
    zoomAt,
    toCanvas,
    def,
    portsById,
    selection,
    onSelect,
    onChange,
    onConnect: props.onConnect,
    onPortMenu: (node, port) => setMenu({ node, port }),
  });
  const { onNodeKey, onBoxKey } = canvasKeyHandlers({ def, selection, onSelect, onChange, onOpen: props.onOpen, onDelete: props.onDelete });

  return (
    <div
      className={cx("relative overflow-hidden rounded-xl border border-line bg-canvas", props.className)}
      // Focus moving to a node outside the view would scroll this clipped box; the view pans instead (showNode).
      onScroll={(e) => {
        e.currentTarget.scrollTop = 0;
        e.currentTarget.scrollLeft = 0;
      }}
    >
      <div
        ref={box}
        role="application"
        aria-label={props.label}
        aria-roledescription="workflow canvas"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the canvas takes focus so Delete works on a selected edge
        tabIndex={0}
        className="absolute inset-0 touch-none outline-none [background-image:radial-gradient(var(--line)_1px,transparent_1px)] [background-size:20px_20px]"
        style={{ backgroundPosition: `${view.x}px ${view.y}px` }}
        onPointerDown={pointer.onBackgroundDown}
        onPointerMove={pointer.onMove}
        onPointerUp={pointer.onUp}
        onPointerCancel={pointer.onUp}
        onKeyDown={onBoxKey}
        onDragOver={(e) => {
          if (props.onDropType && e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
        }}
        onDrop={(e) => {
          const type = e.dataTransfer.getData(DRAG_TYPE);
          if (!type || !props.onDropType) return;
          e.preventDefault();
          const p = toCanvas(e.clientX, e.clientY);
          props.onDropType(type, { x: Math.round(p.x - NODE_W / 2), y: Math.round(p.y - 24) });
        }}
      >
        <div
          className="absolute top-0 left-0 origin-top-left"
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.k})` }}
        >
          <CanvasEdges
            def={def}
            portsById={portsById}
            selection={selection}
            statusOf={statusOf}
            wire={pointer.wire}
            onSelect={(id) => onSelect(new Set([`edge:${id}`]))}
          />
          {def.nodes.map((n) => (
            <CanvasNode
              key={n.id}
              node={n}
              info={types.get(n.type)}
              ports={portsById.get(n.id) ?? []}
              selected={selection.has(n.id)}
              status={statusOf?.(n.id)}
              errorCount={errorsOf?.(n.id) ?? 0}
              readOnly={readOnly}
              onPointerDown={pointer.onNodeDown}
              onPortPointerDown={pointer.onPortDown}
              onPortMenu={(node, port) => setMenu({ node, port })}
              onKeyDown={onNodeKey}
              onOpen={(id) => props.onOpen?.(id)}
              // Tabbing to a node selects it; a click's focus is the pointer handler's (it may be a shift-click).
              onFocus={(id) => {
                showNode(id);
                if (!pointer.pointerDown() && !selection.has(id)) onSelect(new Set([id]));
              }}
            />
          ))}
        </div>
      </div>
      <ZoomControls k={view.k} onZoomBy={zoomBy} onFit={fit} />
      {menu && (
        <PortMenu
          def={def}
          from={menu.node}
          port={menu.port}
          onClose={() => {
            const m = menu;
            setMenu(null);
            box.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(m.node)}"] [data-port="${CSS.escape(m.port)}"]`)?.focus();
          }}
          onConnect={(to) => props.onConnect?.(menu.node, menu.port, to)}
          onDisconnect={() => props.onDisconnect?.(menu.node, menu.port)}
        />
      )}
    </div>
  );
}
