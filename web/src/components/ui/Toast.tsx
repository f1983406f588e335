import { useEffect, useSyncExternalStore } from "react";
import { cx } from "./cx";

type Tone = "success" | "error" | "info";
interface Item {
  id: number;
  tone: Tone;
  message: string;
}

let items: Item[] = [];
let seq = 0;
const subs = new Set<() => void>();
const emit = () => subs.forEach((f) => f());

function push(tone: Tone, message: string) {
  const id = ++seq;
  items = [...items.slice(-3), { id, tone, message }];
  emit();
  setTimeout(() => dismiss(id), tone === "error" ? 8000 : 4000);
}
function dismiss(id: number) {
  items = items.filter((t) => t.id !== id);
  emit();
}

export const toast = {
  success: (m: string) => push("success", m),
  error: (m: string) => push("error", m),
  info: (m: string) => push("info", m),
};

const tones: Record<Tone, string> = {
  success: "border-success/40",
  error: "border-danger/50",
  info: "border-line",
};
const dots: Record<Tone, string> = { success: "bg-success", error: "bg-danger", info: "bg-accent" };

/** Toasts render in polite/assertive live regions so screen readers announce them. */
export function Toaster() {
  const list = useSyncExternalStore(
    (f) => (subs.add(f), () => subs.delete(f)),
    () => items,
  );
  useEffect(() => () => void (items = []), []);
  const region = (tone: "polite" | "assertive", filter: (t: Item) => boolean) => (
    <div aria-live={tone} className="contents">
      {list.filter(filter).map((t) => (
        <div
          key={t.id}
          role={t.tone === "error" ? "alert" : "status"}
          className={cx(
            "animate-toast pointer-events-auto flex items-start gap-3 rounded-xl border bg-surface px-4 py-3 text-sm text-fg shadow-lg",
            tones[t.tone],
          )}
        >
          <span aria-hidden="true" className={cx("mt-1.5 size-2 shrink-0 rounded-full", dots[t.tone])} />
          <p className="flex-1">{t.message}</p>
          <button
            type="button"
            onClick={() => dismiss(t.id)}
            className="-m-1 rounded p-1 text-muted hover:text-fg"
            aria-label="Dismiss notification"
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end">
      {region("polite", (t) => t.tone !== "error")}
      {region("assertive", (t) => t.tone === "error")}
    </div>
  );
}
