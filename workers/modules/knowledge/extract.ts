import type { Block } from "./chunk";

/**
 * Text extraction into structural blocks (headings + paragraphs) for the chunker. Markdown,
 * plain text and HTML are parsed here; PDF goes through unpdf (PDF.js built for serverless
 * runtimes; runs in workerd), loaded lazily so only indexing pays for it.
 */
export const SUPPORTED_TYPES = {
  "text/markdown": [".md", ".markdown"],
  "text/plain": [".txt", ".text"],
  "text/html": [".html", ".htm"],
  "application/pdf": [".pdf"],
} as const;
export type SupportedType = keyof typeof SUPPORTED_TYPES;

export class ExtractionError extends Error {}

/** The content type to treat a file as, from its declared type and then its extension. */
export function detectType(filename: string, declared: string | null | undefined): SupportedType | null {
  const base = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  if (base in SUPPORTED_TYPES) return base as SupportedType;
  if (base === "text/x-markdown") return "text/markdown";
  const lower = filename.toLowerCase();
  for (const [type, exts] of Object.entries(SUPPORTED_TYPES)) if (exts.some((e) => lower.endsWith(e))) return type as SupportedType;
  return null;
}

export async function extractBlocks(bytes: Uint8Array, type: SupportedType): Promise<Block[]> {
  switch (type) {
    case "application/pdf":
      return pdfBlocks(bytes);
    case "text/html":
      return htmlBlocks(decodeText(bytes));
    case "text/markdown":
      return markdownBlocks(decodeText(bytes));
    default:
      return plainBlocks(decodeText(bytes));
  }
}

function decodeText(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: false })
    .decode(bytes)
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n");
}

export function plainBlocks(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .map((text) => ({ kind: "paragraph" as const, text }));
}

/** Inline Markdown → plain text: links, images, emphasis, code spans, HTML tags. */
function inlineMd(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(\*|_)(\S.*?\S|\S)\1/g, "$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

export function markdownBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.split("\n");
  let para: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = para.join(fence ? "\n" : " ").trim();
    if (text) blocks.push({ kind: "paragraph", text: fence ? text : inlineMd(text) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence) {
      if (line.trim().startsWith(fence)) {
        flush();
        fence = null;
      } else para.push(line);
      continue;
    }
    const f = /^\s*(```|~~~)/.exec(line);
    if (f) {
      flush();
      fence = f[1]!;
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      blocks.push({ kind: "heading", level: h[1]!.length, text: inlineMd(h[2]!) });
      continue;
    }
    const next = lines[i + 1];
    if (line.trim() && next !== undefined && /^\s*(=+|-+)\s*$/.test(next) && para.length === 0) {
      blocks.push({ kind: "heading", level: next.trim().startsWith("=") ? 1 : 2, text: inlineMd(line) });
      i++;
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    // List items and table rows stay together as one paragraph, one item per line.
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line) || /^\s*\|/.test(line)) {
      if (para.length && !/^\s*([-*+]|\d+[.)]|\|)/.test(para[0]!)) flush();
      para.push(
        line
          .replace(/^\s*\|?|\|\s*$/g, "")
          .replace(/\s*\|\s*/g, " | ")
          .replace(/^[-:| ]+$/, ""),
      );
      continue;
    }
    para.push(line.replace(/^\s*>\s?/, ""));
  }
  flush();
  return blocks.filter((b) => b.text.length > 0);
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  mdash: "—",
  ndash: "–",
  hellip: "…",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
};
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** HTML → blocks: drops script/style/nav chrome, keeps h1–h6 as headings and block elements as paragraphs. */
export function htmlBlocks(html: string): Block[] {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style|noscript|template|svg|head|nav|footer|iframe)\b[\s\S]*?<\/\1\s*>/gi, " ");
  const body = /<(main|article)\b[^>]*>([\s\S]*)<\/\1>/i.exec(s);
  if (body) s = body[2]!;
  const blocks: Block[] = [];
  const re = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi;
  let last = 0;
  const pushText = (chunk: string) => {
    const parts = chunk
      .replace(/<(br|hr)\b[^>]*>/gi, "\n")
      .replace(/<\/?(p|div|section|li|ul|ol|tr|table|blockquote|pre|dd|dt|figure|figcaption)\b[^>]*>/gi, "\n\n")
      .replace(/<\/t[dh]\s*>/gi, " | ")
      .replace(/<[^>]+>/g, "");
    for (const p of decodeEntities(parts).split(/\n\s*\n/)) {
      const text = p.replace(/\s+/g, " ").trim();
      if (text) blocks.push({ kind: "paragraph", text });
    }
  };
  for (let m = re.exec(s); m; m = re.exec(s)) {
    pushText(s.slice(last, m.index));
    const text = decodeEntities(m[2]!.replace(/<[^>]+>/g, ""))
      .replace(/\s+/g, " ")
      .trim();
    if (text) blocks.push({ kind: "heading", level: Number(m[1]), text });
    last = m.index + m[0].length;
  }
  pushText(s.slice(last));
  return blocks;
}

/** The <title> of an HTML page, for URL imports. */
export function htmlTitle(html: string): string | null {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return m ? decodeEntities(m[1]!).replace(/\s+/g, " ").trim() || null : null;
}

async function pdfBlocks(bytes: Uint8Array): Promise<Block[]> {
  const { extractText, getDocumentProxy } = await import("unpdf");
  let pages: string[];
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    pages = (await extractText(pdf, { mergePages: false })).text as string[];
  } catch (e) {
    throw new ExtractionError(`The PDF could not be read (${(e as Error).message}). Is it a valid, unencrypted PDF?`);
  }
  const blocks: Block[] = [];
  pages.forEach((page, i) => {
    const paras = page
      .split(/\n\s*\n/)
      .map((p) =>
        p
          .replace(/-\n(?=\p{Ll})/gu, "")
          .replace(/\s+/g, " ")
          .trim(),
      )
      .filter(Boolean);
    if (!paras.length) return;
    blocks.push({ kind: "heading", level: 3, text: `Page ${i + 1}` });
    for (const text of paras) blocks.push({ kind: "paragraph", text });
  });
  if (!blocks.length) throw new ExtractionError("The PDF has no extractable text (scanned images need OCR, which is not supported).");
  return blocks;
}
