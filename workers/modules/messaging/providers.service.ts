import { and, asc, eq } from "drizzle-orm";
import { messagingProviders, type ProviderName } from "../../../schema/messaging";
import { auditInsert, type Actor } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import { callbackUrl } from "./callbacks.service";
import { messagingConfig } from "./config";
import { sendViaPostmark, sendViaResend, sendViaSendGrid, type EmailMessage } from "./providers/email";
import type { SendResult } from "./providers/http";
import { sendViaTwilio, type SmsMessage } from "./providers/sms";

export const PROVIDER_CHANNEL: Record<ProviderName, "email" | "sms"> = {
  resend: "email",
  sendgrid: "email",
  postmark: "email",
  twilio: "sms",
};
/** Default request rates (per second) of each provider's standard account. */
export const DEFAULT_RATE: Record<ProviderName, number> = { resend: 2, sendgrid: 50, postmark: 50, twilio: 1 };

export type Credentials =
  | { api_key: string; webhook_secret?: string; webhook_public_key?: string }
  | { account_sid: string; auth_token: string };

export interface EmailSender {
  key: string;
  name: string;
  from: string;
  ratePerSecond: number;
  /** `from`: the message's own From when the sender chose one (else the account's). */
  send(m: Omit<EmailMessage, "from"> & { from?: string }): Promise<SendResult>;
}
export interface SmsSender {
  key: string;
  name: string;
  from: string;
  ratePerSecond: number;
  send(m: Omit<SmsMessage, "from">): Promise<SendResult>;
}

function emailSender(key: string, provider: ProviderName, apiKey: string, from: string, rate: number): EmailSender {
  const fn = provider === "resend" ? sendViaResend : provider === "sendgrid" ? sendViaSendGrid : sendViaPostmark;
  return { key, name: provider, from, ratePerSecond: rate, send: (m) => fn({ apiKey }, { ...m, from: m.from ?? from }) };
}

export type Row = typeof messagingProviders.$inferSelect;

/** The workspace's enabled accounts for a channel, in fail-over order (a query, so it can join a batch). */
export function providerRowsQuery(db: Db, tenantId: string, channel: "email" | "sms") {
  return db
    .select()
    .from(messagingProviders)
    .where(
      tenantScope(db, tenantId).where(messagingProviders, eq(messagingProviders.channel, channel), eq(messagingProviders.enabled, true)),
    )
    .orderBy(asc(messagingProviders.priority), asc(messagingProviders.createdAt));
}

/** Email providers in fail-over order: the workspace's own accounts, then the platform's. */
/** `rows`: the workspace's accounts when already read (the consumer batches that read with others). */
export async function emailProviders(db: Db, env: Env, tenantId: string | null, rows?: Row[]): Promise<EmailSender[]> {
  const cfg = messagingConfig(env);
  const out: EmailSender[] = [];
  if (tenantId) {
    for (const r of rows ?? (await providerRowsQuery(db, tenantId, "email"))) {
      const creds = JSON.parse(await decryptSecret(r.credentials, cfg.encryptionKey)) as { api_key: string };
      out.push(emailSender(`${r.provider}:${r.id}`, r.provider, creds.api_key, r.fromAddress, r.ratePerSecond));
    }
  }
  if (cfg.RESEND_API_KEY) out.push(emailSender("resend:platform", "resend", cfg.RESEND_API_KEY, cfg.EMAIL_FROM, DEFAULT_RATE.resend));
  if (cfg.SENDGRID_API_KEY)
    out.push(emailSender("sendgrid:platform", "sendgrid", cfg.SENDGRID_API_KEY, cfg.EMAIL_FROM, DEFAULT_RATE.sendgrid));
  if (cfg.POSTMARK_SERVER_TOKEN)
    out.push(emailSender("postmark:platform", "postmark", cfg.POSTMARK_SERVER_TOKEN, cfg.EMAIL_FROM, DEFAULT_RATE.postmark));
  return out;
}

export async function smsProviders(db: Db, env: Env, tenantId: string | null, rows?: Row[]): Promise<SmsSender[]> {
  const cfg = messagingConfig(env);
  const out: SmsSender[] = [];
  // Twilio reports each message's status to the account's callback URL (given per message).
  const twilio = (key: string, sid: string, token: string, from: string, rate: number, statusCallback: string): SmsSender => ({
    key,
    name: "twilio",
    from,
    ratePerSecond: rate,
    send: (m) => sendViaTwilio({ accountSid: sid, authToken: token }, { ...m, from, statusCallback }),
  });
  if (tenantId) {
    for (const r of rows ?? (await providerRowsQuery(db, tenantId, "sms"))) {
      const creds = JSON.parse(await decryptSecret(r.credentials, cfg.encryptionKey)) as { account_sid: string; auth_token: string };
      out.push(
        twilio(
          `twilio:${r.id}`,
          creds.account_sid,
          creds.auth_token,
          r.fromAddress,
          r.ratePerSecond,
          await callbackUrl(env, "twilio", r.id),
        ),
      );
    }
  }
  if (cfg.TWILIO_ACCOUNT_SID && cfg.TWILIO_AUTH_TOKEN && cfg.TWILIO_FROM)
    out.push(
      twilio(
        "twilio:platform",
        cfg.TWILIO_ACCOUNT_SID,
        cfg.TWILIO_AUTH_TOKEN,
        cfg.TWILIO_FROM,
        DEFAULT_RATE.twilio,
        await callbackUrl(env, "twilio", "platform"),
      ),
    );
  return out;
}

const mask = (s: string) => (s.length <= 8 ? "••••" : `${s.slice(0, 4)}••••${s.slice(-4)}`);

async function serialize(r: Row, env: Env) {
  const creds = JSON.parse(await decryptSecret(r.credentials, messagingConfig(env).encryptionKey)) as Record<string, string>;
  return {
    id: r.id,
    channel: r.channel,
    provider: r.provider,
    priority: r.priority,
    from: r.fromAddress,
    rate_per_second: r.ratePerSecond,
    enabled: r.enabled,
    credentials_hint: Object.fromEntries(Object.entries(creds).map(([k, v]) => [k, mask(v)])),
    // Where the provider should send delivery events (Postmark's carries its basic-auth credentials).
    webhook_url: await callbackUrl(env, r.provider, r.id),
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

export async function listProviders(db: Db, env: Env, tenantId: string) {
  const cfg = messagingConfig(env);
  const rows = await db
    .select()
    .from(messagingProviders)
    .where(tenantScope(db, tenantId).where(messagingProviders))
    .orderBy(asc(messagingProviders.channel), asc(messagingProviders.priority));
  const platform = {
    email: [cfg.RESEND_API_KEY && "resend", cfg.SENDGRID_API_KEY && "sendgrid", cfg.POSTMARK_SERVER_TOKEN && "postmark"].filter(
      Boolean,
    ) as string[],
    sms: cfg.TWILIO_ACCOUNT_SID && cfg.TWILIO_AUTH_TOKEN && cfg.TWILIO_FROM ? ["twilio"] : [],
  };
  return {
    data: await Promise.all(rows.map((r) => serialize(r, env))),
    platform,
    // What happens when no provider answers: labelled as local in the UI.
    local_fallback: cfg.isLocal ? { email: "dev-mailbox", sms: "dev-sms" } : null,
  };
}

export interface ProviderInput {
  provider: ProviderName;
  priority?: number;
  from: string;
  rate_per_second?: number;
  enabled?: boolean;
  credentials: Record<string, string>;
}

function checkCredentials(provider: ProviderName, creds: Record<string, string>): Credentials {
  if (provider === "twilio") {
    if (!/^AC[0-9a-zA-Z]{32}$/.test(creds.account_sid ?? "") || !(creds.auth_token ?? "").length)
      throw badRequest("Twilio needs `credentials.account_sid` (AC…, 34 characters) and `credentials.auth_token`.");
    return { account_sid: creds.account_sid!, auth_token: creds.auth_token! };
  }
  const key = creds.api_key ?? "";
  if (provider === "resend" && !key.startsWith("re_")) throw badRequest("A Resend API key starts with `re_`.");
  if (provider === "sendgrid" && !key.startsWith("SG.")) throw badRequest("A SendGrid API key starts with `SG.`.");
  if (provider === "postmark" && key.length < 8) throw badRequest("Enter the Postmark server token.");
  // What verifies the account's delivery callbacks: Resend's Svix signing secret, SendGrid's public key.
  const hook: Record<string, string> = {};
  if (creds.webhook_secret) {
    if (provider !== "resend" || !creds.webhook_secret.startsWith("whsec_"))
      throw badRequest("`credentials.webhook_secret` is Resend's webhook signing secret (whsec_…).");
    hook.webhook_secret = creds.webhook_secret;
  }
  if (creds.webhook_public_key) {
    if (provider !== "sendgrid") throw badRequest("`credentials.webhook_public_key` is SendGrid's Event Webhook verification key.");
    hook.webhook_public_key = creds.webhook_public_key;
  }
  return { api_key: key, ...hook };
}

export async function createProvider(db: Db, env: Env, tenantId: string, input: ProviderInput, actor: Actor) {
  const cfg = messagingConfig(env);
  const creds = checkCredentials(input.provider, input.credentials);
  const now = Date.now();
  const row: Row = {
    tenantId,
    id: newId("mpr"),
    channel: PROVIDER_CHANNEL[input.provider],
    provider: input.provider,
    priority: input.priority ?? 10,
    credentials: await encryptSecret(JSON.stringify(creds), cfg.encryptionKey),
    fromAddress: input.from,
    ratePerSecond: input.rate_per_second ?? DEFAULT_RATE[input.provider],
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(messagingProviders).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "messaging_provider.created",
      target: { type: "messaging_provider", id: row.id },
      metadata: { provider: row.provider, priority: row.priority },
    }),
  ]);
  return serialize(row, env);
}

async function getRow(db: Db, tenantId: string, id: string): Promise<Row> {
  const row = await db
    .select()
    .from(messagingProviders)
    .where(tenantScope(db, tenantId).where(messagingProviders, eq(messagingProviders.id, id)))
    .get();
  if (!row) throw notFound("Provider");
  return row;
}

export async function updateProvider(db: Db, env: Env, tenantId: string, id: string, patch: Partial<ProviderInput>, actor: Actor) {
  const cfg = messagingConfig(env);
  const row = await getRow(db, tenantId, id);
  const next: Partial<Row> = { updatedAt: Date.now() };
  if (patch.priority !== undefined) next.priority = patch.priority;
  if (patch.from !== undefined) next.fromAddress = patch.from;
  if (patch.rate_per_second !== undefined) next.ratePerSecond = patch.rate_per_second;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  if (patch.credentials)
    next.credentials = await encryptSecret(JSON.stringify(checkCredentials(row.provider, patch.credentials)), cfg.encryptionKey);
  await db.batch([
    db
      .update(messagingProviders)
      .set(next)
      .where(and(eq(messagingProviders.tenantId, tenantId), eq(messagingProviders.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "messaging_provider.updated",
      target: { type: "messaging_provider", id },
      metadata: { fields: Object.keys(patch) },
    }),
  ]);
  return serialize({ ...row, ...next }, env);
}

export async function deleteProvider(db: Db, tenantId: string, id: string, actor: Actor) {
  await getRow(db, tenantId, id);
  await db.batch([
    db.delete(messagingProviders).where(and(eq(messagingProviders.tenantId, tenantId), eq(messagingProviders.id, id))),
    auditInsert(db, actor, { tenantId, action: "messaging_provider.deleted", target: { type: "messaging_provider", id } }),
  ]);
}
