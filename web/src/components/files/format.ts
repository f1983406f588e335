/** "0 B", "812 B", "14.2 KB", "3.4 MB", "1.2 GB" (binary units, as storage limits are). */
export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${v.toLocaleString("en-US", { maximumFractionDigits: digits })} ${units[u]}`;
}

export type FileKind = "image" | "pdf" | "video" | "audio" | "text" | "other";

/** What preview a content type gets. */
export function fileKind(contentType: string): FileKind {
  const t = contentType.toLowerCase();
  if (t.startsWith("image/")) return "image";
  if (t === "application/pdf") return "pdf";
  if (t.startsWith("video/")) return "video";
  if (t.startsWith("audio/")) return "audio";
  if (t.startsWith("text/") || /json|xml|javascript|yaml|csv|markdown/.test(t)) return "text";
  return "other";
}

/** "PNG image", "PDF document", "text/markdown" → "Markdown text". */
export function typeLabel(contentType: string): string {
  const [major = "", minor = ""] = contentType.toLowerCase().split(";")[0]?.split("/") ?? [];
  const sub = minor.replace(/^x-/, "").replace(/^vnd\./, "");
  if (contentType === "application/pdf") return "PDF document";
  if (sub === "markdown") return "Markdown text";
  if (sub === "plain") return "Plain text";
  if (major === "image" || major === "video" || major === "audio") return `${sub.split("+")[0]?.toUpperCase()} ${major}`;
  if (major === "text") return `${sub.toUpperCase()} text`;
  return contentType || "Unknown type";
}

export const EXPIRY_OPTIONS = [
  { label: "15 minutes", seconds: 15 * 60 },
  { label: "1 hour", seconds: 3600 },
  { label: "1 day", seconds: 86_400 },
  { label: "7 days", seconds: 604_800 },
] as const;
