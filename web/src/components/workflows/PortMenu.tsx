import { type KeyboardEvent, useEffect, useRef } from "react";
import { portOf } from "./graph";
import type { WorkflowDefinition } from "./types";

/**
 * Connect without a mouse: opened from an output port (Enter on it, or a click), it lists the nodes
 * this port can lead to; arrows move, Enter picks, Escape closes and returns to the port.
 */
export function PortMenu({
  def,
  from,
  port,
  onConnect,
  onDisconnect,
  onClose,
}: {
  def: WorkflowDefinition;
  from: string;
  port: string;
  onConnect: (to: string) => void;
  onDisconnect: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const source = def.nodes.find((n) => n.id === from);
  const current = def.edges.find((e) => e.from === from && portOf(e) === port)?.to;
  const targets = def.nodes.filter((n) => n.id !== from && n.type !== "trigger");
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "ArrowDown") items[(i + 1) % items.length]?.focus();
    else if (e.key === "ArrowUp") items[(i - 1 + items.length) % items.length]?.focus();
    else if (e.key === "Escape" || e.key === "Tab") onClose();
    else return;
    e.preventDefault();
  };
  const pick = (f: () => void) => () => {
    f();
    onClose();
  };
  return (
    <div
      ref={ref}
      role="menu"
      aria-label={`Connect ${source?.name ?? from} ${port} to`}
      onKeyDown={onKey}
      className="absolute top-2 right-2 z-10 max-h-[80%] w-64 overflow-y-auto rounded-xl border border-line bg-surface p-1 text-sm shadow-xl"
    >
      <p className="px-2 py-1.5 text-xs text-muted">
        Connect <strong className="text-fg">{source?.name}</strong>
        {port !== "next" && <> · {port}</>} to:
      </p>
      {targets.length === 0 && <p className="px-2 py-1.5 text-muted">Add another node first.</p>}
      {targets.map((n) => (
        <button
          key={n.id}
          type="button"
          role="menuitem"
          onClick={pick(() => onConnect(n.id))}
          className="flex w-full items-center justify-between rounded-lg px-2 py-1.5 text-left hover:bg-subtle focus-visible:bg-subtle focus-visible:outline-none"
        >
          <span className="truncate">{n.name}</span>
          {current === n.id && <span className="text-xs text-accent">connected</span>}
        </button>
      ))}
      {current && (
        <button
          type="button"
          role="menuitem"
          onClick={pick(onDisconnect)}
          className="w-full rounded-lg px-2 py-1.5 text-left text-danger hover:bg-subtle focus-visible:bg-subtle focus-visible:outline-none"
        >
          Disconnect
        </button>
      )}
      <button
        type="button"
        role="menuitem"
        onClick={onClose}
        className="w-full rounded-lg px-2 py-1.5 text-left text-muted hover:bg-subtle focus-visible:bg-subtle focus-visible:outline-none"
      >
        Cancel
      </button>
    </div>
  );
}
