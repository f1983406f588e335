import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { createRouter } from "../../platform/router";
import { messagingConfig } from "./config";
import { CENTRE_CHANNELS, preferenceCentre, savePreferenceCentre, type CentreState } from "./preference-centre";
import { verifyPreferencesToken } from "./preferences";
import { escapeHtml } from "./render";

/**
 * The recipient-facing preference centre (mounted at /public/v1): reached through the signed
 * link in every workspace email. A plain HTML form: works without JavaScript.
 */
export const preferenceCentreRoutes = createRouter();

const STYLE = `:root{color-scheme:light dark;--btn:#4f46e5;--bg:#fff;--fg:#111827;--muted:#4b5563;--line:#d1d5db;--accent:#4f46e5;--ok-bg:#ecfdf5;--ok-fg:#065f46}
@media (prefers-color-scheme:dark){:root{--bg:#0b0f19;--fg:#e5e7eb;--muted:#9ca3af;--line:#374151;--accent:#818cf8;--ok-bg:#052e1f;--ok-fg:#6ee7b7}}
body{background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,sans-serif;max-width:640px;margin:48px auto;padding:0 16px}
p.muted{color:var(--muted)}table{border-collapse:collapse;width:100%;margin:16px 0}caption{text-align:left;font-weight:600;padding-bottom:8px}
th,td{border-bottom:1px solid var(--line);padding:10px 8px;text-align:center}th[scope=row],thead th:first-child{text-align:left}th[scope=row]{font-weight:500}th small{display:block;color:var(--muted);font-weight:400;font-size:13px}
input[type=checkbox]{width:20px;height:20px;accent-color:var(--accent)}input:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button{font:inherit;padding:10px 16px;border-radius:8px;border:1px solid var(--line);color:#fff;cursor:pointer;margin-right:8px;background:var(--btn)}
button.secondary{background:transparent;color:var(--fg)}.status{background:var(--ok-bg);color:var(--ok-fg);padding:8px 12px;border-radius:8px}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

function render(state: CentreState, token: string, saved: boolean): string {
  const head = state.channels.map((ch) => `<th scope="col">${CENTRE_CHANNELS[ch]}</th>`).join("");
  const rows = state.categories
    .map(
      (cat) =>
        `<tr><th scope="row">${escapeHtml(cat.label)}${cat.locked ? `<small id="lock-${cat.name}">Always sent: needed to use the service</small>` : ""}</th>${cat.cells
          .map((cell) => {
            const id = `p-${cell.category}-${cell.channel}`;
            const label = `${cat.label}: ${CENTRE_CHANNELS[cell.channel]}`;
            return cell.locked
              ? `<td><input type="checkbox" id="${id}" checked disabled aria-describedby="lock-${cat.name}"><label class="sr-only" for="${id}">${escapeHtml(label)} (always on)</label></td>`
              : `<td><input type="checkbox" id="${id}" name="on" value="${cell.category}.${cell.channel}"${cell.on ? " checked" : ""}><label class="sr-only" for="${id}">${escapeHtml(label)}</label></td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  const action = `?token=${escapeHtml(encodeURIComponent(token))}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>Message preferences</title><style>${STYLE}</style></head>
<body><main><h1>Message preferences</h1><p class="muted">For <strong>${escapeHtml(state.recipient)}</strong>. Choose what you receive and where.</p>
${saved ? '<p class="status" role="status">Saved. Your choices apply to the next message.</p>' : ""}
<form method="post" action="${action}"><table><caption>Categories and channels</caption><thead><tr><th scope="col">Category</th>${head}</tr></thead><tbody>${rows}</tbody></table>
<button type="submit" name="intent" value="save">Save preferences</button><button type="submit" class="secondary" name="intent" value="none">Unsubscribe from all optional messages</button></form></main></body></html>`;
}

async function claimsOf(c: Context<AppEnv>) {
  const claims = await verifyPreferencesToken(messagingConfig(c.env).signingKey, c.req.query("token") ?? "");
  if (!claims) throw notFound("Preferences link");
  return claims;
}

preferenceCentreRoutes.get("/preferences", async (c) => {
  const claims = await claimsOf(c);
  const state = await preferenceCentre(getDb(c.env.DB), claims.t, claims.r);
  if ((c.req.header("Accept") ?? "").includes("application/json")) return c.json(state);
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer"); // the token is in the URL
  return c.html(render(state, c.req.query("token")!, false));
});

/** Saves the grid. A form post (`on` = "category.channel" kept) or JSON `{ "on": [...] }`. */
preferenceCentreRoutes.post("/preferences", async (c) => {
  const claims = await claimsOf(c);
  const type = c.req.header("Content-Type") ?? "";
  let on: string[] = [];
  let intent = "save";
  if (type.includes("application/json")) {
    const body = (await c.req.json().catch(() => ({}))) as { on?: unknown };
    on = Array.isArray(body.on) ? body.on.filter((x): x is string => typeof x === "string").slice(0, 100) : [];
  } else {
    const form = await c.req.parseBody({ all: true });
    const v = form.on;
    on = (Array.isArray(v) ? v : v ? [v] : []).filter((x): x is string => typeof x === "string").slice(0, 100);
    intent = typeof form.intent === "string" ? form.intent : "save";
  }
  const state = await savePreferenceCentre(getDb(c.env.DB), claims.t, claims.r, new Set(intent === "none" ? [] : on));
  if (type.includes("application/json")) return c.json(state);
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  return c.html(render(state, c.req.query("token")!, true));
});
