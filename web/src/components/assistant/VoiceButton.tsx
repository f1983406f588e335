import { useEffect, useRef, useState } from "react";
import { cx } from "../ui/cx";
import { MicIcon } from "./icons";

/** The part of the Web Speech API used here (TypeScript's DOM library does not declare it). */
interface Recognition {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  start(): void;
  stop(): void;
  abort(): void;
  onresult: ((e: { resultIndex: number; results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }> }) => void) | null;
  onend: (() => void) | null;
  onerror: ((e: { error: string }) => void) | null;
}
type RecognitionCtor = new () => Recognition;

export function speechRecognition(): RecognitionCtor | null {
  if (typeof window === "undefined") return null;
  const w = window as unknown as { SpeechRecognition?: RecognitionCtor; webkitSpeechRecognition?: RecognitionCtor };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
}

/**
 * Dictation through the browser's speech recognition, in the panel's language. The words go into the
 * message field (interim results as they come); the person still reviews and sends. Not rendered where
 * the browser has no speech recognition.
 */
export function VoiceButton({
  lang,
  labels,
  onStart,
  onText,
  disabled,
}: {
  lang: string;
  labels: { start: string; stop: string; listening: string };
  /** Dictation starts: what the field holds now (the dictated words are added after it). */
  onStart: () => void;
  /** The words dictated so far in this session. */
  onText: (text: string) => void;
  disabled?: boolean;
}) {
  const Ctor = speechRecognition();
  const [listening, setListening] = useState(false);
  const rec = useRef<Recognition | null>(null);
  useEffect(() => () => rec.current?.abort(), []);
  if (!Ctor) return null;

  const toggle = () => {
    if (listening) {
      rec.current?.stop();
      return;
    }
    const r = new Ctor();
    r.lang = lang;
    r.interimResults = true;
    r.continuous = false;
    r.onresult = (e) => {
      let text = "";
      for (let i = 0; i < e.results.length; i++) text += e.results[i]?.[0]?.transcript ?? "";
      onText(text.trim());
    };
    r.onend = () => setListening(false);
    r.onerror = () => setListening(false);
    rec.current = r;
    onStart();
    r.start();
    setListening(true);
  };

  return (
    <>
      <button
        type="button"
        onClick={toggle}
        disabled={disabled}
        aria-pressed={listening}
        aria-label={listening ? labels.stop : labels.start}
        title={listening ? labels.stop : labels.start}
        className={cx(
          "flex size-9 shrink-0 items-center justify-center rounded-lg disabled:opacity-50",
          listening ? "bg-danger-soft text-danger" : "text-muted hover:bg-subtle hover:text-fg",
        )}
      >
        <MicIcon className={cx("size-5", listening && "animate-pulse")} />
      </button>
      {listening && (
        <span className="sr-only" role="status">
          {labels.listening}
        </span>
      )}
    </>
  );
}
