/**
 * What a visitor's events must pass in a ChatSession: the workspace settings that can change
 * mid-conversation (identity enforcement, AI) — pushed on every socket upgrade, never older than
 * SESSION_SETTINGS_TTL_MS (renewed from half that age on, beside the message, through reads shared
 * by the workspace's sessions: session.settings.ts; a message only waits once its settings expired)
 * — and the per-visitor / per-IP message limits.
 */
import { chatEnv, type ChatEnv } from "./env";
import type { ChatPrincipal } from "./protocol";
import type { SessionStore } from "./session.store";
import { SESSION_SETTINGS_REFRESH_MS, SESSION_SETTINGS_TTL_MS, sessionSettings } from "./session.settings";

/** Messages a visitor may send per conversation per window. */
export const VISITOR_MESSAGE_LIMIT = 20;
export const VISITOR_WINDOW_MS = 10_000;

export class VisitorGuard {
  /** When the settings were last read or pushed (0 = on the next visitor event). */
  settingsCheckedAt = 0;

  constructor(
    private readonly env: ChatEnv,
    private readonly store: SessionStore,
    /** Keeps a background settings read alive (the object's ctx.waitUntil). */
    private readonly waitUntil: (p: Promise<unknown>) => void,
  ) {}

  /** Settings pushed by the settings API. */
  apply(s: { identityRequired: boolean; aiEnabled: boolean }) {
    const m = this.store.meta;
    if (!m) return;
    m.identityRequired = s.identityRequired;
    m.aiEnabled = s.aiEnabled;
    this.settingsCheckedAt = Date.now();
    this.store.save();
  }

  /**
   * Settings no older than the TTL: from SESSION_SETTINGS_REFRESH_MS on, takes the isolate's newer
   * shared read (renewed beside this event when due); waits for a read only when ours and the shared
   * one have both expired.
   */
  async fresh(): Promise<void> {
    const m = this.store.meta;
    const age = Date.now() - this.settingsCheckedAt;
    if (age < SESSION_SETTINGS_REFRESH_MS || !m) return;
    const read = await sessionSettings(this.env, m.tenantId, this.waitUntil, age < SESSION_SETTINGS_TTL_MS);
    if (!read || read.at <= this.settingsCheckedAt) return;
    const s = read.value;
    this.settingsCheckedAt = read.at;
    if (s.identityRequired !== m.identityRequired || s.aiEnabled !== m.aiEnabled) {
      m.identityRequired = s.identityRequired;
      m.aiEnabled = s.aiEnabled;
      this.store.save();
    }
  }

  /** When the visitor's recent messages in this conversation were accepted (oldest first). */
  private readonly recent: number[] = [];

  /**
   * The visitor's message limits (true = within them): VISITOR_MESSAGE_LIMIT per
   * VISITOR_WINDOW_MS in this conversation, counted exactly here — every message of the conversation
   * passes through this object, so no rate-limiter round trip is needed for it (it was one of two per
   * message) — and the per-IP limiter shared with the public chat endpoints. A refused message does
   * not use up the visitor's budget. The window lives in memory: an object only hibernates or is
   * evicted after it has been idle, by which time the window is empty anyway.
   */
  async withinLimits(p: ChatPrincipal): Promise<boolean> {
    const now = Date.now();
    while ((this.recent[0] ?? now) <= now - VISITOR_WINDOW_MS) this.recent.shift();
    if (this.recent.length >= VISITOR_MESSAGE_LIMIT) return false;
    this.recent.push(now); // held while the IP check runs, so a burst cannot overshoot meanwhile
    const byIp = p.ip ? await chatEnv(this.env).RL_CHAT_IP.limit({ key: `ip:${p.ip}` }) : { success: true };
    if (!byIp.success) this.recent.splice(this.recent.indexOf(now), 1);
    return byIp.success;
  }
}
