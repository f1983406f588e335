import { integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { updatedAt } from "./columns";

/** Opening hours for the "outside hours" hand-off rule: days 0 (Sunday)–6, "HH:MM" in `timezone`. */
export interface HandoffHours {
  timezone: string;
  days: number[];
  start: string;
  end: string;
}

/**
 * When the chat widget's AI offers a person (modules/chat/handoff-rules.ts), on top of the visitor's
 * own "talk to a person" button: a visitor message containing one of `keywords`, an AI answer below
 * `min_confidence` (the retrieval relevance; "I don't know" always counts), or a message outside
 * `hours` (the offer then is the leave-a-message form, since nobody is expected online).
 */
export const chatHandoffRules = sqliteTable("chat_handoff_rules", {
  tenantId: text("tenant_id").primaryKey(),
  keywords: text("keywords", { mode: "json" }).$type<string[]>().notNull(),
  lowConfidence: integer("low_confidence", { mode: "boolean" }).notNull().default(true),
  minConfidence: real("min_confidence").notNull().default(0.35),
  outsideHours: integer("outside_hours", { mode: "boolean" }).notNull().default(false),
  hours: text("hours", { mode: "json" }).$type<HandoffHours>(),
  updatedBy: text("updated_by"),
  updatedAt: updatedAt(),
});
