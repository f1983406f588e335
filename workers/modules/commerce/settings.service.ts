import { eq } from "drizzle-orm";
import { commerceSettings } from "../../../schema/commerce";
import type { Db } from "../../platform/db";
import { validationFailed } from "../../platform/errors";

/** A workspace's commerce settings; defaults while it has never saved any. */
export interface CommerceSettings {
  currencies: string[];
  default_currency: string;
  reservation_minutes: number;
}
export const DEFAULT_SETTINGS: CommerceSettings = { currencies: ["USD"], default_currency: "USD", reservation_minutes: 15 };

export async function getSettings(db: Db, tenantId: string): Promise<CommerceSettings> {
  const row = await db.select().from(commerceSettings).where(eq(commerceSettings.tenantId, tenantId)).get();
  if (!row) return { ...DEFAULT_SETTINGS };
  return { currencies: row.currencies, default_currency: row.defaultCurrency, reservation_minutes: row.reservationMinutes };
}

export async function putSettings(db: Db, tenantId: string, s: CommerceSettings): Promise<CommerceSettings> {
  const currencies = [...new Set(s.currencies)];
  if (!currencies.includes(s.default_currency))
    throw validationFailed([{ path: "default_currency", message: "must be one of `currencies`" }]);
  const values = { currencies, defaultCurrency: s.default_currency, reservationMinutes: s.reservation_minutes, updatedAt: Date.now() };
  await db
    .insert(commerceSettings)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: commerceSettings.tenantId, set: values });
  return getSettings(db, tenantId);
}
