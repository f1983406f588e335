import type { Context } from "hono";
import { desc } from "drizzle-orm";
import { devSms } from "../../../schema/messaging";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { escapeHtml as esc } from "./render";

/** The local dev SMS inbox (local only): text messages the outbox would send through Twilio. */
export async function devSmsPage(c: Context<AppEnv>) {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  const rows = await getDb(c.env.DB).select().from(devSms).orderBy(desc(devSms.createdAt)).limit(100);
  const items = rows
    .map(
      (m) =>
        `<li><header><strong>to ${esc(m.toNumber)}</strong> <span>${new Date(m.createdAt).toLocaleString("en-GB")}</span></header><p>${esc(m.body)}</p></li>`,
    )
    .join("");
  return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev SMS inbox · Weft</title>
<style>:root{color-scheme:light dark}body{font:15px system-ui,sans-serif;max-width:720px;margin:24px auto;padding:0 16px}.banner{background:#fef3c7;color:#78350f;padding:8px 12px;border-radius:6px}
ul{list-style:none;padding:0}li{border:1px solid #8884;border-radius:8px;margin:12px 0;padding:10px 12px}p{white-space:pre-wrap;margin:6px 0 0}</style></head>
<body><h1>Dev SMS inbox</h1><p class="banner">Local development only: SMS the outbox would send through Twilio land here instead.</p>
${items ? `<ul>${items}</ul>` : "<p>No text messages yet.</p>"}</body></html>`);
}
