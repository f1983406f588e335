import type { ChatSettings } from "../../lib/api-types";

/** A static, live-updating preview of the widget's look (colour, position, theme, greeting, pre-chat form). */
export function WidgetPreview({ s, title }: { s: Pick<ChatSettings, "color" | "position" | "theme" | "greeting" | "prechat" | "title">; title: string }) {
  const dark = s.theme === "dark";
  const bg = dark ? "#111827" : "#ffffff";
  const fg = dark ? "#f3f4f6" : "#111827";
  const bubble = dark ? "#1f2937" : "#f3f4f6";
  const showForm = s.prechat.enabled && (s.prechat.name !== "off" || s.prechat.email !== "off");
  return (
    <figure className="relative h-[420px] overflow-hidden rounded-xl border border-line bg-subtle" aria-label="Widget preview">
      <figcaption className="absolute left-3 top-2 text-xs text-muted">Preview{s.theme === "auto" ? " (follows the site: light shown)" : ""}</figcaption>
      <div className="absolute bottom-20 flex h-[300px] w-[260px] flex-col overflow-hidden rounded-xl shadow-xl" style={{ [s.position === "left" ? "left" : "right"]: 16, background: bg, color: fg }}>
        <div className="px-3 py-2.5 text-sm font-semibold text-white" style={{ background: s.color }}>{s.title || title}<div className="text-[11px] font-normal opacity-90">● 1 online</div></div>
        <div className="flex-1 space-y-2 p-3 text-xs">
          <div className="max-w-[85%] rounded-xl px-2.5 py-1.5" style={{ background: bubble }}>{s.greeting}</div>
          {showForm ? (
            <div className="space-y-1.5 rounded-lg border p-2" style={{ borderColor: dark ? "#374151" : "#e5e7eb" }}>
              {s.prechat.name !== "off" && <div className="h-6 rounded border px-1.5 leading-6 opacity-70" style={{ borderColor: dark ? "#374151" : "#e5e7eb" }}>Name{s.prechat.name === "optional" ? " (optional)" : ""}</div>}
              {s.prechat.email !== "off" && <div className="h-6 rounded border px-1.5 leading-6 opacity-70" style={{ borderColor: dark ? "#374151" : "#e5e7eb" }}>Email{s.prechat.email === "optional" ? " (optional)" : ""}</div>}
              <div className="rounded px-2 py-1 text-center font-semibold text-white" style={{ background: s.color }}>Start a conversation</div>
            </div>
          ) : (
            <div className="ml-auto max-w-[80%] rounded-xl px-2.5 py-1.5 text-white" style={{ background: s.color }}>Hi! I have a question</div>
          )}
        </div>
        <div className="m-2 h-7 rounded-lg border" style={{ borderColor: dark ? "#374151" : "#e5e7eb" }} />
      </div>
      <div className="absolute bottom-4 flex size-12 items-center justify-center rounded-full text-white shadow-lg" style={{ [s.position === "left" ? "left" : "right"]: 16, background: s.color }} aria-hidden="true">💬</div>
    </figure>
  );
}
