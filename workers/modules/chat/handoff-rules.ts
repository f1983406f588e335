/**
 * When the chat widget's AI should offer a person (issue 18, the AI agent configuration wizard), on
 * top of the visitor's own "talk to a person" button (session.actions.ts `handoff`): keywords in the
 * visitor's message, a low-confidence answer, or a message outside opening hours. `evaluateHandoff`
 * is pure so the wizard's test question and the live session decide the same way.
 */
import { eq } from "drizzle-orm";
import { chatHandoffRules, type HandoffHours } from "../../../schema/chat-handoff";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";

export interface HandoffRules {
  keywords: string[];
  lowConfidence: boolean;
  minConfidence: number;
  outsideHours: boolean;
  hours: HandoffHours | null;
}
export const DEFAULT_HANDOFF_RULES: HandoffRules = {
  keywords: [],
  lowConfidence: true,
  minConfidence: 0.35,
  outsideHours: false,
  hours: null,
};

/** The workspace's saved rules, or null when it never set any (then only the visitor's own button hands over). */
export async function findHandoffRules(db: Db, tenantId: string): Promise<HandoffRules | null> {
  const r = await db.select().from(chatHandoffRules).where(eq(chatHandoffRules.tenantId, tenantId)).get();
  if (!r) return null;
  return {
    keywords: r.keywords,
    lowConfidence: r.lowConfidence,
    minConfidence: r.minConfidence,
    outsideHours: r.outsideHours,
    hours: r.hours ?? null,
  };
}

/** The rules the wizard edits: the saved ones, else the defaults it starts from. */
export async function getHandoffRules(db: Db, tenantId: string): Promise<HandoffRules> {
  return (await findHandoffRules(db, tenantId)) ?? DEFAULT_HANDOFF_RULES;
}

export async function putHandoffRules(db: Db, tenantId: string, rules: HandoffRules, actor: Actor): Promise<HandoffRules> {
  const clean: HandoffRules = {
    ...rules,
    keywords: [...new Set(rules.keywords.map((k) => k.trim().toLowerCase()).filter(Boolean))].slice(0, 30),
  };
  const values = { tenantId, ...clean, updatedBy: actor.id, updatedAt: Date.now() };
  const { tenantId: _t, ...set } = values;
  await db.batch([
    db.insert(chatHandoffRules).values(values).onConflictDoUpdate({ target: chatHandoffRules.tenantId, set }),
    auditInsert(db, actor, {
      tenantId,
      action: "chat.handoff_rules_updated",
      target: { type: "chat_handoff_rules", id: tenantId },
      metadata: { keywords: clean.keywords.length, low_confidence: clean.lowConfidence, outside_hours: clean.outsideHours },
    }),
  ]);
  return clean;
}

/** Weekday (0 = Sunday) and minutes since midnight of `at` in `timezone` (UTC when the zone is unknown). */
function localTime(at: number, timezone: string): { day: number; minutes: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: "UTC",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(at);
  }
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return { day, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}
const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export function withinHours(hours: HandoffHours, at: number): boolean {
  const { day, minutes } = localTime(at, hours.timezone);
  return hours.days.includes(day) && minutes >= toMinutes(hours.start) && minutes < toMinutes(hours.end);
}

export type HandoffReason =
  | { rule: "keyword"; keyword: string }
  | { rule: "low_confidence"; relevance: number | null }
  | { rule: "outside_hours" };

/** Why a person should be offered for this message and answer (empty: the AI's answer stands). */
export function evaluateHandoff(
  rules: HandoffRules,
  input: { message: string; grounded: boolean; relevance: number | null; at: number },
): HandoffReason[] {
  const reasons: HandoffReason[] = [];
  const text = input.message.toLowerCase();
  const keyword = rules.keywords.find((k) => new RegExp(`(^|\\W)${k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\W|$)`, "u").test(text));
  if (keyword) reasons.push({ rule: "keyword", keyword });
  if (rules.lowConfidence && (!input.grounded || (input.relevance !== null && input.relevance < rules.minConfidence))) {
    reasons.push({ rule: "low_confidence", relevance: input.relevance });
  }
  if (rules.outsideHours && rules.hours && !withinHours(rules.hours, input.at)) reasons.push({ rule: "outside_hours" });
  return reasons;
}
