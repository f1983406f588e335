import { type PointerEvent, type RefObject, useRef, useState } from "react";
import { moveNodes, NODE_W, portY } from "./graph";
import type { WorkflowDefinition } from "./types";
import type { View } from "./useCanvasView";

type Gesture =
  | { kind: "pan"; x: number; y: number; view: View; moved: boolean }
  | { kind: "move"; x: number; y: number; ids: Set<string>; start: WorkflowDefinition; key: string }
  | { kind: "connect"; from: string; port: string; x0: number; y0: number; sx: number; sy: number; moved: boolean }
  | { kind: "pinch"; dist: number; view: View; cx: number; cy: number };

/** A connection being dragged from a port, in canvas coordinates. */
export interface Wire {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * The canvas's pointer gestures: pan (drag the background), pinch zoom (two pointers), select and
 * move nodes, drag a connection from an output port to a node, and a click on a port opening its menu.
 */
export function useCanvasPointer({
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
  onConnect,
  onPortMenu,
}: {
  box: RefObject<HTMLDivElement | null>;
  view: View;
  setView: (v: View) => void;
  zoomAt: (k: number, cx: number, cy: number, from?: View) => void;
  toCanvas: (clientX: number, clientY: number) => { x: number; y: number };
  def: WorkflowDefinition;
  portsById: Map<string, string[]>;
  selection: Set<string>;
  onSelect: (s: Set<string>) => void;
  /** Absent: read-only (selection only). */
  onChange?: (def: WorkflowDefinition, key?: string) => void;
  onConnect?: (from: string, port: string, to: string) => void;
  onPortMenu: (node: string, port: string) => void;
}) {
  const readOnly = !onChange;
  const gesture = useRef<Gesture | null>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const [wire, setWire] = useState<Wire | null>(null);

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
        onPortMenu(g.from, g.port);
        return;
      }
      const target = document.elementFromPoint(e.clientX, e.clientY)?.closest<HTMLElement>("[data-node-id]")?.dataset.nodeId;
      if (target && target !== g.from) onConnect?.(g.from, g.port, target);
    }
  };

  /** True while a pointer is down: a node's focus then comes from a click, not from Tab. */
  const pointerDown = () => pointers.current.size > 0;
  return { wire, pointerDown, onBackgroundDown, onNodeDown, onPortDown, onMove, onUp };
}
