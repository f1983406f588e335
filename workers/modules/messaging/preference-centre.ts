import { and, eq, or } from "drizzle-orm";
import { messagePreferences } from "../../../schema/messaging";
import { tenantScope, type Db } from "../../platform/db";
import { findUserProfileByEmail, getMember } from "../../platform/directory";
import { CATEGORIES, CATEGORY_NAMES, canOptOut, type MessageCategory } from "./categories";
import { setPreference } from "./preferences";

/**
 * The recipient-facing preference centre: categories × channels for one email address in one
 * workspace. Email is always there; in-app and push when the address is a member's account
 * (those channels are addressed to the user id). Security and transactional are locked on.
 */
export const CENTRE_CHANNELS = { email: "Email", push: "Push", in_app: "In-app" } as const;
export type CentreChannel = keyof typeof CENTRE_CHANNELS;

export interface CentreCell {
  category: MessageCategory;
  channel: CentreChannel;
  on: boolean;
  locked: boolean;
}
export interface CentreState {
  recipient: string;
  channels: CentreChannel[];
  categories: { name: MessageCategory; label: string; locked: boolean; cells: CentreCell[] }[];
}

async function recipientsOf(db: Db, tenantId: string, email: string): Promise<Record<CentreChannel, string | null>> {
  const user = await findUserProfileByEmail(db, email);
  const member = user
    ? await getMember(db, tenantId, user.id).then(
        () => true,
        () => false,
      )
    : false;
  return { email: email.toLowerCase(), push: member ? user!.id : null, in_app: member ? user!.id : null };
}

export async function preferenceCentre(db: Db, tenantId: string, email: string): Promise<CentreState> {
  const who = await recipientsOf(db, tenantId, email);
  const channels = (Object.keys(CENTRE_CHANNELS) as CentreChannel[]).filter((ch) => who[ch]);
  const ids = [...new Set(channels.map((ch) => who[ch]!))];
  const rows = await db
    .select()
    .from(messagePreferences)
    .where(tenantScope(db, tenantId).where(messagePreferences, or(...ids.map((r) => eq(messagePreferences.recipient, r)))));
  const optedOut = (category: string, channel: CentreChannel) =>
    rows.some(
      (r) =>
        r.optedOut &&
        r.recipient === who[channel] &&
        (r.category === category || r.category === "*") &&
        (r.channel === channel || r.channel === "*"),
    );
  return {
    recipient: who.email!,
    channels,
    categories: CATEGORY_NAMES.map((name) => {
      const locked = !canOptOut(name);
      return {
        name,
        label: CATEGORIES[name].label,
        locked,
        cells: channels.map((channel) => ({ category: name, channel, locked, on: locked || !optedOut(name, channel) })),
      };
    }),
  };
}

/**
 * Saves the whole grid: `on` holds "category.channel" pairs the recipient keeps. Locked
 * categories are ignored (they cannot be turned off), "*" opt-outs are replaced by explicit cells.
 */
export async function savePreferenceCentre(db: Db, tenantId: string, email: string, on: Set<string>): Promise<CentreState> {
  const who = await recipientsOf(db, tenantId, email);
  const channels = (Object.keys(CENTRE_CHANNELS) as CentreChannel[]).filter((ch) => who[ch]);
  for (const ch of channels) {
    // Wildcard rows (from one-click unsubscribes or the API) would override the explicit choices.
    await db
      .update(messagePreferences)
      .set({ optedOut: false, source: "preference_centre", updatedAt: Date.now() })
      .where(
        and(
          tenantScope(db, tenantId).where(messagePreferences, eq(messagePreferences.recipient, who[ch]!)),
          or(eq(messagePreferences.category, "*"), eq(messagePreferences.channel, "*")),
        ),
      );
  }
  for (const name of CATEGORY_NAMES.filter(canOptOut)) {
    for (const ch of channels) {
      await setPreference(db, tenantId, {
        recipient: who[ch]!,
        category: name,
        channel: ch,
        optedOut: !on.has(`${name}.${ch}`),
        source: "preference_centre",
      });
    }
  }
  return preferenceCentre(db, tenantId, email);
}
