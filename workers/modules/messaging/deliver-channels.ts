// Per-channel delivery (email, SMS, web push, in-app): rendering, email headers and links, providers or the local dev inboxes.
import { devMailbox, devSms } from "../../../schema/messaging";
import { newId } from "../../platform/ids";
import { canOptOut } from "./categories";
import { messagingConfig } from "./config";
import { recordAttempt, withFailover, type DeliveryContext, type Outcome } from "./delivery-attempts";
import { insertNotification } from "./notifications.service";
import { preferencesToken, unsubscribeToken } from "./preferences";
import { emailProviders, smsProviders, type EmailSender, type SmsSender } from "./providers.service";
import { ProviderError, type SendResult } from "./providers/http";
import { sendWebPush } from "./providers/webpush";
import { dropSubscription, subscriptionsOf, vapidKeys } from "./push.service";
import { escapeHtml } from "./render";
import { renderTemplate, resolveTemplate, type Rendered } from "./template-store";
import type { TemplateChannel } from "./message";

const templateOf = (ctx: DeliveryContext, channel: TemplateChannel) =>
  ctx.prefetched?.channel === channel
    ? Promise.resolve(ctx.prefetched.template)
    : resolveTemplate(ctx.db, ctx.row.tenantId, ctx.row.template, channel);

async function render(ctx: DeliveryContext, channel: TemplateChannel, extra: Record<string, unknown> = {}): Promise<Rendered | null> {
  const t = await templateOf(ctx, channel);
  return t ? renderTemplate(t, { ...ctx.row.data, ...extra }) : null;
}

// Headers a sender may set through `data.email_headers` (outreach threads its sequences' emails and
// routes replies); nothing else passes, and no value may carry a line break (header injection).
const THREAD_HEADERS = new Set(["Message-ID", "Reply-To", "In-Reply-To", "References"]);
function threadHeaders(chosen: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!chosen || typeof chosen !== "object") return out;
  for (const [k, v] of Object.entries(chosen))
    if (THREAD_HEADERS.has(k) && typeof v === "string" && !/[\r\n]/.test(v)) out[k] = v.slice(0, 998);
  return out;
}

// A sender's own From (`data.email_from`, "Name <address>": outreach sends as the sequence's mailbox)
// replaces the provider account's; one line, an address inside, else the account's From is used.
function chosenFrom(v: unknown): string | undefined {
  if (typeof v !== "string" || /[\r\n]/.test(v) || v.length > 320) return undefined;
  return /^[^<>]*<[^<>\s@]+@[^<>\s@]+>$|^[^<>\s@]+@[^<>\s@]+$/.test(v.trim()) ? v.trim() : undefined;
}

export async function deliverEmail(ctx: DeliveryContext): Promise<Outcome> {
  const { row, env, db } = ctx;
  const cfg = messagingConfig(env);
  const headers: Record<string, string> = { "X-Weft-Message-Id": row.id, ...threadHeaders(row.data.email_headers) };
  const from = chosenFrom(row.data.email_from);
  const extra: Record<string, unknown> = {};
  const marketing = row.tenantId !== null && canOptOut(row.category);
  let unsubscribeUrl: string | null = null;
  if (marketing) {
    const listId = typeof row.data.list_id === "string" ? row.data.list_id : undefined;
    const token = await unsubscribeToken(cfg.signingKey, {
      t: row.tenantId!,
      r: row.recipient,
      c: row.category,
      ...(listId ? { l: listId } : {}),
    });
    unsubscribeUrl = `${cfg.appUrl}/public/v1/unsubscribe?token=${encodeURIComponent(token)}`;
    extra.unsubscribe_url = unsubscribeUrl;
    // RFC 8058: a one-click POST target, and the header that says so.
    headers["List-Unsubscribe"] = `<${unsubscribeUrl}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  // Every workspace email links to the recipient's preference centre (signed like the unsubscribe link).
  const preferencesUrl = row.tenantId
    ? `${cfg.appUrl}/public/v1/preferences?token=${encodeURIComponent(await preferencesToken(cfg.signingKey, { t: row.tenantId, r: row.recipient }))}`
    : null;
  if (preferencesUrl) extra.preferences_url = preferencesUrl;
  const t = await templateOf(ctx, "email");
  if (!t) return { kind: "failed", error: `Template ${row.template} has no email version` };
  const r = renderTemplate(t, { ...row.data, ...extra });
  const uses = (name: string) => [t.body, t.html ?? ""].some((s) => s.includes(name));
  let text = r.text;
  let html = r.html;
  const links: [string, string][] = [];
  if (unsubscribeUrl && !uses("unsubscribe_url")) links.push(["Unsubscribe", unsubscribeUrl]);
  if (preferencesUrl && !uses("preferences_url")) links.push(["Manage preferences", preferencesUrl]);
  if (links.length) {
    text += `\n\n—\n${links.map(([label, url]) => `${label}: ${url}`).join("\n")}`;
    const footer = `<p style="color:#666;font-size:12px">${links.map(([label, url]) => `<a href="${escapeHtml(url)}">${label}</a>`).join(" · ")}</p>`;
    html = html ? (html.includes("</body>") ? html.replace("</body>", `${footer}</body>`) : html + footer) : null;
  }

  const senders: EmailSender[] = await emailProviders(db, env, row.tenantId, ctx.prefetched?.providerRows);
  if (!senders.length) {
    if (!cfg.isLocal)
      return {
        kind: "failed",
        error:
          "No email provider is configured (set RESEND_API_KEY, SENDGRID_API_KEY or POSTMARK_SERVER_TOKEN, or add one in Messaging settings)",
        subject: r.subject,
      };
    const started = Date.now();
    await db
      .insert(devMailbox)
      .values({
        id: newId("mbx"),
        messageId: row.id,
        toAddress: row.recipient,
        subject: r.subject,
        text,
        html: html ?? `<pre>${escapeHtml(text)}</pre>`,
        createdAt: Date.now(),
      })
      .onConflictDoNothing();
    await recordAttempt(ctx, {
      provider: "dev-mailbox",
      outcome: "success",
      durationMs: Date.now() - started,
      response: "stored in the local dev mailbox",
    });
    return { kind: "done", status: "delivered", provider: "dev-mailbox", providerMessageId: row.id, subject: r.subject };
  }
  return withFailover(
    ctx,
    senders,
    { id: row.id, to: row.recipient, subject: r.subject, text, html, headers, stream: marketing ? "broadcast" : "transactional", from },
    r.subject,
  );
}

export async function deliverSms(ctx: DeliveryContext): Promise<Outcome> {
  const r = await render(ctx, "sms");
  if (!r) return { kind: "failed", error: `Template ${ctx.row.template} has no SMS version` };
  const body = r.text.length > 1600 ? `${r.text.slice(0, 1599)}…` : r.text;
  const senders: SmsSender[] = await smsProviders(ctx.db, ctx.env, ctx.row.tenantId, ctx.prefetched?.providerRows);
  if (!senders.length) {
    if (!messagingConfig(ctx.env).isLocal) return { kind: "failed", error: "No SMS provider is configured (Twilio)" };
    const started = Date.now();
    await ctx.db
      .insert(devSms)
      .values({ id: newId("sms"), messageId: ctx.row.id, toNumber: ctx.row.recipient, body, createdAt: Date.now() })
      .onConflictDoNothing();
    await recordAttempt(ctx, {
      provider: "dev-sms",
      outcome: "success",
      durationMs: Date.now() - started,
      response: "stored in the local dev SMS inbox",
    });
    return { kind: "done", status: "delivered", provider: "dev-sms", providerMessageId: ctx.row.id, subject: body.slice(0, 120) };
  }
  return withFailover(ctx, senders, { id: ctx.row.id, to: ctx.row.recipient, body }, body.slice(0, 120));
}

export async function deliverPush(ctx: DeliveryContext): Promise<Outcome> {
  const { db, env, row } = ctx;
  const r = await render(ctx, "push");
  if (!r) return { kind: "failed", error: `Template ${row.template} has no push version` };
  const subs = await subscriptionsOf(db, row.tenantId!, row.recipient);
  if (!subs.length) return { kind: "suppressed", reason: "The recipient has no push subscription", subject: r.subject };
  const keys = await vapidKeys(db, env, row.tenantId!);
  const subject = messagingConfig(env).VAPID_SUBJECT;
  const link = typeof row.data.link === "string" ? row.data.link : null;
  let ok: SendResult | null = null;
  const errors: string[] = [];
  let transient = false;
  for (const s of subs) {
    const started = Date.now();
    try {
      const res = await sendWebPush(s, { title: r.subject, body: r.text, url: link, tag: row.template }, keys, subject);
      await recordAttempt(ctx, {
        provider: "webpush",
        outcome: "success",
        statusCode: res.status,
        response: res.providerMessageId,
        durationMs: Date.now() - started,
      });
      ok ??= res;
    } catch (e) {
      const err = e instanceof ProviderError ? e : new ProviderError("provider", String(e));
      await recordAttempt(ctx, {
        provider: "webpush",
        outcome: err.kind === "rejected" ? "permanent" : "transient",
        statusCode: err.status,
        response: err.response,
        error: err.message,
        durationMs: Date.now() - started,
      });
      if (err.status === 404 || err.status === 410) await dropSubscription(db, row.tenantId!, s.id);
      if (err.kind !== "rejected") transient = true;
      errors.push(err.message);
    }
  }
  if (ok)
    return { kind: "done", status: "sent", provider: "webpush", providerMessageId: ok.providerMessageId || row.id, subject: r.subject };
  return transient
    ? { kind: "retry", error: errors.join("; "), countsAttempt: true, subject: r.subject }
    : { kind: "failed", error: errors.join("; "), subject: r.subject };
}

export async function deliverInApp(ctx: DeliveryContext): Promise<Outcome> {
  const r = await render(ctx, "in_app");
  if (!r) return { kind: "failed", error: `Template ${ctx.row.template} has no in-app version` };
  const link = typeof ctx.row.data.link === "string" ? ctx.row.data.link : null;
  await insertNotification(ctx.db, {
    tenantId: ctx.row.tenantId!,
    userId: ctx.row.recipient,
    messageId: ctx.row.id,
    title: r.subject,
    body: r.text,
    link,
    category: ctx.row.category,
  });
  await recordAttempt(ctx, { provider: "in-app", outcome: "success", durationMs: 0 });
  return { kind: "done", status: "delivered", provider: "in-app", providerMessageId: ctx.row.id, subject: r.subject };
}
