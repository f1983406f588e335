/**
 * The workspace settings live ChatSessions enforce (identity enforcement, AI on/off), never older
 * than SESSION_SETTINGS_TTL_MS (`at` is when the read started, so that is the staleness bound).
 *
 * Two levels, so that many live sessions of a workspace do not each read D1:
 * - the tenant's TenantInbox reads D1 for every session asking meanwhile: one read in flight, and
 *   the callers that arrive while it runs await it (inside one object a pending read can be shared;
 *   across objects it cannot — awaiting another Durable Object's pending I/O never completes in
 *   workerd, seen as "Promise will never complete" at 500 sessions);
 * - an isolate-wide entry of settled reads, which sessions of this isolate use while it is valid.
 *   Refresh ahead: once the newest read started SESSION_SETTINGS_REFRESH_MS ago, the next session
 *   looking starts another beside its work (in its own context), so under steady traffic the entry
 *   is renewed before it expires even when reads are slow (seen: 2–4 s on a saturated local thread).
 *   A session waits only when neither its own settings nor the entry are valid (a quiet workspace,
 *   the start of a burst), for the inbox.
 *
 * Measured locally: the previous shape (an isolate entry, re-read by every session that found it
 * expired) read D1 753 times for 1,500 messages at 150 sessions, in bursts of 150 every 5 s. At 500
 * sessions this one read D1 10 times for 5,000 messages and a message waited 0.3 s for settings on
 * average (the first messages of a burst). Tried and dropped: sessions whose settings expired
 * waiting for another session's read by looking at the entry again after short pauses — on a
 * saturated thread those timers fired seconds late (7 s on average for ≤ 160 ms pauses), so the
 * waits averaged 4.5–7.8 s; and renewing the entry only from sessions whose own settings were still
 * valid — once round trips exceeded the TTL nobody renewed it, and waits averaged 1.8 s.
 *
 * A change made through the settings API drops this isolate's entry and the inbox's at once (a read
 * that started before the change is not kept); a change made elsewhere is bounded by the TTL.
 */
import { inboxStub, type ChatEnv } from "./env";
import type { SessionSettingsRead } from "./settings.service";

export const SESSION_SETTINGS_TTL_MS = 5_000;
/** From this age of the newest read on, the next session looking renews the entry beside its work. */
export const SESSION_SETTINGS_REFRESH_MS = SESSION_SETTINGS_TTL_MS / 5;

const entries = new Map<string, SessionSettingsRead>();
/** When the newest read of a tenant's settings started in this isolate. */
const newestRead = new Map<string, number>();
/** When this isolate last changed a tenant's settings: a read started before then is not kept. */
const changedAt = new Map<string, number>();

const validEntry = (tenantId: string, now: number) => {
  const hit = entries.get(tenantId);
  return hit && now - hit.at < SESSION_SETTINGS_TTL_MS ? hit : null;
};

/**
 * The isolate's entry if it is valid (renewing it beside the caller when due); when it is not: null
 * if the caller's own settings are still valid (`ownValid`), else a read no older than the TTL,
 * waiting for the inbox.
 */
export async function sessionSettings(
  env: ChatEnv,
  tenantId: string,
  background: (read: Promise<unknown>) => void,
  ownValid: boolean,
): Promise<SessionSettingsRead | null> {
  const now = Date.now();
  const valid = validEntry(tenantId, now);
  if (valid && now - valid.at < SESSION_SETTINGS_REFRESH_MS) return valid;
  if (!valid && !ownValid) return viaInbox(env, tenantId, SESSION_SETTINGS_TTL_MS);
  if (now - (newestRead.get(tenantId) ?? -Infinity) >= SESSION_SETTINGS_REFRESH_MS)
    background(viaInbox(env, tenantId, SESSION_SETTINGS_REFRESH_MS).catch(() => {}));
  return valid;
}

async function viaInbox(env: ChatEnv, tenantId: string, maxAgeMs: number): Promise<SessionSettingsRead> {
  const asked = Date.now();
  newestRead.set(tenantId, Math.max(asked, newestRead.get(tenantId) ?? -Infinity));
  const read = await inboxStub(env, tenantId).settings(tenantId, maxAgeMs);
  const current = entries.get(tenantId);
  if ((!current || current.at < read.at) && read.at > (changedAt.get(tenantId) ?? -1)) entries.set(tenantId, read);
  for (const m of [entries, newestRead, changedAt]) if (m.size > 1000) m.delete(m.keys().next().value!);
  return read;
}

/** The settings changed in this isolate: its entry is dropped (the settings API also tells the inbox). */
export function sessionSettingsChanged(tenantId: string) {
  entries.delete(tenantId);
  changedAt.set(tenantId, Date.now());
}
