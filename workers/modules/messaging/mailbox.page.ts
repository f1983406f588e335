import type { Context } from "hono";
import { desc } from "drizzle-orm";
import { devMailbox } from "../../../schema/messaging";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { notFound } from "../../platform/errors";

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]!);

/** A plain HTML view of the dev mailbox (local only), so links can be followed without the SPA. */
export async function mailboxPage(c: Context<AppEnv>) {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  const mails = await getDb(c.env.DB).select().from(devMailbox).orderBy(desc(devMailbox.createdAt)).limit(100);
  const items = mails
    .map(
      (
        m,
      ) => `<article><header><strong>${esc(m.subject)}</strong><span>to ${esc(m.toAddress)} · ${new Date(m.createdAt).toLocaleString("en-GB")}</span></header>
<iframe sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${esc(m.html)}" title="${esc(m.subject)}"></iframe></article>`,
    )
    .join("");
  return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev mailbox · Weft</title>
<style>:root{color-scheme:light dark}body{font:15px system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px}
.banner{background:#fef3c7;color:#78350f;padding:8px 12px;border-radius:6px}article{border:1px solid #8884;border-radius:8px;margin:16px 0}
article header{display:flex;justify-content:space-between;gap:8px;padding:10px 12px;border-bottom:1px solid #8884}iframe{width:100%;height:220px;border:0;background:#fff}</style></head>
<body><h1>Dev mailbox</h1><p class="banner">Local development only: emails the outbox would send through a provider land here instead.</p>
${items || "<p>No emails yet. Sign up or request a password reset and they will appear here.</p>"}</body></html>`);
}
