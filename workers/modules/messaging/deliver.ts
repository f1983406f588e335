import type { BatchItem } from "drizzle-orm/batch";
import { devMailbox, devSms, messageAttempts, type outboxMessages } from "../../../schema/messaging";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { suppressionQuery } from "./callbacks.service";
import { canOptOut } from "./categories";
import { messagingConfig } from "./config";
import { messagingHooks } from "./hooks";
import { insertNotification } from "./notifications.service";
import { optOutQuery, preferencesToken, unsubscribeToken } from "./preferences";
import {
  emailProviders,
  providerRowsQuery,
  smsProviders,
  type EmailSender,
  type Row as ProviderRow,
  type SmsSender,
} from "./providers.service";
import { ProviderError, type SendResult } from "./providers/http";
import { backOff, takeSlot } from "./providers/limiter";
import { sendWebPush } from "./providers/webpush";
import { dropSubscription, subscriptionsOf, vapidKeys } from "./push.service";
import { escapeHtml } from "./render";
import { renderTemplate, resolveTemplate, templateFrom, templateQuery, type ChannelTemplate, type Rendered } from "./template-store";
import type { TemplateChannel } from "./message";

export type OutboxRow = typeof outboxMessages.$inferSelect;

export type Outcome =
  | { kind: "done"; status: "sent" | "delivered"; provider: string; providerMessageId: string; subject?: string }
  | { kind: "suppressed"; reason: string; subject?: string }
  | { kind: "retry"; error: string; delaySeconds?: number; countsAttempt: boolean; subject?: string }
  | { kind: "failed"; error: string; status?: "failed" | "bounced"; subject?: string; disableEndpoint?: boolean };

/**
 * `attempts`: when given, attempt-log rows are collected here and the consumer writes them in the
 * same D1 batch as the message's new status (one round trip instead of one per attempt).
 * `prefetched`: what deliver() read in its single batch (template, provider accounts).
 */
export interface DeliveryContext {
  db: Db;
  env: Env;
  row: OutboxRow;
  attempt: number;
  attempts?: (typeof messageAttempts.$inferInsert)[];
  prefetched?: { channel: TemplateChannel; template: ChannelTemplate | null; providerRows?: ProviderRow[] };
}

export async function recordAttempt(
  ctx: DeliveryContext,
  a: {
    provider: string;
    outcome: "success" | "rate_limited" | "transient" | "permanent";
    statusCode?: number | null;
    response?: string | null;
    error?: string | null;
    durationMs: number;
  },
) {
  const values = {
    id: newId("att"),
    tenantId: ctx.row.tenantId,
    messageId: ctx.row.id,
    attempt: ctx.attempt,
    provider: a.provider,
    outcome: a.outcome,
    statusCode: a.statusCode ?? null,
    response: a.response ?? null,
    error: a.error ?? null,
    durationMs: a.durationMs,
    createdAt: Date.now(),
  };
  if (ctx.attempts) ctx.attempts.push(values);
  else await ctx.db.insert(messageAttempts).values(values);
}

interface Sender<M> {
  key: string;
  name: string;
  ratePerSecond: number;
  send(m: M): Promise<SendResult>;
}

/**
 * Tries each provider in order. Provider-side failures (5xx, network, credentials, 429) fail over
 * to the next one; a rejection of the message itself stops. Accounts paced out by their rate
 * limit are skipped too; if nothing was tried, the message is deferred without using an attempt.
 */
async function withFailover<M>(ctx: DeliveryContext, senders: Sender<M>[], message: M, subject: string): Promise<Outcome> {
  const errors: string[] = [];
  let tried = 0;
  let minWait: number | null = null;
  for (const s of senders) {
    const slot = await takeSlot(ctx.env.PROVIDER_PACER, s.key, s.ratePerSecond);
    if (!slot.ok) {
      minWait = Math.min(minWait ?? Infinity, slot.waitMs);
      continue;
    }
    tried++;
    const started = Date.now();
    try {
      const r = await s.send(message);
      await recordAttempt(ctx, {
        provider: s.name,
        outcome: "success",
        statusCode: r.status,
        response: r.response,
        durationMs: Date.now() - started,
      });
      return { kind: "done", status: "sent", provider: s.name, providerMessageId: r.providerMessageId, subject };
    } catch (e) {
      const err =
        e instanceof ProviderError ? e : new ProviderError("provider", `${s.name}: ${e instanceof Error ? e.message : String(e)}`);
      const outcome = err.kind === "rate_limited" ? "rate_limited" : err.kind === "rejected" ? "permanent" : "transient";
      await recordAttempt(ctx, {
        provider: s.name,
        outcome,
        statusCode: err.status,
        response: err.response,
        error: err.message,
        durationMs: Date.now() - started,
      });
      errors.push(err.message);
      if (err.kind === "rejected")
        return {
          kind: "failed",
          error: err.message,
          status: err.status === 406 || /inactive|bounce/i.test(err.message) ? "bounced" : "failed",
          subject,
        };
      if (err.kind === "rate_limited") {
        const wait = err.retryAfterSeconds ?? 30;
        await backOff(ctx.env.PROVIDER_PACER, s.key, wait);
        minWait = Math.min(minWait ?? Infinity, wait * 1000);
      }
    }
  }
  if (tried === 0 && minWait !== null)
    return {
      kind: "retry",
      error: "Paced by provider rate limits",
      delaySeconds: Math.ceil(minWait / 1000),
      countsAttempt: false,
      subject,
    };
  const onlyRateLimited = errors.length > 0 && errors.every((m) => m.includes("rate limited"));
  return {
    kind: "retry",
    error: errors.join("; ") || "No provider accepted the message",
    delaySeconds: onlyRateLimited && minWait ? Math.ceil(minWait / 1000) : undefined,
    countsAttempt: true,
    subject,
  };
}

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

async function deliverEmail(ctx: DeliveryContext): Promise<Outcome> {
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

async function deliverSms(ctx: DeliveryContext): Promise<Outcome> {
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

async function deliverPush(ctx: DeliveryContext): Promise<Outcome> {
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

async function deliverInApp(ctx: DeliveryContext): Promise<Outcome> {
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

/** Channel dispatch, after the recipient's preferences are honoured. */
export async function deliver(ctx: DeliveryContext): Promise<Outcome> {
  const { row, db } = ctx;
  if (row.channel !== "webhook") {
    // Everything deliver needs to read, in one D1 round trip: opt-outs, suppression, template, provider accounts.
    const channel = row.channel;
    const prefs = optOutQuery(db, row.tenantId, row.recipient, row.category, channel);
    const suppression = channel === "email" || channel === "sms" ? suppressionQuery(db, row.tenantId, row.recipient, channel) : null;
    const template = row.tenantId ? templateQuery(db, row.tenantId, row.template, channel) : null;
    const providers = row.tenantId && (channel === "email" || channel === "sms") ? providerRowsQuery(db, row.tenantId, channel) : null;
    const queries = [prefs, suppression, template, providers].filter((q) => q !== null);
    const results = queries.length
      ? ((await db.batch(queries as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown[][])
      : [];
    const take = <T>(q: unknown): T[] => (q ? (results[queries.indexOf(q as never)] as T[]) : []);
    if (take<{ optedOut: boolean }>(prefs).some((r) => r.optedOut)) {
      return { kind: "suppressed", reason: `The recipient unsubscribed from ${row.category} messages on ${channel}` };
    }
    const [s] = take<{ reason: string }>(suppression);
    if (s) return { kind: "suppressed", reason: `The address is suppressed (${s.reason.replace("_", " ")} reported by a provider)` };
    ctx.prefetched = {
      channel,
      template: templateFrom(take(template), row.template, channel),
      ...(providers ? { providerRows: take<ProviderRow>(providers) } : {}),
    };
  }
  switch (row.channel) {
    case "email":
      return deliverEmail(ctx);
    case "sms":
      return deliverSms(ctx);
    case "push":
      return deliverPush(ctx);
    case "in_app":
      return deliverInApp(ctx);
    case "webhook":
      return messagingHooks().webhookChannel.deliver(ctx);
  }
}
