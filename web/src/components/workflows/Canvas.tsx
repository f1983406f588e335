import { type KeyboardEvent, type PointerEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { cx } from "../ui/cx";
import { CanvasEdges } from "./CanvasEdges";
import { CanvasNode } from "./CanvasNode";
import { bounds, moveNodes, NODE_W, portsOf, portY } from "./graph";
import { PortMenu } from "./PortMenu";
import type { NodeTypeInfo, WorkflowDefinition } from "./types";

export const DRAG_TYPE = "application/x-weft-node-type";
const MIN_K = 0.25;
const MAX_K = 2;
/** "Fit" never zooms out further than this: below it node names are unreadable. */
const FIT_MIN_K = 0.6;
const STEP = 16;

interface View {
  x: number;
  y: number;
  k: number;
}

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

type Gesture =
  | { kind: "pan"; x: number; y: number; view: View; moved: boolean }
  | { kind: "move"; x: number; y: number; ids: Set<string>; start: WorkflowDefinition; key: string }
  | { kind: "connect"; from: string; port: string; x0: number; y0: number; sx: number; sy: number; moved: boolean }
  | { kind: "pinch"; dist: number; view: View; cx: number; cy: number };

/** The node-and-edge canvas: pan (drag the background, scroll), zoom (Ctrl/⌘-wheel, pinch, buttons, fit), connect, move. */
export function Canvas(props: CanvasProps) {
  const { def, types, selection, onSelect, onChange, statusOf, errorsOf } = props;
  const readOnly = !onChange;
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>({ x: 40, y: 40, k: 1 });
  const gesture = useRef<Gesture | null>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const [wire, setWire] = useState<{ x1: number; y1: number; x2: number; y2: number } | null>(null);
  const [menu, setMenu] = useState<{ node: string; port: string } | null>(null);
  const portsById = useMemo(() => new Map(def.nodes.map((n) => [n.id, portsOf(n, types)])), [def.nodes, types]);

  const toCanvas = (clientX: number, clientY: number, v = view) => {
    const r = box.current?.getBoundingClientRect();
    return { x: (clientX - (r?.left ?? 0) - v.x) / v.k, y: (clientY - (r?.top ?? 0) - v.y) / v.k };
  };
  const zoomAt = (k: number, cx: number, cy: number, from = view) => {
    const nk = Math.min(MAX_K, Math.max(MIN_K, k));
    setView({ k: nk, x: cx - ((cx - from.x) / from.k) * nk, y: cy - ((cy - from.y) / from.k) * nk });
  };
  const fit = () => {
    const el = box.current;
    if (!el) return;
    const b = bounds(def.nodes, types);
    const pad = 40;
    const k = Math.min(1.1, Math.max(FIT_MIN_K, Math.min((el.clientWidth - pad * 2) / b.w, (el.clientHeight - pad * 2) / b.h)));
    // A graph too wide to read when fitted starts at its left (the trigger); the rest is a pan away.
    const x = b.w * k > el.clientWidth - pad * 2 ? pad - b.x * k : (el.clientWidth - b.w * k) / 2 - b.x * k;
    setView({ k, x, y: (el.clientHeight - b.h * k) / 2 - b.y * k });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: fits when asked (fitKey), not on every edit
  useLayoutEffect(fit, [props.fitKey]);

  // Wheel: Ctrl/⌘ (and trackpad pinch, which arrives as ctrl+wheel) zooms at the pointer; plain scroll pans.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      setView((v) => {
        if (e.ctrlKey || e.metaKey) {
          const k = Math.min(MAX_K, Math.max(MIN_K, v.k * Math.exp(-e.deltaY / 300)));
          const cx = e.clientX - r.left;
          const cy = e.clientY - r.top;
          return { k, x: cx - ((cx - v.x) / v.k) * k, y: cy - ((cy - v.y) / v.k) * k };
        }
        return { ...v, x: v.x - e.deltaX, y: v.y - e.deltaY };
      });
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const startPinch = () => {
    const [a, b] = [...pointers.current.values()];
    if (!a || !b) return;
    const r = box.current?.getBoundingClientRect();
    gesture.current = {
      kind: "pinch",
      dist: Math.hypot(a.x - b.x, a.y - b.y),
      view,
      cx: (a.x + b.x) / 2 - (r?.left ?? 0),
      cy: (a.y + b.y) / 2 - (r?.top ?? 0),
    };
  };
  // Pointer capture starts with the first movement (see onMove), so a plain click or double click
  // still reaches the node or port under the pointer.
  const track = (e: PointerEvent) => {
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.current.size === 2) {
      startPinch();
      return true;
    }
    return false;
  };

  const onBackgroundDown = (e: PointerEvent) => {
    if (track(e) || e.button !== 0) return;
    gesture.current = { kind: "pan", x: e.clientX, y: e.clientY, view, moved: false };
  };
  const onNodeDown = (e: PointerEvent, id: string) => {
    e.stopPropagation();
    if (track(e) || e.button !== 0) return;
    let sel = selection;
    if (e.shiftKey || e.metaKey || e.ctrlKey) {
      sel = new Set(selection);
      if (sel.has(id)) sel.delete(id);
      else sel.add(id);
      onSelect(sel);
    } else if (!selection.has(id)) {
      sel = new Set([id]);
      onSelect(sel);
    }
    if (readOnly) return;
    const ids = new Set([...sel].filter((s) => !s.startsWith("edge:")));
    gesture.current = { kind: "move", x: e.clientX, y: e.clientY, ids, start: def, key: `drag:${e.timeStamp}` };
  };
  const onPortDown = (e: PointerEvent, id: string, port: string) => {
    e.stopPropagation();
    if (readOnly || track(e) || e.button !== 0) return;
    const node = def.nodes.find((n) => n.id === id);
    const ports = portsById.get(id) ?? [];
    if (!node) return;
    gesture.current = {
      kind: "connect",
      from: id,
      port,
      x0: node.position.x + NODE_W,
      y0: node.position.y + portY(ports.indexOf(port), ports.length),
      sx: e.clientX,
      sy: e.clientY,
      moved: false,
    };
  };
  const onMove = (e: PointerEvent) => {
    if (pointers.current.has(e.pointerId)) pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const g = gesture.current;
    if (!g) return;
    if (!box.current?.hasPointerCapture(e.pointerId)) box.current?.setPointerCapture(e.pointerId);
    if (g.kind === "pinch") {
      const [a, b] = [...pointers.current.values()];
      if (a && b) zoomAt((g.view.k * Math.hypot(a.x - b.x, a.y - b.y)) / g.dist, g.cx, g.cy, g.view);
    } else if (g.kind === "pan") {
      g.moved ||= Math.abs(e.clientX - g.x) + Math.abs(e.clientY - g.y) > 3;
      setView({ ...g.view, x: g.view.x + e.clientX - g.x, y: g.view.y + e.clientY - g.y });
    } else if (g.kind === "move") {
      const dx = (e.clientX - g.x) / view.k;
      const dy = (e.clientY - g.y) / view.k;
      if (Math.abs(dx) + Math.abs(dy) > 2) onChange?.(moveNodes(g.start, g.ids, dx, dy), g.key);
    } else {
      g.moved ||= Math.abs(e.clientX - g.sx) + Math.abs(e.clientY - g.sy) > 4;
      const p = toCanvas(e.clientX, e.clientY);
      if (g.moved) setWire({ x1: g.x0, y1: g.y0, x2: p.x, y2: p.y });
    }
  };
  const onUp = (e: PointerEvent) => {
    pointers.current.delete(e.pointerId);
    const g = gesture.current;
    gesture.current = null;
    setWire(null);
    if (!g) return;
    if (g.kind === "pan" && !g.moved && selection.size) onSelect(new Set());
    if (g.kind === "connect") {
      if (!g.moved) {
        setMenu({ node: g.from, port: g.port });
        return;
      }
      const target = document.elementFromPoint(e.clientX, e.clientY)?.closest<HTMLElement>("[data-node-id]")?.dataset.nodeId;
      if (target && target !== g.from) props.onConnect?.(g.from, g.port, target);
    }
  };

  const onNodeKey = (e: KeyboardEvent, id: string) => {
    if (e.target !== e.currentTarget) return; // keys on a port button are the button's
    const ids = selection.has(id) ? new Set([...selection].filter((s) => !s.startsWith("edge:"))) : new Set([id]);
    const d = e.shiftKey ? STEP * 4 : STEP;
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] };
    const arrow = arrows[e.key];
    if (arrow && onChange) {
      e.preventDefault();
      onChange(moveNodes(def, ids, arrow[0], arrow[1]), "keys");
    } else if (e.key === "Enter") {
      e.preventDefault();
      props.onOpen?.(id);
    } else if (e.key === " ") {
      e.preventDefault();
      onSelect(new Set([id]));
    } else if ((e.key === "Delete" || e.key === "Backspace") && props.onDelete) {
      e.preventDefault();
      props.onDelete([...(selection.has(id) ? selection : new Set([id]))]);
    } else if (e.key === "Escape") onSelect(new Set());
  };
  const onBoxKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if ((e.key === "Delete" || e.key === "Backspace") && selection.size && props.onDelete) {
      e.preventDefault();
      props.onDelete([...selection]);
    }
  };
  /** Pans so a node that got focus (Tab) is in view, instead of the browser scrolling the clipped box. */
  const showNode = (id: string) => {
    const el = box.current;
    const n = def.nodes.find((x) => x.id === id);
    if (!el || !n) return;
    const left = n.position.x * view.k + view.x;
    const top = n.position.y * view.k + view.y;
    const w = NODE_W * view.k;
    const m = 24;
    let dx = 0;
    let dy = 0;
    if (left < m) dx = m - left;
    else if (left + w > el.clientWidth - m) dx = el.clientWidth - m - left - w;
    if (top < m) dy = m - top;
    else if (top + 80 * view.k > el.clientHeight - m) dy = el.clientHeight - m - top - 80 * view.k;
    if (dx || dy) setView({ ...view, x: view.x + dx, y: view.y + dy });
  };
  const rect = box.current;
  const zoomBy = (f: number) => zoomAt(view.k * f, (rect?.clientWidth ?? 0) / 2, (rect?.clientHeight ?? 0) / 2);

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
        onPointerDown={onBackgroundDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
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
            wire={wire}
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
              onPointerDown={onNodeDown}
              onPortPointerDown={onPortDown}
              onPortMenu={(node, port) => setMenu({ node, port })}
              onKeyDown={onNodeKey}
              onOpen={(id) => props.onOpen?.(id)}
              // Tabbing to a node selects it; a click's focus is the pointer handler's (it may be a shift-click).
              onFocus={(id) => {
                showNode(id);
                if (pointers.current.size === 0 && !selection.has(id)) onSelect(new Set([id]));
              }}
            />
          ))}
        </div>
      </div>
      <div className="absolute bottom-2 left-2 flex items-center gap-1 rounded-lg border border-line bg-surface p-1 text-sm shadow-sm">
        <ZoomButton label="Zoom out" onClick={() => zoomBy(1 / 1.2)}>
          −
        </ZoomButton>
        <span className="w-12 text-center text-xs tabular-nums text-muted" aria-live="polite">
          {Math.round(view.k * 100)}%
        </span>
        <ZoomButton label="Zoom in" onClick={() => zoomBy(1.2)}>
          +
        </ZoomButton>
        <ZoomButton label="Fit to view" onClick={fit}>
          Fit
        </ZoomButton>
      </div>
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

function ZoomButton({ label, onClick, children }: { label: string; onClick: () => void; children: string }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="h-7 min-w-7 rounded-md px-1.5 text-fg hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent"
    >
      {children}
    </button>
  );
}
