import { fileTypeFromBuffer } from "file-type";

/**
 * The content type of a file, from its first bytes (file-type's magic numbers); never the client's
 * claim. Text without a magic number is typed by its extension among a few text types; anything
 * else unknown is application/octet-stream.
 */
const TEXT_BY_EXT: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  json: "application/json",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  svg: "image/svg+xml",
  xml: "application/xml",
  yml: "text/yaml",
  yaml: "text/yaml",
  ics: "text/calendar",
  log: "text/plain",
};

/** Types whose bytes always start with a magic number: a claim of one of these is checked against the bytes. */
const CHECKABLE_BY_EXT: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  avif: "image/avif",
  pdf: "application/pdf",
};
const CHECKABLE = new Set(Object.values(CHECKABLE_BY_EXT));

/** Executable formats: refused unless a workspace lists the exact type in its allowed types. */
export const EXECUTABLE_TYPES = new Set([
  "application/x-msdownload",
  "application/x-elf",
  "application/x-mach-binary",
  "application/x-executable",
  "application/x-dosexec",
  "application/vnd.microsoft.portable-executable",
  "application/x-msi",
]);

const extOf = (name: string) => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase() ?? "";

function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head.length > 4096 ? head.subarray(0, 4096) : head, {
      stream: true,
    });
    return true;
  } catch {
    return false;
  }
}

export async function sniffType(head: Uint8Array, name: string): Promise<string> {
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found) return found.mime;
  if (head.length && looksLikeText(head)) return TEXT_BY_EXT[extOf(name)] ?? "text/plain";
  return "application/octet-stream";
}

const normalise = (t: string) => {
  const base = t.split(";")[0]?.trim().toLowerCase() ?? "";
  return base === "image/jpg" || base === "image/pjpeg" ? "image/jpeg" : base;
};

/**
 * The type the client claims — its Content-Type header, or else the name's extension — when it is
 * one whose bytes can be checked (images, PDF). Generic claims (octet-stream, form data) claim nothing.
 */
export function claimedType(header: string | null | undefined, name: string): string | null {
  const h = header ? normalise(header) : "";
  if (h && CHECKABLE.has(h)) return h;
  return CHECKABLE_BY_EXT[extOf(name)] ?? null;
}

/** Whether the bytes contradict the claim (an executable sent as image/png). */
export const contradicts = (claimed: string | null, sniffed: string) => claimed !== null && normalise(sniffed) !== claimed;

/** MIME pattern match: "*\/*", "image/*" or an exact type. */
export function typeMatches(pattern: string, type: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (p === "*/*" || p === "*") return true;
  if (p.endsWith("/*")) return type.startsWith(p.slice(0, -1));
  return p === type;
}

/** Extensions are for the name only; the type of a stored file is always the sniffed one. */
export const isImageForVariants = (type: string) => ["image/png", "image/jpeg", "image/webp", "image/gif"].includes(type);
