/**
 * What a visitor's events must pass in a ChatSession: the workspace settings that can change
 * mid-conversation (identity enforcement, AI) — pushed on every socket upgrade, and re-read when
 * older than SESSION_SETTINGS_TTL_MS through a read shared by the isolate's sessions — and the
 * per-visitor / per-IP message limits.
 */
import { getDb } from "../../platform/db";
import { chatEnv, type ChatEnv } from "./env";
import type { ChatPrincipal } from "./protocol";
import type { SessionStore } from "./session.store";
import { SESSION_SETTINGS_TTL_MS, sessionSettings } from "./settings.service";

export class VisitorGuard {
  /** When the settings were last read or pushed (0 = on the next visitor event). */
  settingsCheckedAt = 0;

  constructor(
    private readonly env: ChatEnv,
    private readonly store: SessionStore,
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

  /** Re-reads the settings when the last read is older than the TTL. */
  async fresh(): Promise<void> {
    const m = this.store.meta;
    if (Date.now() - this.settingsCheckedAt < SESSION_SETTINGS_TTL_MS || !m) return;
    const read = await sessionSettings(getDb(this.env.DB), m.tenantId);
    const s = read.value;
    this.settingsCheckedAt = Math.max(this.settingsCheckedAt, read.at);
    if (s.identityRequired !== m.identityRequired || s.aiEnabled !== m.aiEnabled) {
      m.identityRequired = s.identityRequired;
      m.aiEnabled = s.aiEnabled;
      this.store.save();
    }
  }

  /** The visitor's per-visitor and per-IP message limits (true = within them). */
  async withinLimits(p: ChatPrincipal): Promise<boolean> {
    const env = chatEnv(this.env);
    const [byVisitor, byIp] = await Promise.all([
      env.RL_CHAT_VISITOR.limit({ key: `v:${p.id}` }),
      p.ip ? env.RL_CHAT_IP.limit({ key: `ip:${p.ip}` }) : Promise.resolve({ success: true }),
    ]);
    return byVisitor.success && byIp.success;
  }
}
