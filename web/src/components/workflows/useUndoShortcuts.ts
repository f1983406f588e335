import { useEffect } from "react";

/**
 * Ctrl/⌘-Z undoes and Ctrl/⌘-Shift-Z or Ctrl/⌘-Y redoes anywhere on the page, except while typing
 * in a field (the field has its own undo). Off when `enabled` is false (read-only).
 */
export function useUndoShortcuts(undo: () => void, redo: () => void, enabled: boolean) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !enabled) return;
      const el = e.target as HTMLElement;
      if (el.closest("input, textarea, select, [contenteditable=true]")) return;
      const k = e.key.toLowerCase();
      if (k === "z" && !e.shiftKey) undo();
      else if ((k === "z" && e.shiftKey) || k === "y") redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, enabled]);
}
