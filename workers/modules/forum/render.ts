import type { MarkdownIt } from "markdown-it";
import { createSafeMarkdown, htmlToText } from "../../platform/markdown";

/**
 * Forum posts: Markdown → sanitised HTML, rendered once on the server when a post is written or
 * edited (`forum_posts.body_html`). Built on the platform's safe renderer (raw HTML off, URL schemes
 * checked — see workers/platform/markdown.ts) with the forum's rules:
 *  - links carry `rel="nofollow ugc noopener"` (user-generated content earns no search ranking);
 *  - images only over https or from this site (the files module's URLs are same-origin); http,
 *    data: and every other scheme leave the alt text as text;
 *  - `@username` in text (not in code or links) becomes a link to the member's profile when the
 *    member exists (`knownMentions`), and is collected for notifications;
 *  - `[quote=@user post=ID] … [/quote]` becomes a blockquote naming the quoted author; the inner
 *    text is Markdown rendered by the same rules, the attributes are checked against strict
 *    patterns (anything else leaves the tag as text).
 * Plus the plain text for search and duplicate checks, and the counts the spam screen needs.
 */

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_-]{1,29}$/;
const MENTION = /(^|[^\p{L}\p{N}_@/.-])@([a-z0-9][a-z0-9_-]{1,29})(?![a-z0-9_-])/giu;
const QUOTE = /\[quote=@([a-z0-9][a-z0-9_-]{1,29})(?:\s+post=([a-z0-9_]{1,64}))?\]\n?([\s\S]*?)\n?\[\/quote\]/gi;

export interface RenderedPost {
  html: string;
  /** Plain text (search, snippets, excerpts, duplicate checks). */
  text: string;
  /** Usernames mentioned (lower-case, unique, at most 20), whether or not they exist. */
  mentions: string[];
  /** Quoted authors and posts, for "quoted you" notifications. */
  quotes: { username: string; postId: string | null }[];
  links: number;
  images: number;
}

export interface RenderOptions {
  /** The profile URL of a mentioned member (e.g. `/community/acme/u/erin`). */
  profileUrl?: (username: string) => string;
  /** Members that exist: only their mentions become links. Omit to link none. */
  knownMentions?: ReadonlySet<string>;
}

interface RenderEnv {
  mentions: Set<string>;
  links: number;
  images: number;
  opts: RenderOptions;
}

/** Same-site paths (the files module serves from this origin) or https. */
const imageAllowed = (src: string) => /^https:\/\//i.test(src) || (src.startsWith("/") && !src.startsWith("//"));

let forumMd: MarkdownIt | null = null;
function md(): MarkdownIt {
  if (forumMd) return forumMd;
  const m = createSafeMarkdown({ linkRel: "nofollow ugc noopener", imageAllowed });
  // Mentions: split text tokens (outside links and code, which are other token types) into text +
  // link tokens. Tokens are rendered by markdown-it, which escapes content and attributes.
  m.core.ruler.push("forum_mentions", (state) => {
    const env = state.env as unknown as RenderEnv;
    for (const block of state.tokens) {
      if (block.type !== "inline" || !block.children) continue;
      const out: typeof block.children = [];
      let inLink = 0;
      for (const tok of block.children) {
        if (tok.type === "link_open") {
          inLink++;
          env.links++;
        }
        if (tok.type === "link_close") inLink--;
        if (tok.type === "image") env.images++;
        if (tok.type !== "text" || inLink > 0 || !tok.content.includes("@")) {
          out.push(tok);
          continue;
        }
        let last = 0;
        for (const match of tok.content.matchAll(MENTION)) {
          const lead = match[1] ?? "";
          const name = (match[2] ?? "").toLowerCase();
          const at = (match.index ?? 0) + lead.length;
          if (env.mentions.size < 20) env.mentions.add(name);
          const href = env.opts.knownMentions?.has(name) && env.opts.profileUrl ? env.opts.profileUrl(name) : null;
          if (!href) continue;
          if (at > last) {
            const t = new state.Token("text", "", 0);
            t.content = tok.content.slice(last, at);
            out.push(t);
          }
          const open = new state.Token("link_open", "a", 1);
          open.attrs = [
            ["href", href],
            ["class", "mention"],
          ];
          const text = new state.Token("text", "", 0);
          text.content = `@${name}`;
          out.push(open, text, new state.Token("link_close", "a", -1));
          last = at + 1 + name.length;
        }
        if (last === 0) out.push(tok);
        else if (last < tok.content.length) {
          const t = new state.Token("text", "", 0);
          t.content = tok.content.slice(last);
          out.push(t);
        }
      }
      block.children = out;
    }
  });
  forumMd = m;
  return m;
}

function renderPart(source: string, env: RenderEnv): string {
  return md().render(source, env as unknown as Record<string, unknown>);
}

/** Renders a post's Markdown (see the module comment for the rules). */
export function renderPost(source: string, opts: RenderOptions = {}): RenderedPost {
  const env: RenderEnv = { mentions: new Set(), links: 0, images: 0, opts };
  const quotes: RenderedPost["quotes"] = [];
  const parts: string[] = [];
  const esc = md().utils.escapeHtml;
  let last = 0;
  for (const q of source.matchAll(QUOTE)) {
    const at = q.index ?? 0;
    if (at > last) parts.push(renderPart(source.slice(last, at), env));
    const username = (q[1] ?? "").toLowerCase();
    const postId = q[2] ?? null;
    quotes.push({ username, postId });
    // Both attributes matched strict patterns above; escaped anyway.
    const cite = postId ? ` data-post="${esc(postId)}"` : "";
    parts.push(
      `<blockquote class="forum-quote"${cite}><p class="forum-quote-author">@${esc(username)} wrote:</p>\n${renderPart(q[3] ?? "", env)}</blockquote>\n`,
    );
    last = at + q[0].length;
  }
  if (last < source.length || parts.length === 0) parts.push(renderPart(source.slice(last), env));
  const html = parts.join("");
  return {
    html,
    text: htmlToText(html, 100_000),
    mentions: [...env.mentions],
    quotes,
    links: env.links,
    images: env.images,
  };
}

/** The mentions and counts alone (a first pass, to learn which mentioned members exist). */
export function mentionsIn(source: string): string[] {
  return renderPost(source).mentions;
}

/** A quote-reply body for a post: `[quote=@user post=ID]` with its Markdown. */
export function quoteOf(username: string, postId: string, bodyMarkdown: string): string {
  const inner = bodyMarkdown.replace(/\[\/?quote[^\]]*\]/gi, "").trim();
  return `[quote=@${username} post=${postId}]\n${inner}\n[/quote]\n\n`;
}

/** An excerpt for lists and notifications. */
export const excerptOf = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
