import type { Res } from "../../lib/api";
import { Badge } from "../ui/Badge";
import { cx } from "../ui/cx";

export type ReleaseNote = Res<"GET /api/v1/releases/{id}">;
export type ReleaseType = ReleaseNote["type"];
export type ReleaseStatus = ReleaseNote["status"];

export const TYPES: { value: ReleaseType; label: string }[] = [
  { value: "feature", label: "New feature" },
  { value: "improvement", label: "Improvement" },
  { value: "fix", label: "Fix" },
  { value: "security", label: "Security" },
];
const TYPE_TONE = { feature: "success", improvement: "accent", fix: "warning", security: "danger" } as const;
const STATUS_TONE = { draft: "neutral", scheduled: "warning", published: "success" } as const;

export function TypeBadge({ type }: { type: ReleaseType }) {
  return <Badge tone={TYPE_TONE[type]}>{TYPES.find((t) => t.value === type)?.label ?? type}</Badge>;
}

export function StatusBadge({ status }: { status: ReleaseStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
}

/**
 * Server-rendered, sanitised release-note HTML (workers/platform/markdown.ts: raw HTML escaped,
 * only http(s)/mailto/relative URLs), styled as prose.
 */
export function NoteBody({ html, className }: { html: string; className?: string }) {
  return (
    <div
      className={cx(
        "text-sm leading-6 text-fg [&_a]:text-accent [&_a]:underline [&_blockquote]:border-l-2 [&_blockquote]:border-line [&_blockquote]:pl-3 [&_blockquote]:text-muted",
        "[&_code]:rounded [&_code]:bg-subtle [&_code]:px-1 [&_code]:text-[0.85em] [&_h1]:mt-3 [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:mt-3 [&_h2]:text-base [&_h2]:font-semibold",
        "[&_h3]:mt-2 [&_h3]:font-semibold [&_img]:max-w-full [&_img]:rounded-lg [&_li]:my-0.5 [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-2 [&_pre]:overflow-x-auto",
        "[&_pre]:rounded-lg [&_pre]:bg-subtle [&_pre]:p-3 [&_table]:my-2 [&_td]:border [&_td]:border-line [&_td]:px-2 [&_th]:border [&_th]:border-line [&_th]:px-2 [&_ul]:list-disc [&_ul]:pl-5",
        className,
      )}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised on the server by the Markdown renderer (raw HTML off, URL schemes checked)
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
