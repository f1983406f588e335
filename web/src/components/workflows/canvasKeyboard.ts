import type { KeyboardEvent } from "react";
import { moveNodes } from "./graph";
import type { WorkflowDefinition } from "./types";

/** An arrow key moves nodes this far (Shift: four times as far). */
const STEP = 16;

/**
 * The canvas's keys. On a node: arrows move it (with the rest of the selection), Enter opens it,
 * Space selects it, Delete removes, Escape clears the selection. On the canvas itself: Delete
 * removes the selection (a selected edge has no element of its own to take focus).
 */
export function canvasKeyHandlers({
  def,
  selection,
  onSelect,
  onChange,
  onOpen,
  onDelete,
}: {
  def: WorkflowDefinition;
  selection: Set<string>;
  onSelect: (s: Set<string>) => void;
  onChange?: (def: WorkflowDefinition, key?: string) => void;
  onOpen?: (id: string) => void;
  onDelete?: (ids: string[]) => void;
}) {
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
      onOpen?.(id);
    } else if (e.key === " ") {
      e.preventDefault();
      onSelect(new Set([id]));
    } else if ((e.key === "Delete" || e.key === "Backspace") && onDelete) {
      e.preventDefault();
      onDelete([...(selection.has(id) ? selection : new Set([id]))]);
    } else if (e.key === "Escape") onSelect(new Set());
  };
  const onBoxKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if ((e.key === "Delete" || e.key === "Backspace") && selection.size && onDelete) {
      e.preventDefault();
      onDelete([...selection]);
    }
  };
  return { onNodeKey, onBoxKey };
}
