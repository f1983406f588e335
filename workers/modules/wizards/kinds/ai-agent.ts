/**
 * AI agent configuration wizard: knowledge sources (collections to answer from, a page by URL or a
 * typed document, through modules/knowledge) → tone (the AI persona of modules/ai and the widget
 * greeting of modules/chat) → hand-off rules (modules/chat/handoff-rules.ts: keywords, low
 * confidence, outside hours) → a test question answered with the saved settings (answerQuestion;
 * the local answerer offline, labelled) with the hand-off rules' verdict on it.
 * Each step saves through the owning module as its HTTP route would, after the same permission.
 */
import { z } from "zod";
import { forbidden } from "../../../platform/errors";
import { type Permission, roleHas } from "../../../platform/rbac";
import { answerQuestion, getAiSettings, putAiSettings, retrieve } from "../../ai";
import { requireFeature } from "../../billing";
import { evaluateHandoff, getChatSettings, getHandoffRules, putHandoffRules, updateChatSettings } from "../../chat";
import { addDocumentSourceFor, addUrlSourceFor, knowledgeCollections } from "../../knowledge";
import { defineStep, type WizardContext, type WizardDefinition, type WizardState } from "../types";

/** The role checks the owning modules' routes make (the wizard itself needs ai:manage). */
function need(ctx: WizardContext, permission: Permission) {
  const role = ctx.c.get("tenant")?.role;
  if (!role || !roleHas(role, permission)) throw forbidden(`Your role cannot change this (${permission}).`);
}

const collectionName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\w .-]+$/, "Letters, digits, spaces, dots and dashes");
const knowledgeStep = z.object({
  collections: z.array(collectionName).max(20).default([]),
  urls: z.array(z.string().trim().url("Enter a full address starting with https://").max(2000)).max(5).default([]),
  document: z
    .object({ title: z.string().trim().min(1).max(200), text: z.string().trim().min(20, "Write at least a few sentences").max(50_000) })
    .optional(),
  /** Where new sources go. */
  collection: collectionName.default("default"),
});
const toneStep = z.object({
  persona: z.string().trim().max(2000),
  greeting: z.string().trim().min(1).max(200),
  ai_enabled: z.boolean().default(true),
});
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM (24-hour)");
const handoffStep = z
  .object({
    keywords: z.array(z.string().trim().min(2).max(40)).max(30).default([]),
    low_confidence: z.boolean().default(true),
    min_confidence: z.number().min(0.05).max(0.95).default(0.35),
    outside_hours: z.boolean().default(false),
    hours: z
      .object({
        timezone: z.string().min(1).max(60),
        days: z.array(z.number().int().min(0).max(6)).min(1, "Pick at least one day").max(7),
        start: HHMM,
        end: HHMM,
      })
      .refine((h) => h.start < h.end, { message: "Opening must be before closing", path: ["end"] })
      .refine(
        (h) => {
          try {
            new Intl.DateTimeFormat("en-US", { timeZone: h.timezone });
            return true;
          } catch {
            return false;
          }
        },
        { message: "Unknown time zone", path: ["timezone"] },
      )
      .optional(),
  })
  .refine((r) => !r.outside_hours || r.hours, { message: "Set the opening hours", path: ["hours"] });
const testStep = z.object({ question: z.string().trim().min(3, "Ask a question your customers ask").max(500) });

type Created = Record<string, { id: string; title: string }>;

/** Answers the test question with the saved settings, and says whether the hand-off rules would offer a person. */
async function tryQuestion(ctx: WizardContext, question: string, collection: string | undefined) {
  const r = await retrieve({ env: ctx.env, tenantId: ctx.tenantId, query: question, collection, limit: 5 });
  const relevance = r.chunks[0]?.relevance ?? null;
  let text = "";
  const citations: { n: number; title: string; url: string | null }[] = [];
  let done: { grounded?: boolean; local?: boolean; provider?: string; model?: string } = {};
  let error: string | null = null;
  for await (const e of answerQuestion({ env: ctx.env, tenantId: ctx.tenantId, question, collection, db: ctx.db })) {
    if (e.type === "token") text += e.text;
    else if (e.type === "citation") citations.push({ n: e.n, title: e.source_title, url: e.url ?? null });
    else if (e.type === "done") done = e;
    else if (e.type === "error") error = e.message;
  }
  const grounded = done.grounded ?? false;
  const reasons = evaluateHandoff(await getHandoffRules(ctx.db, ctx.tenantId), { message: question, grounded, relevance, at: Date.now() });
  return {
    question,
    answer: text.trim(),
    grounded,
    local: done.local ?? false,
    engine: done.provider ? `${done.provider}${done.model ? ` · ${done.model}` : ""}` : null,
    citations,
    error,
    relevance,
    handoff: { offered: reasons.length > 0, reasons },
  };
}

export const aiAgentWizard: WizardDefinition = {
  kind: "ai-agent",
  title: "AI agent configuration",
  description: "Choose what the chat widget's AI answers from, how it sounds, and when it hands over to a person.",
  permission: "ai:manage",
  group: "Build",
  steps: [
    defineStep({
      id: "knowledge",
      title: "Knowledge sources",
      description: "The AI only answers from these; anything else gets “I don't know” and an offer of a person.",
      schema: knowledgeStep,
      apply: async (ctx, input, state) => {
        const created: Created = { ...((state.created_sources as Created | undefined) ?? {}) };
        if (input.urls.length || input.document) need(ctx, "knowledge:manage");
        for (const url of input.urls) {
          if (created[`url:${url}`]) continue; // added by an earlier submit of this step
          const src = await addUrlSourceFor(ctx.env, ctx.tenantId, { url, collection: input.collection, createdBy: ctx.userId }, ctx.actor);
          created[`url:${url}`] = { id: src.id, title: src.title };
        }
        if (input.document) {
          const key = `doc:${input.document.title}`;
          if (!created[key]) {
            const src = await addDocumentSourceFor(
              ctx.env,
              ctx.tenantId,
              { ...input.document, collection: input.collection, createdBy: ctx.userId },
              ctx.actor,
            );
            created[key] = { id: src.id, title: src.title };
          }
        }
        return { created_sources: created };
      },
      status: async (ctx) => ({ ready: true, detail: { collections: await knowledgeCollections(ctx.env, ctx.tenantId) } }),
    }),
    defineStep({
      id: "tone",
      title: "Tone",
      description: "How the AI introduces itself and writes; the greeting is the first thing visitors see.",
      schema: toneStep,
      apply: async (ctx, input) => {
        need(ctx, "chat:manage");
        await requireFeature(ctx.c, "chat_widget");
        const ai = await getAiSettings(ctx.db, ctx.tenantId);
        if (ai.persona !== input.persona) {
          const { updatedAt: _u, ...rest } = ai;
          await putAiSettings(ctx.db, ctx.tenantId, { ...rest, persona: input.persona }, ctx.actor);
        }
        const chat = await getChatSettings(ctx.db, ctx.tenantId);
        if (chat.greeting !== input.greeting || chat.aiEnabled !== input.ai_enabled) {
          await updateChatSettings(ctx.db, ctx.tenantId, { greeting: input.greeting, aiEnabled: input.ai_enabled }, ctx.actor);
        }
        return undefined;
      },
      status: async (ctx) => {
        const [ai, chat] = await Promise.all([getAiSettings(ctx.db, ctx.tenantId), getChatSettings(ctx.db, ctx.tenantId)]);
        return {
          ready: true,
          detail: { persona: ai.persona, greeting: chat.greeting, ai_enabled: chat.aiEnabled, providers: ai.chain.map((l) => l.provider) },
        };
      },
    }),
    defineStep({
      id: "handoff",
      title: "Hand-off rules",
      description: "When the AI should offer a person instead of (or after) answering.",
      schema: handoffStep,
      apply: async (ctx, input) => {
        need(ctx, "chat:manage");
        await putHandoffRules(
          ctx.db,
          ctx.tenantId,
          {
            keywords: input.keywords,
            lowConfidence: input.low_confidence,
            minConfidence: input.min_confidence,
            outsideHours: input.outside_hours,
            hours: input.hours ?? null,
          },
          ctx.actor,
        );
        return undefined;
      },
    }),
    defineStep({
      id: "test",
      title: "Try it",
      description: "Ask what a customer would ask; the answer uses the settings you just saved.",
      schema: testStep,
      apply: async (ctx, input, state) => {
        const k = state.knowledge as z.infer<typeof knowledgeStep> | undefined;
        const only = k?.collections.length === 1 ? k.collections[0] : undefined;
        return { test_answer: await tryQuestion(ctx, input.question, only) };
      },
    }),
  ],
  complete: async (ctx, state: WizardState) => {
    const created = Object.values((state.created_sources as Created | undefined) ?? {});
    const tone = state.tone as z.infer<typeof toneStep>;
    const rules = await getHandoffRules(ctx.db, ctx.tenantId);
    const ruleParts = [
      rules.keywords.length ? `${rules.keywords.length} keywords` : null,
      rules.lowConfidence ? "low confidence" : null,
      rules.outsideHours ? "outside hours" : null,
    ].filter(Boolean);
    return [
      ...created.map((s) => ({ type: "knowledge_source", id: s.id, label: `Knowledge source “${s.title}”`, href: "/knowledge" })),
      {
        type: "ai_settings",
        id: ctx.tenantId,
        label: `AI persona${tone.persona ? "" : " (default)"} and greeting “${tone.greeting}”`,
        href: "/ai",
      },
      {
        type: "chat_handoff_rules",
        id: ctx.tenantId,
        label: `Hand-off: ${ruleParts.join(", ") || "only when the visitor asks"}`,
        href: "/chat/settings",
      },
    ];
  },
};
