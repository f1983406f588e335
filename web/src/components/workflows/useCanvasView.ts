import { type RefObject, useEffect, useLayoutEffect, useState } from "react";
import { bounds, NODE_W } from "./graph";
import type { NodeTypeInfo, WorkflowDefinition } from "./types";

const MIN_K = 0.25;
const MAX_K = 2;
/** "Fit" never zooms out further than this: below it node names are unreadable. */
const FIT_MIN_K = 0.6;

/** The canvas's pan (x, y, in screen pixels) and zoom (k). */
export interface View {
  x: number;
  y: number;
  k: number;
}

/**
 * The canvas's view: screen ↔ canvas coordinates, zoom at a point or by a factor, fit the graph
 * (when `fitKey` changes), wheel pan and zoom, and panning a focused node into view.
 */
export function useCanvasView(
  box: RefObject<HTMLDivElement | null>,
  def: WorkflowDefinition,
  types: Map<string, NodeTypeInfo>,
  fitKey: unknown,
) {
  const [view, setView] = useState<View>({ x: 40, y: 40, k: 1 });

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
  useLayoutEffect(fit, [fitKey]);

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
  }, [box]);

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

  return { view, setView, toCanvas, zoomAt, zoomBy, fit, showNode };
}
