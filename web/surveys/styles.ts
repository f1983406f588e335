/** Shadow-DOM styles: `:host{all:initial}` keeps the tenant's CSS out; colours follow prefers-color-scheme. */
export const CSS = `:host{all:initial}
*{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;letter-spacing:normal}
.w{--bg:#fff;--fg:#111827;--mu:#6b7280;--bd:#d1d5db;--ac:#4f46e5;--af:#fff;--sf:#f3f4f6;color:var(--fg)}
@media (prefers-color-scheme:dark){.w{--bg:#1f2937;--fg:#f9fafb;--mu:#9ca3af;--bd:#4b5563;--ac:#818cf8;--af:#111827;--sf:#374151}}
button,input,textarea,select{color:inherit;font:inherit}
button{cursor:pointer;border:1px solid var(--bd);background:var(--bg);border-radius:8px;padding:6px 12px}
button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid var(--ac);outline-offset:2px}
.p{background:var(--ac);color:var(--af);border-color:var(--ac);font-weight:600}
.fb{position:fixed;z-index:2147483645;bottom:20px;left:20px;box-shadow:0 4px 14px #0003;background:var(--fg);color:var(--bg);border:0;border-radius:999px;padding:10px 16px;font-weight:600}
.c{position:fixed;z-index:2147483646;bottom:20px;left:50%;transform:translateX(-50%);width:min(440px,calc(100vw - 24px));background:var(--bg);border:1px solid var(--bd);border-radius:14px;box-shadow:0 10px 30px #0004;padding:16px}
.c h2{margin:0 28px 12px 0;font-size:15px;font-weight:600}
.x{position:absolute;top:8px;right:8px;border:0;background:none;font-size:20px;line-height:1;padding:4px 8px;color:var(--mu)}
.s{display:grid;grid-template-columns:repeat(11,1fr);gap:4px}
.s button{padding:8px 0;min-width:0;background:var(--sf);border-color:transparent}
.s button[aria-checked=true]{background:var(--ac);color:var(--af)}
.l{display:flex;justify-content:space-between;color:var(--mu);font-size:12px;margin:6px 0 10px}
textarea,input,select{width:100%;background:var(--bg);border:1px solid var(--bd);border-radius:8px;padding:8px;margin:4px 0 10px}
textarea{min-height:72px;resize:vertical}
label{display:block;color:var(--mu);font-size:12px}
.r{display:flex;gap:8px;justify-content:flex-end}
.e{color:#dc2626;font-size:12px;min-height:1em}
@media (max-width:480px){.c{bottom:0;border-radius:14px 14px 0 0;width:100vw}.s{grid-template-columns:repeat(6,1fr)}}`;
