import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api } from "../../lib/api";
import type { ChatSettings, ChatWidgetConfig } from "../../lib/api-types";
import { tkey, useWorkspace } from "../../lib/workspace";

type PreviewSettings = Pick<
  ChatSettings,
  "color" | "position" | "theme" | "greeting" | "prechat" | "title" | "logo_url" | "locale" | "ai_enabled"
>;

const isDark = () => document.documentElement.classList.contains("dark");

/**
 * The real widget (its iframe page in preview mode, /widget/preview) showing the form's unsaved
 * settings; every change is posted to it, so it updates as you type. The preview page has no
 * network access (CSP connect-src 'none') and only this origin may frame it: nothing in it
 * creates a conversation. "Auto" theme follows the dashboard's own light/dark, as it follows the
 * host page on a site. The header shows the workspace's real agent presence (what a visitor would
 * see right now), refreshed every 30 s.
 */
export function WidgetPreview({ s, title }: { s: PreviewSettings; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  const [dark, setDark] = useState(isDark);
  const ws = useWorkspace();
  const presence = useQuery({
    queryKey: tkey(ws.id, "chat", "presence"),
    queryFn: () => api("GET /api/v1/chat/presence"),
    refetchInterval: 30_000,
  });
  const agentsOnline = presence.data?.online ?? 0;

  useEffect(() => {
    const obs = new MutationObserver(() => setDark(isDark()));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
    const onMessage = (e: MessageEvent) => {
      if (e.origin !== location.origin || e.source !== frame.current?.contentWindow) return;
      const d = e.data as { weft?: number; type?: string };
      if (d?.weft === 1 && d.type === "ready") setReady(true);
    };
    addEventListener("message", onMessage);
    return () => (obs.disconnect(), removeEventListener("message", onMessage));
  }, []);

  useEffect(() => {
    if (!ready) return;
    // The same shape GET /public/v1/chat/config gives the widget (the frame fills in the rest).
    const config = {
      tenant: { id: "", name: title },
      title: s.title || title,
      logo_url: s.logo_url || null,
      color: s.color,
      position: s.position,
      theme: s.theme,
      locale: s.locale,
      greeting: s.greeting,
      prechat: s.prechat,
      ai_enabled: s.ai_enabled,
      ai_engine: "local",
      agents_online: agentsOnline,
    } satisfies Partial<ChatWidgetConfig>;
    frame.current?.contentWindow?.postMessage({ weft: 1, type: "preview", config, theme: dark ? "dark" : "light" }, location.origin);
  }, [ready, s, title, dark, agentsOnline]);

  const side = s.position === "left" ? "left" : "right";
  return (
    <figure className="relative h-[560px] overflow-hidden rounded-xl border border-line bg-subtle" aria-label="Widget preview">
      <figcaption className="absolute inset-x-3 top-2 truncate text-xs text-muted">
        Live preview · nothing is sent{s.theme === "auto" ? ` · auto theme: ${dark ? "dark" : "light"} here` : ""}
      </figcaption>
      <div
        className="absolute bottom-20 top-8 w-[300px] max-w-[calc(100%-2rem)] overflow-hidden rounded-[14px] bg-white shadow-xl"
        style={{ [side]: 16 }}
      >
        <iframe
          ref={frame}
          src="/widget/preview"
          title="Chat widget preview"
          className="block size-full border-0"
          sandbox="allow-scripts allow-same-origin"
        />
      </div>
      <div
        className="absolute bottom-4 flex size-12 items-center justify-center rounded-full text-white shadow-lg"
        style={{ [side]: 16, background: s.color }}
        aria-hidden="true"
      >
        <svg
          viewBox="0 0 24 24"
          width="22"
          height="22"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />
        </svg>
      </div>
    </figure>
  );
}
