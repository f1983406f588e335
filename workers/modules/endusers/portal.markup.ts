/**
 * The hosted portal's HTML (/portal/<slug>): plain server-rendered forms, no script, phone-first,
 * one column, real labels, errors announced (role="alert"), the workspace's brand colour and logo.
 */
import { LANGUAGE_NAMES, signinStrings, type SigninStrings } from "./portal.signin.i18n";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ESC[ch] ?? ch);

export interface Brand {
  name: string;
  slug: string;
  primary: string; // hex colour
  logoUrl: string | null;
  signupOpen: boolean;
  /** The page language and the sign-in pages' strings in it (portal.signin.i18n.ts). */
  lang: string;
  t: SigninStrings;
}

const css = (b: Brand) => `
:root{color-scheme:light dark;--brand:${b.primary};--bg:#f7f7f8;--card:#fff;--fg:#111827;--muted:#4b5563;--line:#d1d5db;--err:#b91c1c}
@media (prefers-color-scheme:dark){:root{--bg:#0b0d12;--card:#151922;--fg:#f3f4f6;--muted:#aab1bd;--line:#374151;--err:#fca5a5}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:420px;margin:0 auto;padding:24px 16px 48px}
header{display:flex;align-items:center;gap:12px;margin:8px 0 24px}header img{height:40px;width:auto;border-radius:6px}
header .site{font-weight:600;font-size:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px}
h1{font-size:22px;margin:0 0 16px}p{margin:0 0 12px}.muted{color:var(--muted);font-size:14px}
label{display:block;font-weight:600;margin:12px 0 4px}
input{width:100%;font:inherit;padding:12px;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:inherit;min-height:48px}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
button{width:100%;margin-top:16px;min-height:48px;font:600 16px system-ui,sans-serif;border:0;border-radius:8px;background:var(--brand);color:#fff;cursor:pointer}
button.secondary{background:transparent;color:var(--fg);border:1px solid var(--line)}
.alert{border:1px solid var(--err);color:var(--err);border-radius:8px;padding:10px 12px;margin-bottom:12px}
.ok{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin-bottom:12px}
details{margin-top:20px;border-top:1px solid var(--line);padding-top:12px}summary{cursor:pointer;font-weight:600;min-height:32px}
nav{margin-top:20px;display:flex;flex-direction:column;gap:8px;font-size:15px}a{color:inherit}
.code{letter-spacing:6px;font-size:22px;text-align:center}
dl{margin:0}dt{font-size:14px;color:var(--muted)}dd{margin:0 0 12px;word-break:break-word}
main.wide{max-width:680px}
nav.tabs{flex-direction:row;flex-wrap:wrap;gap:4px;margin:0 0 16px;font-size:15px}
nav.tabs a{padding:10px 12px;border-radius:8px;text-decoration:none;min-height:44px;display:inline-flex;align-items:center;gap:6px}
nav.langs{flex-direction:row;flex-wrap:wrap;gap:12px;font-size:14px;margin-top:16px}nav.langs a[aria-current=true]{font-weight:700;text-decoration:none}
nav.tabs a[aria-current=page]{background:var(--card);border:1px solid var(--line);font-weight:600}
.count{background:var(--brand);color:#fff;border-radius:999px;padding:0 7px;font-size:12px;font-weight:700}
h2{font-size:18px;margin:24px 0 8px}h2:first-child{margin-top:0}
ul.rows{list-style:none;margin:0;padding:0}ul.rows li{border-top:1px solid var(--line);padding:12px 0}ul.rows li:first-child{border-top:0}
ul.rows a{font-weight:600}.meta{color:var(--muted);font-size:14px;display:block}
.badge{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 8px;font-size:13px;margin-left:6px}
.badge.open{border-color:var(--brand)}.unread{font-weight:700}
textarea{width:100%;font:inherit;padding:12px;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:inherit;min-height:140px}
textarea:focus-visible,select:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
input[type=file]{padding:8px}input[type=checkbox]{width:24px;min-height:24px;height:24px;margin:0}
.msg{border:1px solid var(--line);border-radius:10px;padding:12px;margin:0 0 12px}.msg.agent{border-color:var(--brand)}
.msg p{white-space:pre-wrap;margin:8px 0 0}.row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.row form{margin:0}.row button{width:auto;margin:0;padding:0 16px;min-height:44px}
fieldset{border:1px solid var(--line);border-radius:8px;margin:0 0 12px;padding:8px 12px}legend{font-weight:600;padding:0 4px}
fieldset label{display:flex;gap:10px;align-items:center;font-weight:400;margin:8px 0}`;

/** A whole page; signed-in pages pass their navigation (`nav`), rendered above the card in a wider column. */
export function page(b: Brand, title: string, body: string, nav?: string, lang = b.lang): string {
  const logo = b.logoUrl ? `<img src="${esc(b.logoUrl)}" alt="">` : "";
  return `<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)} · ${esc(b.name)}</title><style>${css(b)}</style></head>
<body><main${nav ? ' class="wide"' : ""}><header>${logo}<span class="site">${esc(b.name)}</span></header>${nav ?? ""}<div class="card">${body}</div></main></body></html>`;
}

const alert = (error?: string) => (error ? `<p class="alert" role="alert">${esc(error)}</p>` : "");
const notice = (msg?: string) => (msg ? `<p class="ok" role="status">${esc(msg)}</p>` : "");
const base = (b: Brand) => `/portal/${esc(b.slug)}`;
/** `?next=` (a same-site path, checked by safeNext) carried through the sign-in forms and links. */
const nextField = (next?: string | null) => (next ? `<input type="hidden" name="next" value="${esc(next)}">` : "");
const nextQuery = (next?: string | null) => (next ? `?next=${esc(encodeURIComponent(next))}` : "");
const emailInput = (b: Brand, value = "") =>
  `<label for="email">${esc(b.t.email)}</label><input id="email" name="email" type="email" autocomplete="email" inputmode="email" required value="${esc(value)}">`;

export function signInPage(b: Brand, o: { error?: string; notice?: string; email?: string; next?: string | null } = {}) {
  const t = b.t;
  return page(
    b,
    t.signIn,
    `<h1>${esc(t.signIn)}</h1>${alert(o.error)}${notice(o.notice)}
<form method="post" action="${base(b)}/code">${nextField(o.next)}${emailInput(b, o.email)}<button type="submit">${esc(t.emailMeCode)}</button></form>
<details><summary>${esc(t.withPassword)}</summary>
<form method="post" action="${base(b)}/signin">${nextField(o.next)}${emailInput(b, o.email)
      .replace(/id="email"/, 'id="pw-email"')
      .replace('for="email"', 'for="pw-email"')}
<label for="password">${esc(t.password)}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="secondary">${esc(t.signIn)}</button></form>
<nav><a href="${base(b)}/forgot">${esc(t.forgot)}</a></nav></details>
${b.signupOpen ? `<nav><a href="${base(b)}/signup${nextQuery(o.next)}">${esc(t.newHere)}</a></nav>` : ""}${languages(b, o.next)}`,
  );
}

/** Links to the page in each language (`?lang=` is remembered); the current one is marked. */
function languages(b: Brand, next?: string | null): string {
  const links = Object.entries(LANGUAGE_NAMES).map(
    ([code, name]) =>
      `<a href="${base(b)}?lang=${code}${next ? `&amp;next=${esc(encodeURIComponent(next))}` : ""}" hreflang="${code}" lang="${code}"${code === b.lang ? ' aria-current="true"' : ""}>${esc(name)}</a>`,
  );
  return `<nav class="langs" aria-label="${esc(b.t.language)}">${links.join("")}</nav>`;
}

export function codePage(b: Brand, email: string, error?: string, next?: string | null) {
  return page(
    b,
    b.t.enterCode,
    `<h1>${esc(b.t.checkEmail)}</h1>${alert(error)}<p>${b.t.codeSent(esc(email))}</p>
<form method="post" action="${base(b)}/code/verify"><input type="hidden" name="email" value="${esc(email)}">${nextField(next)}
<label for="code">${esc(b.t.code)}</label><input id="code" class="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<button type="submit">${esc(b.t.signIn)}</button></form><nav><a href="${base(b)}${nextQuery(next)}">${esc(b.t.anotherEmail)}</a></nav>`,
  );
}

export function signUpPage(b: Brand, o: { error?: string; email?: string; name?: string; next?: string | null } = {}) {
  return page(
    b,
    b.t.createAccount,
    `<h1>${esc(b.t.createAccount)}</h1>${alert(o.error)}
<form method="post" action="${base(b)}/signup">${nextField(o.next)}
<label for="name">${esc(b.t.name)}</label><input id="name" name="name" autocomplete="name" maxlength="100" value="${esc(o.name ?? "")}">
${emailInput(b, o.email)}
<label for="password">${esc(b.t.password)}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required aria-describedby="pw-hint">
<p id="pw-hint" class="muted">${esc(b.t.passwordHint)}</p>
<button type="submit">${esc(b.t.createButton)}</button></form><nav><a href="${base(b)}${nextQuery(o.next)}">${esc(b.t.haveAccount)}</a></nav>`,
  );
}

/** Email links land on a page with a button, so a mail scanner fetching the link does not spend it. */
export function confirmTokenPage(
  b: Brand,
  o: { title: string; action: string; token: string; button: string; password?: boolean; error?: string; next?: string | null },
) {
  const pw = o.password
    ? `<label for="password">${esc(b.t.newPassword)}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required>`
    : "";
  return page(
    b,
    o.title,
    `<h1>${esc(o.title)}</h1>${alert(o.error)}<form method="post" action="${base(b)}/${o.action}"><input type="hidden" name="token" value="${esc(o.token)}">${nextField(o.next)}${pw}<button type="submit">${esc(o.button)}</button></form>`,
  );
}

export function forgotPage(b: Brand, o: { error?: string; sent?: boolean } = {}) {
  return page(
    b,
    b.t.resetTitle,
    `<h1>${esc(b.t.resetTitle)}</h1>${alert(o.error)}${o.sent ? notice(b.t.resetSent) : ""}
<form method="post" action="${base(b)}/forgot">${emailInput(b)}<button type="submit">${esc(b.t.emailResetLink)}</button></form><nav><a href="${base(b)}">${esc(b.t.backToSignIn)}</a></nav>`,
  );
}

export function messagePage(b: Brand, title: string, text: string, status: "ok" | "error" = "ok") {
  return page(
    b,
    title,
    `<h1>${esc(title)}</h1>${status === "error" ? alert(text) : `<p>${esc(text)}</p>`}<nav><a href="${base(b)}">${esc(b.t.continue)}</a></nav>`,
  );
}

export const notFoundPage = () =>
  page(
    { name: "Not found", slug: "", primary: "#4f46e5", logoUrl: null, signupOpen: false, lang: "en", t: signinStrings("en") },
    "Not found",
    "<h1>This page does not exist</h1>",
  );
