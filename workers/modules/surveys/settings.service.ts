import { eq } from "drizzle-orm";
import { surveySettings } from "../../../schema/surveys";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { iso } from "../../platform/request";
import type { NpsRules } from "./nps.rules";

export type SurveySettingsRow = typeof surveySettings.$inferSelect;
export const DEFAULT_NPS_QUESTION = "How likely are you to recommend us to a friend or colleague?";

/** A workspace without a row gets these: NPS off until the team turns it on, the feedback button on. */
export const defaultSettings = (tenantId: string): SurveySettingsRow => ({
  tenantId,
  npsEnabled: false,
  npsQuestion: null,
  minDaysSinceSignup: 14,
  askEveryDays: 90,
  samplingPercent: 100,
  feedbackEnabled: true,
  notifyEmail: null,
  updatedAt: 0,
});

export async function getSurveySettings(db: Db, tenantId: string): Promise<SurveySettingsRow> {
  return (await db.select().from(surveySettings).where(eq(surveySettings.tenantId, tenantId)).get()) ?? defaultSettings(tenantId);
}

export const rulesOf = (s: SurveySettingsRow): NpsRules => ({
  enabled: s.npsEnabled,
  minDaysSinceSignup: s.minDaysSinceSignup,
  askEveryDays: s.askEveryDays,
  samplingPercent: s.samplingPercent,
});

export interface SettingsPatch {
  nps_enabled?: boolean;
  nps_question?: string | null;
  min_days_since_signup?: number;
  ask_every_days?: number;
  sampling_percent?: number;
  feedback_enabled?: boolean;
  notify_email?: string | null;
}

export async function updateSurveySettings(db: Db, tenantId: string, patch: SettingsPatch, actor: Actor): Promise<SurveySettingsRow> {
  const cur = await getSurveySettings(db, tenantId);
  const next: SurveySettingsRow = {
    tenantId,
    npsEnabled: patch.nps_enabled ?? cur.npsEnabled,
    npsQuestion: patch.nps_question === undefined ? cur.npsQuestion : patch.nps_question?.trim() || null,
    minDaysSinceSignup: patch.min_days_since_signup ?? cur.minDaysSinceSignup,
    askEveryDays: patch.ask_every_days ?? cur.askEveryDays,
    samplingPercent: patch.sampling_percent ?? cur.samplingPercent,
    feedbackEnabled: patch.feedback_enabled ?? cur.feedbackEnabled,
    notifyEmail: patch.notify_email === undefined ? cur.notifyEmail : patch.notify_email?.trim().toLowerCase() || null,
    updatedAt: Date.now(),
  };
  const { tenantId: _t, ...values } = next;
  await db.batch([
    db.insert(surveySettings).values(next).onConflictDoUpdate({ target: surveySettings.tenantId, set: values }),
    auditInsert(db, actor, { tenantId, action: "surveys.settings_updated", metadata: { fields: Object.keys(patch) } }),
  ]);
  return next;
}

export const serializeSettings = (s: SurveySettingsRow) => ({
  nps_enabled: s.npsEnabled,
  nps_question: s.npsQuestion ?? DEFAULT_NPS_QUESTION,
  min_days_since_signup: s.minDaysSinceSignup,
  ask_every_days: s.askEveryDays,
  sampling_percent: s.samplingPercent,
  feedback_enabled: s.feedbackEnabled,
  notify_email: s.notifyEmail,
  updated_at: s.updatedAt ? iso(s.updatedAt) : null,
});
