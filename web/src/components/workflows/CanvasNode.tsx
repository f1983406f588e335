import type { KeyboardEvent, PointerEvent } from "react";
import { cx } from "../ui/cx";
import { NODE_W, nodeHeight, portY } from "./graph";
import type { NodeTypeInfo, WorkflowNode } from "./types";

/** Run-page colours for a step's status. */
export const STATUS_RING: Record<string, string> = {
  completed: "border-success ring-2 ring-success/40",
  succeeded: "border-success ring-2 ring-success/40",
  running: "border-accent ring-2 ring-accent/40",
  waiting: "border-warning ring-2 ring-warning/40",
  paused: "border-warning ring-2 ring-warning/40",
  failed: "border-danger ring-2 ring-danger/40",
  cancelled: "border-line opacity-70",
  skipped: "border-line opacity-60",
};

const CATEGORY_BAR: Record<string, string> = {
  trigger: "bg-accent",
  logic: "bg-warning",
  flow: "bg-warning",
  actions: "bg-success",
  action: "bg-success",
  ai: "bg-accent",
  human: "bg-danger",
};

interface Props {
  node: WorkflowNode;
  info: NodeTypeInfo | undefined;
  ports: string[];
  selected: boolean;
  status?: string;
  errorCount: number;
  readOnly: boolean;
  onPointerDown: (e: PointerEvent, id: string) => void;
  onPortPointerDown: (e: PointerEvent, id: string, port: string) => void;
  onPortMenu: (id: string, port: string) => void;
  onKeyDown: (e: KeyboardEvent, id: string) => void;
  onOpen: (id: string) => void;
  onFocus: (id: string) => void;
}

/** One node on the canvas: focusable (Tab), its output ports are buttons (drag, or Enter for the port menu). */
export function CanvasNode({ node, info, ports, selected, status, errorCount, readOnly, ...on }: Props) {
  const h = nodeHeight(ports.length);
  const kind = node.type === "trigger" ? "Trigger" : (info?.label ?? node.type);
  const category = node.type === "trigger" ? "trigger" : (info?.category ?? "").toLowerCase();
  const at = `translate(${node.position.x}px, ${node.position.y}px)`;
  return (
    <>
      {/* The node and its ports are siblings: a button's name is its text, and the ports are buttons of their own. */}
      {/* biome-ignore lint/a11y/useSemanticElements: a positioned canvas node with rich content; <button> would flatten it */}
      <div
        role="button"
        tabIndex={0}
        data-node-id={node.id}
        aria-pressed={selected}
        // Its accessible name is its text: "<name> <kind>[ · <status>][ N errors]" (the leading spaces keep the words apart).
        onPointerDown={(e) => on.onPointerDown(e, node.id)}
        onKeyDown={(e) => on.onKeyDown(e, node.id)}
        onDoubleClick={() => on.onOpen(node.id)}
        onFocus={() => on.onFocus(node.id)}
        style={{ transform: at, width: NODE_W, height: h }}
        className={cx(
          "absolute top-0 left-0 flex cursor-grab touch-none rounded-xl border bg-surface shadow-sm select-none active:cursor-grabbing",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent",
          status ? STATUS_RING[status] : "border-line",
          selected && "!border-accent ring-2 ring-accent/50",
          errorCount > 0 && !selected && "!border-danger",
        )}
      >
        <span aria-hidden="true" className={cx("w-1.5 shrink-0 rounded-l-xl", CATEGORY_BAR[category] ?? "bg-muted")} />
        <span className="flex min-w-0 flex-1 flex-col justify-center px-3 pr-16">
          <span className="truncate text-sm font-medium text-fg">{node.name}</span>
          <span className="truncate text-xs text-muted">
            {` ${kind}`}
            {status && <span className="ml-1 font-medium"> · {status}</span>}
          </span>
          {errorCount > 0 && (
            <span className="mt-0.5 text-xs font-medium text-danger">
              {` ${errorCount}`} error{errorCount === 1 ? "" : "s"}
            </span>
          )}
        </span>
        {node.type !== "trigger" && (
          <span
            aria-hidden="true"
            className="absolute top-1/2 -left-1.5 size-3 -translate-y-1/2 rounded-full border-2 border-muted bg-surface"
          />
        )}
      </div>
      <div
        aria-hidden={readOnly || undefined}
        className="pointer-events-none absolute top-0 left-0"
        style={{ transform: at, width: NODE_W, height: h }}
      >
        {ports.map((p, i) => (
          <span
            key={p}
            className="pointer-events-auto absolute right-0 flex items-center"
            style={{ top: portY(i, ports.length) - 10, height: 20 }}
          >
            {p !== "next" && (
              <span aria-hidden="true" className={cx("mr-1 text-[11px] leading-none", p === "error" ? "text-danger" : "text-muted")}>
                {p}
              </span>
            )}
            <button
              type="button"
              data-port={p}
              disabled={readOnly}
              aria-label={`Connect ${node.name} ${p === "next" ? "" : `"${p}" `}output to…`}
              onPointerDown={(e) => on.onPortPointerDown(e, node.id, p)}
              // A mouse click is handled on pointer up (it may be a drag); Enter/Space arrive as a click with detail 0.
              onClick={(e) => e.detail === 0 && on.onPortMenu(node.id, p)}
              className={cx(
                "-mr-2 size-4 cursor-crosshair rounded-full border-2 bg-surface hover:scale-125 disabled:cursor-default",
                "focus-visible:outline-2 focus-visible:outline-accent",
                p === "error" ? "border-danger" : "border-accent",
              )}
            />
          </span>
        ))}
      </div>
    </>
  );
}
