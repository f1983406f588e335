// Delivery entry: one batched read (opt-outs, suppression, template, provider accounts), then dispatch by channel.
import type { BatchItem } from "drizzle-orm/batch";
import { suppressionQuery } from "./callbacks.service";
import { deliverEmail, deliverInApp, deliverPush, deliverSms } from "./deliver-channels";
import type { DeliveryContext, Outcome } from "./delivery-attempts";
import { messagingHooks } from "./hooks";
import { optOutQuery } from "./preferences";
import { providerRowsQuery, type Row as ProviderRow } from "./providers.service";
import { templateFrom, templateQuery } from "./template-store";

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
