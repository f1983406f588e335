import { and, desc, eq, inArray, or } from "drizzle-orm";
import { auditInsert, type Actor } from "../../platform/audit";
import { notFound } from "../../platform/errors";
import {
  messageEvents,
  messageSuppressions,
  messagingProviders,
  outboxMessages,
  PLATFORM_SUPPRESSION_SCOPE,
  type ProviderName,
} from "../../../schema/messaging";
import { decryptSecret, toBase64 } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { messagingConfig } from "./config";
import { publishMessageFailed } from "./failed-event";
import type { ProviderEvent } from "./callbacks/parse";

const log = createLogger({ component: "provider-callbacks" });

/** Whose secret verifies a callback: the platform's account (env) or one workspace's own account. */
export interface CallbackAccount {
  key: string; // "platform" or the messaging_providers id
  tenantId: string | null; // null = platform account (may report on any message it sent)
  provider: ProviderName;
  secrets: { resendSecret?: string; sendgridPublicKey?: string; postmarkUser: string; postmarkPassword?: string; twilioAuthToken?: string };
}

export const POSTMARK_WEBHOOK_USER = "weft";

/** Postmark's basic-auth password for an account: configured for the platform, derived (HMAC) per workspace account. */
async function derivedPassword(signingKey: string, account: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`postmark-webhook:${signingKey}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(account)));
  return toBase64(mac).replace(/[+/=]/g, "").slice(0, 32);
}

/** The callback URL to paste into the provider's dashboard (Twilio gets it per message as StatusCallback). */
export async function callbackUrl(env: Env, provider: ProviderName, account: string): Promise<string> {
  const cfg = messagingConfig(env);
  const path = `/webhooks/messaging/${provider}/${account}`;
  if (provider !== "postmark") return cfg.appUrl + path;
  const pw =
    account === "platform"
      ? (cfg.POSTMARK_WEBHOOK_PASSWORD ?? "<POSTMARK_WEBHOOK_PASSWORD>")
      : await derivedPassword(cfg.signingKey, account);
  const u = new URL(cfg.appUrl + path);
  u.username = POSTMARK_WEBHOOK_USER;
  u.password = pw;
  return u.toString();
}

/** Resolves the account named in the callback URL, with the secrets that verify it; null if unknown. */
export async function callbackAccount(db: Db, env: Env, provider: ProviderName, account: string): Promise<CallbackAccount | null> {
  const cfg = messagingConfig(env);
  if (account === "platform") {
    return {
      key: "platform",
      tenantId: null,
      provider,
      secrets: {
        resendSecret: cfg.RESEND_WEBHOOK_SECRET,
        sendgridPublicKey: cfg.SENDGRID_WEBHOOK_PUBLIC_KEY,
        postmarkUser: POSTMARK_WEBHOOK_USER,
        postmarkPassword: cfg.POSTMARK_WEBHOOK_PASSWORD, // the operator sets it and puts it in the Postmark webhook URL
        twilioAuthToken: cfg.TWILIO_AUTH_TOKEN,
      },
    };
  }
  // A webhook names its account by id; the row says which workspace it belongs to.
  const row = await db
    .select()
    .from(messagingProviders)
    .where(and(eq(messagingProviders.id, account), eq(messagingProviders.provider, provider)))
    .get();
  if (!row) return null;
  const creds = JSON.parse(await decryptSecret(row.credentials, cfg.encryptionKey)) as Record<string, string | undefined>;
  return {
    key: row.id,
    tenantId: row.tenantId,
    provider,
    secrets: {
      resendSecret: creds.webhook_secret,
      sendgridPublicKey: creds.webhook_public_key,
      postmarkUser: POSTMARK_WEBHOOK_USER,
      postmarkPassword: await derivedPassword(cfg.signingKey, row.id),
      twilioAuthToken: creds.auth_token,
    },
  };
}

/**
 * Statuses only move forward: sent → delivered → bounced/failed → complained. A late or
 * replayed "sent" never undoes "delivered", and "delivered" never undoes a bounce.
 */
const RANK: Record<string, number> = {
  queued: 0,
  scheduled: 0,
  sending: 0,
  retrying: 0,
  sent: 1,
  delivered: 2,
  failed: 3,
  bounced: 3,
  complained: 4,
};
const TARGET: Partial<Record<ProviderEvent["type"], "sent" | "delivered" | "bounced" | "failed" | "complained">> = {
  sent: "sent",
  delivered: "delivered",
  bounced: "bounced",
  failed: "failed",
  complained: "complained",
};
const below = (rank: number) =>
  Object.entries(RANK)
    .filter(([, r]) => r < rank)
    .map(([s]) => s) as (typeof outboxMessages.$inferSelect.status)[];

export interface ApplyResult {
  received: number;
  applied: number;
  duplicates: number;
  unmatched: number;
}

/**
 * Records each event once (by account + provider event id) and applies it to its message:
 * a forward status move (compare-and-set on the current status), and for hard bounces and
 * complaints a suppression of the address. Replays and out-of-order events change nothing.
 */
export async function applyProviderEvents(db: Db, env: Env, account: CallbackAccount, events: ProviderEvent[]): Promise<ApplyResult> {
  const result: ApplyResult = { received: events.length, applied: 0, duplicates: 0, unmatched: 0 };
  for (const ev of events) {
    const match = [
      ev.outboxId ? eq(outboxMessages.id, ev.outboxId) : undefined,
      ev.providerMessageId ? eq(outboxMessages.providerMessageId, ev.providerMessageId) : undefined,
    ].filter(Boolean);
    const row = match.length
      ? await db
          .select({
            id: outboxMessages.id,
            tenantId: outboxMessages.tenantId,
            channel: outboxMessages.channel,
            recipient: outboxMessages.recipient,
            status: outboxMessages.status,
            template: outboxMessages.template,
          })
          .from(outboxMessages)
          .where(
            and(
              or(...match),
              eq(outboxMessages.provider, account.provider),
              // A workspace's own account reports only on that workspace's messages.
              account.tenantId ? eq(outboxMessages.tenantId, account.tenantId) : undefined,
            ),
          )
          .get()
      : undefined;
    const eventRowId = newId("mev");
    const inserted = await db
      .insert(messageEvents)
      .values({
        id: eventRowId,
        tenantId: row?.tenantId ?? account.tenantId,
        account: account.key,
        provider: account.provider,
        eventId: ev.eventId.slice(0, 300),
        messageId: row?.id ?? null,
        providerMessageId: ev.providerMessageId,
        type: ev.type,
        recipient: ev.recipient,
        detail: ev.detail?.slice(0, 1000) ?? null,
        occurredAt: ev.occurredAt,
        createdAt: Date.now(),
      })
      .onConflictDoNothing()
      .returning({ id: messageEvents.id });
    if (!inserted.length) {
      result.duplicates++;
      continue;
    }
    if (!row) {
      result.unmatched++;
      log.info("callback_unmatched", { provider: account.provider, account: account.key, event_id: ev.eventId });
      continue;
    }
    const target = TARGET[ev.type];
    const now = Date.now();
    const stmts = [];
    if (target) {
      stmts.push(
        db
          .update(outboxMessages)
          .set({
            status: target,
            updatedAt: now,
            ...(target === "delivered" ? { deliveredAt: ev.occurredAt ?? now } : {}),
            ...(RANK[target]! >= 3 ? { lastError: `${account.provider}: ${ev.detail ?? ev.type}`.slice(0, 1000) } : {}),
          })
          .where(and(eq(outboxMessages.id, row.id), inArray(outboxMessages.status, below(RANK[target]!))))
          .returning({ id: outboxMessages.id }),
      );
    }
    if (ev.hard && (row.channel === "email" || row.channel === "sms")) {
      stmts.push(
        db
          .insert(messageSuppressions)
          .values({
            tenantId: row.tenantId ?? PLATFORM_SUPPRESSION_SCOPE,
            recipient: row.recipient.toLowerCase(),
            channel: row.channel,
            reason: ev.type === "complained" ? "complaint" : row.channel === "sms" ? "unreachable" : "hard_bounce",
            provider: account.provider,
            messageId: row.id,
            detail: ev.detail?.slice(0, 500) ?? null,
            createdAt: now,
          })
          .onConflictDoNothing(),
      );
    }
    if (!stmts.length) continue;
    const out = await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
    const moved = target ? (out[0] as { id: string }[]).length > 0 : false;
    if (moved) {
      result.applied++;
      await db.update(messageEvents).set({ applied: true }).where(eq(messageEvents.id, eventRowId));
      if (target === "bounced" || target === "failed")
        await publishMessageFailed(db, env, row, `${account.provider}: ${ev.detail ?? ev.type}`);
    }
  }
  return result;
}

/** Whether later sends to this address on this channel are suppressed (hard bounce, complaint, unreachable number). */
export function suppressionQuery(db: Db, tenantId: string | null, recipient: string, channel: string) {
  return db
    .select({ reason: messageSuppressions.reason })
    .from(messageSuppressions)
    .where(
      and(
        eq(messageSuppressions.tenantId, tenantId ?? PLATFORM_SUPPRESSION_SCOPE),
        eq(messageSuppressions.recipient, recipient.toLowerCase()),
        eq(messageSuppressions.channel, channel as "email"),
      ),
    )
    .limit(1);
}

// ---- Suppression list (the workspace's view) ----------------------------------------------------

type SuppressionRow = typeof messageSuppressions.$inferSelect;
const serializeSuppression = (r: SuppressionRow) => ({
  recipient: r.recipient,
  channel: r.channel,
  reason: r.reason,
  provider: r.provider,
  message_id: r.messageId,
  detail: r.detail,
  created_at: new Date(r.createdAt).toISOString(),
});

export async function listSuppressions(db: Db, tenantId: string, recipient?: string) {
  const rows = await db
    .select()
    .from(messageSuppressions)
    .where(
      and(
        eq(messageSuppressions.tenantId, tenantId),
        recipient ? eq(messageSuppressions.recipient, recipient.trim().toLowerCase()) : undefined,
      ),
    )
    .orderBy(desc(messageSuppressions.createdAt))
    .limit(200);
  return { data: rows.map(serializeSuppression) };
}

/** Lets sends to the address through again (e.g. the mailbox was fixed); audited. */
export async function removeSuppression(db: Db, tenantId: string, channel: "email" | "sms", recipient: string, actor: Actor) {
  const r = recipient.trim().toLowerCase();
  const where = and(
    eq(messageSuppressions.tenantId, tenantId),
    eq(messageSuppressions.channel, channel),
    eq(messageSuppressions.recipient, r),
  );
  const row = await db.select().from(messageSuppressions).where(where).get();
  if (!row) throw notFound("Suppression");
  await db.batch([
    db.delete(messageSuppressions).where(where),
    auditInsert(db, actor, {
      tenantId,
      action: "messaging.suppression_removed",
      target: { type: "recipient", id: r },
      metadata: { channel, reason: row.reason },
    }),
  ]);
}
