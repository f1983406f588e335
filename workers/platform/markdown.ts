import markdownIt, { type MarkdownIt } from "markdown-it";

/**
 * Markdown → sanitised HTML, on the server, for content that tenants write and the public reads
 * (release notes today; forum posts later). Built on markdown-it with raw HTML switched off, so
 * nothing the author types becomes markup except what Markdown itself produces:
 *  - `<script>`, `<img onerror=…>`, `<iframe>`… in the source come out as escaped text;
 *  - link and image URLs must be relative or http(s) (links may also be mailto:); `javascript:`,
 *    `data:`, `vbscript:`, `file:` and any other scheme are refused, so the Markdown stays as text;
 *  - every link gets `rel="nofollow noopener"`, images `loading="lazy"` and no referrer.
 * markdown-it escapes every attribute value and text node it emits; the rules below only add
 * fixed attributes. The output is safe to insert with innerHTML / dangerouslySetInnerHTML.
 */

const ALLOWED_LINK_SCHEMES = new Set(["http", "https", "mailto"]);
const ALLOWED_IMAGE_SCHEMES = new Set(["http", "https"]);
// Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme ("java\tscript:").
const stripControls = (s: string) =>
  Array.from(s)
    .filter((ch) => ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f)
    .join("");
const SCHEME = /^([a-z][a-z0-9+.-]*):/;

/** The URL's scheme as a browser would read it, or null for a relative URL. */
function schemeOf(url: string): string | null {
  // markdown-it hands over the percent-encoded form ("java%09script:"); judge the decoded one too.
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // malformed escapes: judge the raw form
  }
  const m = SCHEME.exec(stripControls(decoded).toLowerCase()) ?? SCHEME.exec(stripControls(url).toLowerCase());
  return m?.[1] ?? null;
}

/** Whether a link (`images`: an image source) URL may appear in rendered Markdown. */
export function safeUrl(url: string, images = false): boolean {
  const scheme = schemeOf(url);
  if (scheme === null) return true; // relative: this site
  return (images ? ALLOWED_IMAGE_SCHEMES : ALLOWED_LINK_SCHEMES).has(scheme);
}

/** What a caller may change in the safe renderer (the forum: `rel="nofollow ugc"`, stricter image sources). */
export interface SafeMarkdownOptions {
  /** `rel` of every link (default "nofollow noopener"). */
  linkRel?: string;
  /** An extra test for image sources, after the scheme check (default: every http(s)/relative source). */
  imageAllowed?: (src: string) => boolean;
}

/**
 * A markdown-it instance with the sanitising rules of this file (raw HTML off, URL schemes checked,
 * fixed attributes only). Callers may add rules of their own (the forum adds mentions); whatever they
 * add must emit through markdown-it's escaping renderer, never raw HTML built from input.
 */
export function createSafeMarkdown(safe: SafeMarkdownOptions = {}): MarkdownIt {
  const rel = safe.linkRel ?? "nofollow noopener";
  const md = markdownIt("default", { html: false, linkify: true, typographer: false, breaks: false });
  // markdown-it calls validateLink for links, autolinks, linkified URLs and images alike; images
  // are checked again (stricter) in the image rule below.
  md.validateLink = (url: string) => safeUrl(url);

  const linkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]?.attrSet("rel", rel);
    return linkOpen(tokens, idx, options, env, self);
  };

  const image = md.renderer.rules.image ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (!token) return "";
    const src = String(token.attrGet("src") ?? "");
    if (!safeUrl(src, true) || (safe.imageAllowed && !safe.imageAllowed(src))) return md.utils.escapeHtml(token.content); // the alt text, as text
    token.attrSet("loading", "lazy");
    token.attrSet("referrerpolicy", "no-referrer");
    return image(tokens, idx, options, env, self);
  };
  return md;
}

let renderer: MarkdownIt | null = null;

/** Renders Markdown to sanitised HTML (see the module comment for what "sanitised" guarantees). */
export function renderMarkdown(source: string): string {
  renderer ??= createSafeMarkdown();
  return renderer.render(source);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " " };

/** Plain text of rendered HTML (tags dropped, the entities markdown-it emits decoded), collapsed and cut at `max` characters. */
export function htmlToText(html: string, max = 280): string {
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (m, e: string) => ENTITIES[e] ?? m)
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
