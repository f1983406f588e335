import { eq } from "drizzle-orm";
import { forumSettings, type ForumRules, type ForumTrustThresholds } from "../../../schema/forum";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { iso } from "../../platform/request";

/** A workspace's forum settings. A workspace without a row has the defaults below, forum off. */

export type ForumSettingsRow = typeof forumSettings.$inferSelect;

export const DEFAULT_TRUST: ForumTrustThresholds = {
  basic: { topicsEntered: 5, postsRead: 30, readMinutes: 10 },
  member: { daysVisited: 15, postsRead: 100, readMinutes: 60, likesReceived: 1, postsCreated: 3 },
  regular: { daysVisited: 50, postsRead: 500, likesReceived: 20, likesGiven: 30, postsCreated: 10 },
};

export const DEFAULT_RULES: ForumRules = {
  holdFirstPosts: 1,
  flagHideThreshold: 3,
  newUserMaxLinks: 2,
  newUserImages: false,
  postsPerMinute: 3,
  postsPerMinutePerIp: 10,
  duplicateWindowMinutes: 60,
  aiModeration: false,
  editGraceMinutes: 5,
};

const defaults = (tenantId: string): ForumSettingsRow => ({
  tenantId,
  enabled: false,
  title: "Community",
  description: "",
  trust: DEFAULT_TRUST,
  rules: DEFAULT_RULES,
  digestHours: 24,
  updatedAt: 0,
});

export async function getSettings(db: Db, tenantId: string): Promise<ForumSettingsRow> {
  const row = await db.select().from(forumSettings).where(eq(forumSettings.tenantId, tenantId)).get();
  if (!row) return defaults(tenantId);
  // Rules added later get their defaults (the JSON was written by an older version).
  return { ...row, trust: { ...DEFAULT_TRUST, ...row.trust }, rules: { ...DEFAULT_RULES, ...row.rules } };
}

/** The settings of a workspace whose forum is on; 404 (as if there were no forum) when it is off. */
export async function requireForumOn(db: Db, tenantId: string): Promise<ForumSettingsRow> {
  const s = await getSettings(db, tenantId);
  if (!s.enabled) throw notFound("Community");
  return s;
}

export interface SettingsPatch {
  enabled?: boolean;
  title?: string;
  description?: string;
  digest_hours?: number;
  trust?: Partial<{ [K in keyof ForumTrustThresholds]: Partial<ForumTrustThresholds[K]> }>;
  rules?: Partial<ForumRules>;
}

export async function updateSettings(db: Db, tenantId: string, patch: SettingsPatch, actor: Actor): Promise<ForumSettingsRow> {
  const cur = await getSettings(db, tenantId);
  const now = Date.now();
  const next: ForumSettingsRow = {
    tenantId,
    enabled: patch.enabled ?? cur.enabled,
    title: patch.title ?? cur.title,
    description: patch.description ?? cur.description,
    digestHours: patch.digest_hours ?? cur.digestHours,
    trust: {
      basic: { ...cur.trust.basic, ...patch.trust?.basic },
      member: { ...cur.trust.member, ...patch.trust?.member },
      regular: { ...cur.trust.regular, ...patch.trust?.regular },
    },
    rules: { ...cur.rules, ...patch.rules },
    updatedAt: now,
  };
  const { tenantId: _t, ...set } = next;
  await db.batch([
    db.insert(forumSettings).values(next).onConflictDoUpdate({ target: forumSettings.tenantId, set }),
    auditInsert(db, actor, {
      tenantId,
      action: "forum.settings.updated",
      target: { type: "forum_settings", id: tenantId },
      metadata: { changed: Object.keys(patch) },
    }),
  ]);
  return next;
}

export const serializeSettings = (s: ForumSettingsRow) => ({
  enabled: s.enabled,
  title: s.title,
  description: s.description,
  digest_hours: s.digestHours,
  trust: s.trust,
  rules: s.rules,
  updated_at: iso(s.updatedAt || null),
});
