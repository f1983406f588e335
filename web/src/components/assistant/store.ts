/**
 * Whether the assistant panel is open, and a question handed to it from elsewhere (the command
 * palette's "Ask: …"). A tiny external store so the top-bar button, the shortcut, the palette and
 * the shell's layout all read the same state without a provider.
 */
import { useEffect, useRef, useSyncExternalStore } from "react";

interface PanelState {
  open: boolean;
  /** A question to send as soon as the panel is ready (consumed once). */
  ask: { text: string; seq: number } | null;
}

let state: PanelState = { open: false, ask: null };
let seq = 0;
const listeners = new Set<() => void>();
const set = (next: Partial<PanelState>) => {
  state = { ...state, ...next };
  for (const f of listeners) f();
};
const subscribe = (f: () => void) => {
  listeners.add(f);
  return () => listeners.delete(f);
};

export const openAssistant = (question?: string) =>
  set({ open: true, ask: question?.trim() ? { text: question.trim(), seq: ++seq } : state.ask });
export const closeAssistant = () => set({ open: false });
export const toggleAssistant = () => set({ open: !state.open });
/** The panel takes the pending question (null when there is none). */
export const takeQuestion = (): string | null => {
  const q = state.ask?.text ?? null;
  if (q) state = { ...state, ask: null };
  return q;
};

export const useAssistantOpen = () => useSyncExternalStore(subscribe, () => state.open);
export const usePendingQuestion = () => useSyncExternalStore(subscribe, () => state.ask?.seq ?? 0);

export const isMacLike = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** Ctrl-J (Cmd-J on a Mac) toggles the panel from anywhere in the app. */
export function useAssistantShortcut() {
  const ref = useRef(toggleAssistant);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === "j" && (e.metaKey || e.ctrlKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        ref.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
