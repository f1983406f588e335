/**
 * The community pages' shell (/community/<slug>/…): one server-rendered HTML document per page,
 * readable without JavaScript, phone-first (one column, 44 px targets), the workspace's brand colour
 * and logo, light/dark from `prefers-color-scheme`, canonical URL and OpenGraph meta for search
 * engines. The enhancing script (`/community/_/forum.js`) is a plain `<script src defer>`: the CSP
 * allows `script-src 'self'` and nothing inline.
 */
const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ESC[ch] ?? ch);

export interface PageBrand {
  name: string;
  primary: string;
  logoUrl: string | null;
}

export interface Shell {
  brand: PageBrand;
  slug: string;
  /** The community's title (forum settings). */
  community: string;
  title: string;
  description?: string;
  /** Absolute canonical URL; also og:url. */
  canonical?: string;
  /** noindex for pages that are per-person or transient (search results, forms). */
  noindex?: boolean;
  /** The signed-in end user's name, or null (shows "Sign in"). */
  who: { name: string; username: string | null } | null;
  /** The path to come back to after signing in. */
  here: string;
}

export const base = (slug: string) => `/community/${slug}`;
export const SCRIPT_PATH = "/community/_/forum.js";

const css = (primary: string) => `
:root{color-scheme:light dark;--brand:${primary};--bg:#f7f7f8;--card:#fff;--fg:#111827;--muted:#4b5563;--line:#d1d5db;--err:#b91c1c;--ok:#047857;--mark:#fde68a}
@media (prefers-color-scheme:dark){:root{--bg:#0b0d12;--card:#151922;--fg:#f3f4f6;--muted:#aab1bd;--line:#374151;--err:#fca5a5;--ok:#6ee7b7;--mark:#854d0e}}
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,-apple-system,sans-serif;background:var(--bg);color:var(--fg)}
a{color:inherit}a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--card);padding:8px;z-index:9}
header.top{background:var(--card);border-bottom:1px solid var(--line)}
header.top .in{max-width:860px;margin:0 auto;padding:10px 16px;display:flex;align-items:center;gap:12px;flex-wrap:wrap}
header.top img{height:32px;width:auto;border-radius:6px}header.top .site{font-weight:700;text-decoration:none;margin-right:auto}
header.top nav{display:flex;gap:4px;align-items:center;flex-wrap:wrap}header.top nav a{padding:10px;min-height:44px;display:inline-flex;align-items:center}
main{max-width:860px;margin:0 auto;padding:16px 16px 64px}
h1{font-size:24px;line-height:1.25;margin:8px 0 12px;word-break:break-word}h2{font-size:18px;margin:24px 0 8px}
.muted,.meta{color:var(--muted);font-size:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px;margin:0 0 12px}
ul.list{list-style:none;margin:0;padding:0}ul.list>li{border-top:1px solid var(--line);padding:12px 0}ul.list>li:first-child{border-top:0}
ul.list a.t{font-weight:600;text-decoration:none}ul.list a.t:hover{text-decoration:underline}
.dot{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
.pill{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 8px;font-size:13px;font-weight:600;margin-left:8px;white-space:nowrap;vertical-align:middle;line-height:1.6}
.pill.brand{border-color:var(--brand)}.pill.ok{border-color:var(--ok);color:var(--ok)}.pill.warn{border-color:var(--err);color:var(--err)}
.count{background:var(--brand);color:#fff;border-radius:999px;padding:0 7px;font-size:12px;font-weight:700}
nav.tabs{display:flex;gap:4px;flex-wrap:wrap;margin:0 0 12px}nav.tabs a{padding:10px 12px;border-radius:8px;text-decoration:none;min-height:44px;display:inline-flex;align-items:center}
nav.tabs a[aria-current=page]{background:var(--card);border:1px solid var(--line);font-weight:600}
nav.pager{display:flex;gap:12px;justify-content:space-between;margin:12px 0}nav.pager a{padding:10px 0;min-height:44px;display:inline-flex;align-items:center}
article.post{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin:0 0 12px}
article.post.accepted{border:2px solid var(--ok)}article.post.held{border-style:dashed}
article.post header{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap;margin-bottom:6px}
.body{overflow-wrap:anywhere}.body img{max-width:100%;height:auto}.body pre{overflow:auto;background:var(--bg);padding:10px;border-radius:8px}
.body blockquote{margin:8px 0;padding:4px 12px;border-left:4px solid var(--line);color:var(--muted)}
.actions{display:flex;gap:6px;flex-wrap:wrap;align-items:center;margin-top:10px}.actions form{margin:0;display:inline}
button,.btn{font:600 15px system-ui,sans-serif;min-height:44px;padding:0 14px;border-radius:8px;border:1px solid var(--line);background:transparent;color:inherit;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center;gap:6px}
button.primary,.btn.primary{background:var(--brand);border-color:var(--brand);color:#fff}
button[aria-pressed=true]{border-color:var(--brand);background:color-mix(in srgb,var(--brand) 15%,transparent)}
label{display:block;font-weight:600;margin:12px 0 4px}
input[type=text],input[type=search],input:not([type]),textarea,select{width:100%;font:inherit;padding:10px 12px;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:inherit;min-height:44px}
textarea{min-height:160px}
.alert{border:1px solid var(--err);color:var(--err);border-radius:8px;padding:10px 12px;margin:0 0 12px}
.ok{border:1px solid var(--ok);border-radius:8px;padding:10px 12px;margin:0 0 12px}
details.tools{display:inline-block}details.tools[open]{display:block;flex-basis:100%}details.tools summary{cursor:pointer;min-height:44px;display:inline-flex;align-items:center;padding:0 14px;border:1px solid var(--line);border-radius:8px;font:600 15px system-ui,sans-serif;list-style:none}details.tools summary::-webkit-details-marker{display:none}
mark{background:var(--mark);color:inherit}
[role=listbox]{list-style:none;margin:4px 0 0;padding:4px;border:1px solid var(--line);border-radius:8px;background:var(--card);max-width:320px}
[role=option]{padding:8px;border-radius:6px;cursor:pointer}[role=option][aria-selected=true]{background:var(--brand);color:#fff}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){h1{font-size:21px}main{padding:12px 12px 48px}.card,article.post{padding:12px}}`;

/** A whole page. `body` is trusted HTML built with `esc()`; posts' HTML was sanitised when written. */
export function page(s: Shell, body: string): string {
  const b = base(s.slug);
  const logo = s.brand.logoUrl ? `<img src="${esc(s.brand.logoUrl)}" alt="">` : "";
  const who = s.who
    ? `${s.who.username ? `<a href="${b}/u/${esc(s.who.username)}">${esc(s.who.name)}</a>` : `<span class="muted">${esc(s.who.name)}</span>`}<a href="/portal/${esc(s.slug)}/notifications">Notifications</a>`
    : `<a href="/portal/${esc(s.slug)}?next=${esc(encodeURIComponent(s.here))}">Sign in</a>`;
  const desc = s.description ? esc(s.description.slice(0, 300)) : "";
  const meta = [
    s.noindex ? '<meta name="robots" content="noindex">' : "",
    desc ? `<meta name="description" content="${desc}">` : "",
    s.canonical ? `<link rel="canonical" href="${esc(s.canonical)}"><meta property="og:url" content="${esc(s.canonical)}">` : "",
    `<meta property="og:type" content="website"><meta property="og:site_name" content="${esc(s.community)} · ${esc(s.brand.name)}">`,
    `<meta property="og:title" content="${esc(s.title)}">`,
    desc ? `<meta property="og:description" content="${desc}">` : "",
  ].join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(s.title)} · ${esc(s.community)}</title>${meta}<style>${css(s.brand.primary)}</style>
<script src="${SCRIPT_PATH}" defer></script></head>
<body data-community="${esc(s.slug)}"><a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="in">${logo}<a class="site" href="${b}">${esc(s.community)} · ${esc(s.brand.name)}</a>
<nav aria-label="Community"><a href="${b}/search">Search</a>${who}</nav></div></header>
<main id="main">${body}</main></body></html>`;
}

export const alert = (error?: string | null) => (error ? `<p class="alert" role="alert">${esc(error)}</p>` : "");
export const notice = (msg?: string | null) => (msg ? `<p class="ok" role="status">${esc(msg)}</p>` : "");

const REL = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
/** "3 hours ago" in a `<time>` with the exact ISO time (readable by people and machines). */
export function ago(ms: number, now = Date.now()): string {
  const s = Math.round((ms - now) / 1000);
  const abs = Math.abs(s);
  const text =
    abs < 60
      ? "just now"
      : abs < 3600
        ? REL.format(Math.round(s / 60), "minute")
        : abs < 86_400
          ? REL.format(Math.round(s / 3600), "hour")
          : abs < 30 * 86_400
            ? REL.format(Math.round(s / 86_400), "day")
            : new Date(ms).toISOString().slice(0, 10);
  return `<time datetime="${new Date(ms).toISOString()}">${text}</time>`;
}

export function notFoundPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>Not found</title><style>${css("#4f46e5")}</style></head><body><main id="main"><h1>This page does not exist</h1><p class="muted">It may have been moved, or you may need to sign in to see it.</p></main></body></html>`;
}
