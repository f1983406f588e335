import { type KeyboardEvent, type RefObject, useEffect, useRef, useState } from "react";
import { Spinner } from "../ui/Spinner";
import { LOCALES, type Messages } from "./i18n";
import { ArrowUpIcon, AssistantIcon, StopIcon } from "./icons";
import { AssistantLine, ErrorLine, ToolLine, UserLine } from "./ItemViews";
import { ProposalCard } from "./ProposalCard";
import type { AssistantLocale } from "./types";
import type { ConversationApi } from "./useConversation";
import { VoiceButton } from "./VoiceButton";

/** The messages of one conversation and the composer below them. */
export function ConversationView({
  convo,
  t,
  locale,
  inputRef,
  onNavigate,
}: {
  convo: ConversationApi;
  t: Messages;
  locale: AssistantLocale;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** A citation link was followed (the panel closes where it covers the page). */
  onNavigate: () => void;
}) {
  const [draft, setDraft] = useState("");
  // What was typed before dictation started; dictated words go after it.
  const typed = useRef("");
  const scroller = useRef<HTMLDivElement>(null);
  const { items, busy, loading } = convo;

  // Follow the conversation as it grows (the newest line in view).
  const last = items[items.length - 1];
  const lastSize = last?.kind === "assistant" ? last.text.length : 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll on every new item or streamed text
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [items.length, lastSize]);

  const submit = () => {
    const text = draft.trim();
    if (!text || busy) return;
    setDraft("");
    void convo.send(text);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  const thinking = busy && last?.kind !== "assistant";

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div ref={scroller} className="min-h-0 flex-1 space-y-3 overflow-y-auto px-4 py-4">
        {loading ? (
          <p className="flex items-center gap-2 text-sm text-muted">
            <Spinner className="size-4" /> {t.loading}
          </p>
        ) : items.length === 0 ? (
          <div className="px-2 pt-6 text-center">
            <div className="mx-auto mb-3 flex size-12 items-center justify-center rounded-full bg-accent-soft text-accent">
              <AssistantIcon className="size-6" />
            </div>
            <h3 className="text-sm font-semibold">{t.emptyTitle}</h3>
            <p className="mt-1 text-sm text-muted">{t.emptyBody}</p>
            <p className="mt-5 text-xs font-semibold tracking-wide text-muted uppercase">{t.tryAsking}</p>
            <ul className="mt-2 space-y-1.5">
              {t.examples.map((q) => (
                <li key={q}>
                  <button
                    type="button"
                    onClick={() => void convo.send(q)}
                    className="w-full rounded-lg border border-line px-3 py-2 text-left text-sm hover:border-accent/50 hover:bg-subtle"
                  >
                    {q}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          items.map((item) => {
            switch (item.kind) {
              case "user":
                return <UserLine key={item.key} text={item.text} t={t} />;
              case "assistant":
                return <AssistantLine key={item.key} item={item} t={t} onNavigate={onNavigate} />;
              case "tool":
                return <ToolLine key={item.key} item={item} t={t} onNavigate={onNavigate} />;
              case "proposal":
                return (
                  <ProposalCard
                    key={item.key}
                    item={item}
                    t={t}
                    onConfirm={(typed) => convo.confirm(item.proposal.action_id, typed)}
                    onCancel={() => void convo.cancel(item.proposal.action_id)}
                  />
                );
              case "error":
                return <ErrorLine key={item.key} message={item.message} />;
            }
            return null;
          })
        )}
        {thinking && (
          <p className="flex items-center gap-2 text-sm text-muted">
            <Spinner className="size-4" /> {t.thinking}
          </p>
        )}
      </div>

      <form
        className="border-t border-line p-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="flex items-end gap-1.5 rounded-xl border border-line bg-surface p-1.5 shadow-sm focus-within:border-accent">
          <label htmlFor="assistant-input" className="sr-only">
            {t.inputLabel}
          </label>
          <textarea
            id="assistant-input"
            ref={inputRef}
            rows={1}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder={t.placeholder}
            style={{ outline: "none" }}
            className="max-h-40 min-h-9 flex-1 resize-none bg-transparent px-2 py-1.5 text-sm text-fg [field-sizing:content] placeholder:text-muted"
          />
          <VoiceButton
            lang={LOCALES.find((l) => l.id === locale)?.speech ?? "en-US"}
            labels={{ start: t.voiceStart, stop: t.voiceStop, listening: t.listening }}
            onStart={() => {
              typed.current = draft.trim();
            }}
            onText={(words) => setDraft(typed.current ? `${typed.current} ${words}` : words)}
            disabled={busy}
          />
          {busy ? (
            <button
              type="button"
              onClick={convo.stop}
              aria-label={t.stop}
              title={t.stop}
              className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-subtle text-fg hover:bg-line"
            >
              <StopIcon className="size-4" />
            </button>
          ) : (
            <button
              type="submit"
              aria-label={t.send}
              title={t.send}
              disabled={!draft.trim()}
              className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-accent text-accent-fg hover:opacity-90 disabled:opacity-40"
            >
              <ArrowUpIcon className="size-4.5" />
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
