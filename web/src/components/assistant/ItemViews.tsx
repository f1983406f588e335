import { useNavigate } from "@tanstack/react-router";
import type { MouseEvent } from "react";
import { Markdown } from "../chat/Markdown";
import { Badge } from "../ui/Badge";
import { cx } from "../ui/cx";
import type { Messages } from "./i18n";
import { ToolIcon } from "./icons";
import type { Citation, Item } from "./types";

/** "/api/v1/commerce/orders/{id}/refunds?limit=5" → "refunds": the last path segment that is not a parameter. */
export function toolNoun(path: string): string {
  const segments = path
    .replace(/[?#].*$/, "")
    .replace(/^\/api\/v1\//, "")
    .split("/")
    .filter((s) => s && !s.startsWith("{") && !/^[a-z]+_[0-9a-z]{8,}$/i.test(s));
  return (segments[segments.length - 1] ?? path).replace(/[-_]/g, " ");
}

/** Links to the records an answer used; SPA navigation, closing the panel where it covers the page. */
export function Citations({ citations, label, onNavigate }: { citations: Citation[]; label: string; onNavigate: () => void }) {
  const navigate = useNavigate();
  if (citations.length === 0) return null;
  const go = (e: MouseEvent<HTMLAnchorElement>, href: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || !href.startsWith("/")) return;
    e.preventDefault();
    onNavigate();
    void navigate({ href });
  };
  return (
    <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs">
      <span className="text-muted">{label}:</span>
      {citations.map((c) => (
        <a
          key={`${c.type}:${c.id}`}
          href={c.href}
          onClick={(e) => go(e, c.href)}
          className="max-w-full truncate rounded-full border border-line bg-surface px-2 py-0.5 text-accent hover:border-accent/60 hover:underline"
        >
          {c.label}
        </a>
      ))}
    </div>
  );
}

export function UserLine({ text, t }: { text: string; t: Messages }) {
  return (
    <div className="flex justify-end">
      <div className="max-w-[85%] rounded-2xl rounded-br-md bg-accent px-3.5 py-2 text-sm whitespace-pre-wrap text-accent-fg">
        <span className="sr-only">{t.you}: </span>
        {text}
      </div>
    </div>
  );
}

export function AssistantLine({
  item,
  t,
  onNavigate,
}: {
  item: Extract<Item, { kind: "assistant" }>;
  t: Messages;
  onNavigate: () => void;
}) {
  return (
    <div className="max-w-[92%]">
      <div className="rounded-2xl rounded-bl-md bg-subtle px-3.5 py-2 text-sm text-fg" aria-busy={item.streaming || undefined}>
        <span className="sr-only">{t.answered} </span>
        <Markdown text={item.text} />
        {item.streaming && <span aria-hidden="true" className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-muted align-text-bottom" />}
      </div>
      <Citations citations={item.citations} label={t.sources} onNavigate={onNavigate} />
      {item.local && !item.streaming && (
        <p className="mt-1 text-xs text-muted" title={t.localHint}>
          <Badge>{t.local}</Badge> <span className="sr-only">{t.localHint}</span>
        </p>
      )}
    </div>
  );
}

export function ToolLine({ item, t, onNavigate }: { item: Extract<Item, { kind: "tool" }>; t: Messages; onNavigate: () => void }) {
  // A write the model asked for has not run: its proposal card says what would happen.
  if (item.toolKind !== "read" && item.status === undefined) return null;
  const no = item.status === "refused" || item.status === "error";
  const verb = item.status === "refused" ? t.refused : item.status === "error" ? t.failed : item.toolKind === "read" ? t.lookedUp : t.ran;
  return (
    <div className="text-xs" data-tool={item.tool}>
      <p className={cx("flex items-center gap-1.5", no ? "text-danger" : "text-muted")}>
        <ToolIcon className="size-3.5 shrink-0" />
        <span>
          {verb} {toolNoun(item.path)}
          {item.summary ? ` · ${item.summary}` : item.status === undefined ? " …" : ""}
        </span>
      </p>
      <div className="pl-5">
        <Citations citations={item.citations} label={t.sources} onNavigate={onNavigate} />
      </div>
    </div>
  );
}

export function ErrorLine({ message }: { message: string }) {
  return (
    <p role="alert" className="rounded-lg border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger">
      {message}
    </p>
  );
}
