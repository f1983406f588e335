import { z } from "zod";
import type { Env } from "../../platform/env";
import { getConfig } from "../../platform/env";

/**
 * Platform-level messaging configuration (vars/secrets). Every key is optional: with none set,
 * email goes to the local dev mailbox and SMS to the local dev SMS inbox (outside production).
 * A workspace may add its own provider accounts (messaging_providers), tried before these.
 */
const schema = z.object({
  EMAIL_FROM: z.string().min(3).default("Weft <no-reply@weft.local>"),
  RESEND_API_KEY: z.string().startsWith("re_").optional(),
  SENDGRID_API_KEY: z.string().startsWith("SG.").optional(),
  POSTMARK_SERVER_TOKEN: z.string().min(8).optional(),
  TWILIO_ACCOUNT_SID: z.string().startsWith("AC").optional(),
  TWILIO_AUTH_TOKEN: z.string().min(8).optional(),
  TWILIO_FROM: z.string().min(3).optional(),
  VAPID_SUBJECT: z.string().default("mailto:push@weft.local"),
  // Delivery callbacks of the platform's accounts (POST /webhooks/messaging/<provider>/platform).
  RESEND_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(), // Svix signing secret of the Resend webhook
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(40).optional(), // Event Webhook verification key (base64 SPKI)
  POSTMARK_WEBHOOK_PASSWORD: z.string().min(16).optional(), // basic-auth password in the platform's Postmark webhook URL (unset: platform Postmark callbacks are refused)
});
export type MessagingConfig = z.infer<typeof schema> & { isLocal: boolean; appUrl: string; encryptionKey: string; signingKey: string };

const cache = new WeakMap<object, MessagingConfig>();

export function messagingConfig(env: Env): MessagingConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const raw = Object.fromEntries(
    Object.entries(env as unknown as Record<string, unknown>).filter(([, v]) => typeof v === "string" && v !== ""),
  );
  const base = getConfig(env);
  const cfg = {
    ...schema.parse(raw),
    isLocal: base.isLocal,
    appUrl: base.APP_URL.replace(/\/$/, ""),
    encryptionKey: base.ENCRYPTION_KEY,
    signingKey: base.JWT_SECRET,
  };
  cache.set(env, cfg);
  return cfg;
}
