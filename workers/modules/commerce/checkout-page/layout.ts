import { currencyExponent } from "../money";

/**
 * The hosted checkout's page frame (/checkout/<slug>/…): server-rendered, no script, phone-first
 * (one column, two from 860 px), real labels, errors announced (role="alert"), light and dark from
 * the visitor's system setting, the shop's name and brand colour.
 */
const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ESC[ch] ?? ch);

export interface Shop {
  slug: string;
  name: string;
  /** Hex colour for buttons and focus rings. */
  primary: string;
  /** The workspace's logo (signed URL), shown beside its name. */
  logoUrl?: string | null;
}

/** "$60.87", "€59.00", "¥500": the amount in minor units shown in its currency (decimals only here, at the edge). */
export function money(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: exp, maximumFractionDigits: exp }).format(
      amount / 10 ** exp,
    );
  } catch {
    return `${(amount / 10 ** exp).toFixed(exp)} ${currency}`;
  }
}

const css = (s: Shop) => `
:root{color-scheme:light dark;--brand:${s.primary};--bg:#f6f6f7;--card:#fff;--fg:#111827;--muted:#4b5563;--line:#d1d5db;--err:#b91c1c;--ok:#047857;--note:#fef3c7;--note-fg:#78350f}
@media (prefers-color-scheme:dark){:root{--bg:#0b0d12;--card:#151922;--fg:#f3f4f6;--muted:#aab1bd;--line:#374151;--err:#fca5a5;--ok:#6ee7b7;--note:#422006;--note-fg:#fde68a}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
.wrap{max-width:1000px;margin:0 auto;padding:16px 16px 48px}
header{display:flex;align-items:center;justify-content:space-between;gap:12px;margin:4px 0 16px}
header .site{font-weight:700;font-size:19px;display:flex;align-items:center;gap:10px}header .logo{height:32px;width:auto;max-width:120px;object-fit:contain}.secure{font-size:13px;color:var(--muted)}
.test{background:var(--note);color:var(--note-fg);border-radius:8px;padding:8px 12px;font-size:14px;margin:0 0 16px}
.grid{display:grid;gap:16px}@media (min-width:860px){.grid{grid-template-columns:minmax(0,1.15fr) minmax(0,1fr);align-items:start}.grid .summary{order:2;position:sticky;top:16px}}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 18px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:20px 0 8px}h2:first-child{margin-top:0}
p{margin:0 0 12px}.muted{color:var(--muted);font-size:14px}
ul.lines{list-style:none;margin:0;padding:0}ul.lines li{display:flex;gap:12px;align-items:center;padding:10px 0;border-bottom:1px solid var(--line)}
.thumb{width:56px;height:56px;border-radius:8px;object-fit:cover;background:var(--bg);border:1px solid var(--line);flex:none;display:flex;align-items:center;justify-content:center;font-weight:700;color:var(--muted)}
.li-main{flex:1;min-width:0}.li-title{font-weight:600}.li-amount{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}
table.totals{width:100%;border-collapse:collapse;margin-top:8px;font-variant-numeric:tabular-nums}table.totals td{padding:4px 0}table.totals td:last-child{text-align:right}
table.totals tr.total td{border-top:1px solid var(--line);padding-top:10px;font-weight:700;font-size:18px}
label{display:block;font-weight:600;margin:12px 0 4px}.opt{font-weight:400;color:var(--muted)}
input,select{width:100%;font:inherit;padding:11px 12px;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:inherit;min-height:48px}
input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--err)}
.row2{display:grid;grid-template-columns:1fr 1fr;gap:0 12px;align-items:end}
fieldset{border:0;margin:8px 0 0;padding:0;min-width:0}fieldset.details{margin:0}legend{font-weight:700;font-size:17px;margin:20px 0 4px;padding:0}
.radio{display:flex;align-items:center;gap:12px;border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:8px 0;font-weight:400;min-height:48px}
.radio input{width:20px;height:20px;min-height:0;margin:0;accent-color:var(--brand)}.radio span{flex:1}
.inline{display:flex;gap:8px;align-items:flex-end}.inline>div{flex:1}.inline button{width:auto;margin:0;padding:0 18px}
input:focus-visible,select:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
button,.button{display:flex;align-items:center;justify-content:center;width:100%;margin-top:12px;min-height:48px;font:600 16px system-ui,sans-serif;border:0;border-radius:8px;background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;padding:8px 16px;line-height:1.3;text-align:center}
button.secondary,.button.secondary{background:transparent;color:var(--fg);border:1px solid var(--line)}
button.link{display:inline-flex;width:auto;min-height:32px;margin:0;padding:0 4px;background:none;color:var(--fg);text-decoration:underline;font-weight:400;font-size:14px}
.err{color:var(--err);font-size:14px;margin:4px 0 0}
.alert{border:1px solid var(--err);color:var(--err);border-radius:8px;padding:10px 12px;margin:0 0 12px}
.ok{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:0 0 12px}
.badge{display:inline-block;font-size:13px;border:1px solid var(--line);border-radius:999px;padding:1px 10px}
.status{display:flex;gap:12px;align-items:center}.spinner{width:22px;height:22px;border-radius:50%;border:3px solid var(--line);border-top-color:var(--brand);animation:spin 1s linear infinite;flex:none}
@keyframes spin{to{transform:rotate(360deg)}}@media (prefers-reduced-motion:reduce){.spinner{animation:none}}
dl{margin:0}dt{font-size:14px;color:var(--muted)}dd{margin:0 0 10px;word-break:break-word}
a{color:inherit}footer{margin-top:20px;font-size:13px;color:var(--muted);text-align:center}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

export function page(s: Shop, title: string, body: string, o: { refreshSeconds?: number; testMode?: boolean } = {}): string {
  const refresh = o.refreshSeconds ? `<meta http-equiv="refresh" content="${o.refreshSeconds}">` : "";
  const test = o.testMode
    ? `<p class="test" role="note"><strong>Test mode:</strong> the payment simulator takes no real money (local development only).</p>`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">${refresh}<title>${esc(title)} · ${esc(s.name)}</title><style>${css(s)}</style></head>
<body><div class="wrap"><header><span class="site">${s.logoUrl ? `<img class="logo" src="${esc(s.logoUrl)}" alt="">` : ""}${esc(s.name)}</span><span class="secure">Secure checkout</span></header>${test}
${body}<footer>Checkout by Weft for ${esc(s.name)}</footer></div></body></html>`;
}

export const alert = (text?: string | null) => (text ? `<p class="alert" role="alert">${esc(text)}</p>` : "");
export const notice = (text?: string | null) => (text ? `<p class="ok" role="status">${esc(text)}</p>` : "");

/** A page with just a message (expired, sold out, not found…) and an optional way on. */
export function messagePage(s: Shop, title: string, text: string, link?: { href: string; label: string }, status: "ok" | "error" = "ok") {
  const body = status === "error" ? alert(text) : `<p>${esc(text)}</p>`;
  const more = link ? `<a class="button secondary" href="${esc(link.href)}">${esc(link.label)}</a>` : "";
  return page(s, title, `<main class="card"><h1>${esc(title)}</h1>${body}${more}</main>`);
}

export const notFoundPage = () =>
  messagePage(
    { slug: "", name: "Checkout", primary: "#4f46e5" },
    "This page does not exist",
    "The link may be mistyped, or the checkout belongs to another shop.",
  );
