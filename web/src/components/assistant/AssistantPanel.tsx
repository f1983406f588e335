import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { CloseIcon, PlusIcon } from "../icons";
import { useWorkspace } from "../../lib/workspace";
import { cx } from "../ui/cx";
import { ConversationView } from "./ConversationView";
import { HistoryList } from "./HistoryList";
import { LOCALES, setAssistantLocale, useAssistantLocale } from "./i18n";
import { AssistantIcon, HistoryIcon } from "./icons";
import {
  closeAssistant,
  isMacLike,
  takeQuestion,
  toggleAssistant,
  useAssistantOpen,
  useAssistantShortcut,
  usePendingQuestion,
} from "./store";
import type { AssistantLocale } from "./types";
import { useConversation } from "./useConversation";

/** Where the panel docks beside the page instead of covering it (Tailwind's lg, as the sidebar). */
const WIDE = "(min-width: 1024px)";
const subscribeWide = (f: () => void) => {
  const m = window.matchMedia(WIDE);
  m.addEventListener("change", f);
  return () => m.removeEventListener("change", f);
};
const useWide = () => useSyncExternalStore(subscribeWide, () => window.matchMedia(WIDE).matches);

/** The shell's room for the docked panel (AppShell pads the page by this on wide screens). */
export const ASSISTANT_DOCK_CLASS = "lg:pr-[22rem] xl:pr-[26rem]";

/** The top bar's toggle (Ctrl/Cmd-J). */
export function AssistantButton() {
  const open = useAssistantOpen();
  const [, t] = useAssistantLocale();
  const ws = useWorkspace();
  const mac = isMacLike();
  if (!ws.can("assistant:use")) return null;
  return (
    <button
      type="button"
      id="assistant-toggle"
      onClick={toggleAssistant}
      aria-label={open ? t.close : t.open}
      aria-expanded={open}
      aria-controls="assistant-panel"
      aria-keyshortcuts={mac ? "Meta+J" : "Control+J"}
      title={`${open ? t.close : t.open} (${mac ? "⌘" : "Ctrl"} J)`}
      className={cx("rounded-lg p-2 hover:bg-subtle hover:text-fg", open ? "bg-accent-soft text-accent" : "text-muted")}
    >
      <AssistantIcon />
    </button>
  );
}

/**
 * The assistant side panel. On wide screens it docks beside the page (non-modal: the page stays
 * usable and focus moves freely); on phones it is a modal sheet (focus trapped, the page inert).
 * Escape closes it and focus returns to what opened it.
 */
export function AssistantPanel() {
  const open = useAssistantOpen();
  const wide = useWide();
  const pending = usePendingQuestion();
  const [locale, t] = useAssistantLocale();
  const [view, setView] = useState<"chat" | "history">("chat");
  const convo = useConversation(locale, t);
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<Element | null>(null);
  useAssistantShortcut();

  // Open / close the <dialog> in the mode that fits the width (re-opened when the width class changes).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only opening, closing and the width class move focus
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open) {
      if (!d.open) opener.current = document.activeElement;
      if (d.open) d.close();
      if (wide) d.show();
      else d.showModal();
      // After this commit's other effects (the palette, closing, hands focus back to its opener).
      setTimeout(() => view === "chat" && input.current?.focus(), 0);
    } else if (d.open) {
      d.close();
      // Back to what opened it; the toggle when that is gone (the palette's field, say).
      const o = opener.current as HTMLElement | null;
      if (o?.isConnected && o.offsetParent !== null) o.focus();
      else document.getElementById("assistant-toggle")?.focus();
    }
  }, [open, wide]);

  // A question handed over by the command palette: a new conversation with it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per handed-over question
  useEffect(() => {
    if (!pending) return;
    const q = takeQuestion();
    if (!q) return;
    setView("chat");
    void convo.send(q, true);
  }, [pending]);

  const newConversation = () => {
    convo.reset();
    setView("chat");
    setTimeout(() => input.current?.focus(), 0);
  };
  const openConversation = (id: string) => {
    setView("chat");
    void convo.open(id);
    setTimeout(() => input.current?.focus(), 0);
  };

  return (
    <dialog
      ref={ref}
      id="assistant-panel"
      aria-label={t.title}
      onCancel={(e) => {
        // React bubbles a nested dialog's cancel (the delete confirmation) up to here: only our own closes the panel.
        if (e.target !== ref.current) return;
        e.preventDefault();
        closeAssistant();
      }}
      onKeyDown={(e) => {
        // Escape in the docked (non-modal) panel; nested dialogs and menus handle their own.
        if (e.key === "Escape" && !e.defaultPrevented && (e.target as Element).closest("dialog") === ref.current) {
          e.preventDefault();
          closeAssistant();
        }
      }}
      onClick={(e) => e.target === ref.current && !wide && closeAssistant()}
      className={cx(
        "fixed inset-y-0 right-0 left-auto z-40 m-0 h-dvh max-h-none border-l border-line bg-surface p-0 text-fg",
        "w-full max-w-md shadow-2xl lg:w-[22rem] lg:max-w-none lg:shadow-none xl:w-[26rem]",
      )}
    >
      {open && (
        <div className="flex h-full flex-col">
          <div className="flex h-14 shrink-0 items-center gap-1 border-b border-line px-3">
            <AssistantIcon className="size-5 text-accent" />
            <h2 className="mr-auto ml-1.5 truncate text-sm font-semibold">{view === "history" ? t.history : t.title}</h2>
            <label htmlFor="assistant-locale" className="sr-only">
              {t.language}
            </label>
            <select
              id="assistant-locale"
              value={locale}
              onChange={(e) => setAssistantLocale(e.target.value as AssistantLocale)}
              className="h-8 rounded-lg border border-line bg-surface px-1.5 text-xs text-fg"
            >
              {LOCALES.map((l) => (
                <option key={l.id} value={l.id} lang={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={() => setView(view === "history" ? "chat" : "history")}
              aria-label={view === "history" ? t.backToChat : t.history}
              aria-pressed={view === "history"}
              title={view === "history" ? t.backToChat : t.history}
              className="rounded-lg p-2 text-muted hover:bg-subtle hover:text-fg"
            >
              <HistoryIcon className="size-4.5" />
            </button>
            <button
              type="button"
              onClick={newConversation}
              aria-label={t.newConversation}
              title={t.newConversation}
              className="rounded-lg p-2 text-muted hover:bg-subtle hover:text-fg"
            >
              <PlusIcon className="size-4.5" />
            </button>
            <button
              type="button"
              onClick={closeAssistant}
              aria-label={t.close}
              title={t.close}
              className="rounded-lg p-2 text-muted hover:bg-subtle hover:text-fg"
            >
              <CloseIcon className="size-4.5" />
            </button>
          </div>
          <div lang={locale} className="flex min-h-0 flex-1 flex-col">
            {view === "history" ? (
              <HistoryList
                t={t}
                locale={locale}
                currentId={convo.conversationId}
                onOpen={openConversation}
                onDeleted={(id) => id === convo.conversationId && convo.reset()}
              />
            ) : (
              <ConversationView convo={convo} t={t} locale={locale} inputRef={input} onNavigate={() => !wide && closeAssistant()} />
            )}
          </div>
          {/* Polite: the finished answer (or action result), never each streamed token. */}
          <div role="status" aria-live="polite" className="sr-only">
            {convo.busy ? t.answering : convo.announcement ? `${t.answered} ${convo.announcement}` : ""}
          </div>
        </div>
      )}
    </dialog>
  );
}
