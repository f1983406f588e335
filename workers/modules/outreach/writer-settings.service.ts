import { eq } from "drizzle-orm";
import { salesWriterSettings } from "../../../schema/sales-sequences";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { WriterSettingsRow } from "./writer";

/** The writer's voice for a workspace (GET/PUT /outreach/writer): one row, defaults until first saved. */

export type WriterSettings = Omit<WriterSettingsRow, "tenantId" | "updatedAt"> & { updatedAt: number | null };

export const WRITER_DEFAULTS: Omit<WriterSettings, "updatedAt"> = {
  tone: "friendly",
  persona: "",
  valueProps: [],
  maxWords: 120,
  useKnowledge: true,
  collection: null,
};

export async function getWriterSettings(db: Db, tenantId: string): Promise<WriterSettings> {
  const row = await db.select().from(salesWriterSettings).where(eq(salesWriterSettings.tenantId, tenantId)).get();
  if (!row) return { ...WRITER_DEFAULTS, updatedAt: null };
  const { tenantId: _t, ...rest } = row;
  return rest;
}

export interface WriterSettingsInput {
  tone: WriterSettings["tone"];
  persona: string;
  value_props: string[];
  max_words: number;
  use_knowledge: boolean;
  collection: string | null;
}

export async function putWriterSettings(db: Db, tenantId: string, input: WriterSettingsInput, actor: Actor): Promise<WriterSettings> {
  const now = Date.now();
  const values = {
    tone: input.tone,
    persona: input.persona,
    valueProps: input.value_props,
    maxWords: input.max_words,
    useKnowledge: input.use_knowledge,
    collection: input.collection,
    updatedAt: now,
  };
  await db.batch([
    db
      .insert(salesWriterSettings)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: salesWriterSettings.tenantId, set: values }),
    auditInsert(db, actor, {
      tenantId,
      action: "outreach.writer_settings_updated",
      target: { type: "writer_settings", id: tenantId },
      metadata: { tone: input.tone },
    }),
  ]);
  return { ...values };
}

export const serializeWriterSettings = (s: WriterSettings) => ({
  tone: s.tone,
  persona: s.persona,
  value_props: s.valueProps,
  max_words: s.maxWords,
  use_knowledge: s.useKnowledge,
  collection: s.collection,
  updated_at: s.updatedAt ? new Date(s.updatedAt).toISOString() : null,
});
