import { and, eq, inArray } from "drizzle-orm";
import { messagePreferences, messageSuppressions } from "../../../schema/messaging";
import type { Db } from "../../platform/db";

export type EmailStop = "bounced" | "unsubscribed";

/**
 * Which of these addresses may no longer get a workspace's marketing email, and why: a hard bounce or
 * complaint (suppression list) → "bounced"; an opt-out of marketing (or of everything) on email or on
 * every channel, e.g. the RFC 8058 one-click → "unsubscribed". Addresses absent from the map are fine.
 * Outreach (modules/outreach) stops its sequences on these.
 */
export async function emailStops(db: Db, tenantId: string, emails: string[]): Promise<Map<string, EmailStop>> {
  const out = new Map<string, EmailStop>();
  const list = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  for (let i = 0; i < list.length; i += 80) {
    const chunk = list.slice(i, i + 80);
    const [bounced, optedOut] = await db.batch([
      db
        .select({ recipient: messageSuppressions.recipient })
        .from(messageSuppressions)
        .where(
          and(
            eq(messageSuppressions.tenantId, tenantId),
            eq(messageSuppressions.channel, "email"),
            inArray(messageSuppressions.recipient, chunk),
          ),
        ),
      db
        .select({ recipient: messagePreferences.recipient })
        .from(messagePreferences)
        .where(
          and(
            eq(messagePreferences.tenantId, tenantId),
            inArray(messagePreferences.recipient, chunk),
            inArray(messagePreferences.category, ["marketing", "*"]),
            inArray(messagePreferences.channel, ["email", "*"]),
            eq(messagePreferences.optedOut, true),
          ),
        ),
    ]);
    for (const r of optedOut) out.set(r.recipient, "unsubscribed");
    for (const r of bounced) out.set(r.recipient, "bounced");
  }
  return out;
}
