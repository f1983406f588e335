import { useCallback, useRef, useState } from "react";

const LIMIT = 100;
const MERGE_MS = 800;

/**
 * A value with an undo/redo stack. `set(next, key)` with the same `key` within a moment replaces
 * the last entry instead of pushing one, so a drag, a run of arrow-key moves or typing in a field
 * is one undo step.
 */
export function useHistory<T>(initial: T) {
  const [state, setState] = useState({ past: [] as T[], present: initial, future: [] as T[] });
  const last = useRef<{ key: string; at: number } | null>(null);

  const set = useCallback((next: T | ((prev: T) => T), key?: string) => {
    setState((s) => {
      const value = typeof next === "function" ? (next as (p: T) => T)(s.present) : next;
      if (Object.is(value, s.present)) return s;
      const now = Date.now();
      const merge = key !== undefined && last.current?.key === key && now - last.current.at < MERGE_MS;
      last.current = key === undefined ? null : { key, at: now };
      const past = merge ? s.past : [...s.past, s.present].slice(-LIMIT);
      return { past, present: value, future: [] };
    });
  }, []);
  const undo = useCallback(() => {
    last.current = null;
    setState((s) => {
      const prev = s.past.at(-1);
      if (prev === undefined) return s;
      return { past: s.past.slice(0, -1), present: prev, future: [s.present, ...s.future] };
    });
  }, []);
  const redo = useCallback(() => {
    last.current = null;
    setState((s) => {
      const [next, ...rest] = s.future;
      if (next === undefined) return s;
      return { past: [...s.past, s.present], present: next, future: rest };
    });
  }, []);
  /** Replaces the value and forgets the history (a definition loaded from the server). */
  const reset = useCallback((value: T) => {
    last.current = null;
    setState({ past: [], present: value, future: [] });
  }, []);
  return { value: state.present, set, undo, redo, reset, canUndo: state.past.length > 0, canRedo: state.future.length > 0 };
}
