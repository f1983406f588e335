import { z } from "zod";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { checkOutput, complete, type FiredRule, type SafetyAction } from "../ai";
import { extractLocally, type Analysis, type CallFacts } from "./extract";
import { findDueDate } from "./due-dates";
import { transcriptText } from "./transcript-formats";

/**
 * Analysing a transcript through the AI gateway (surface "voice"): the model answers structured
 * JSON, validated by zod; when the local answerer stands in (no model configured, offline) or the
 * model's answer does not validate, the local extractor (extract.ts) answers, labelled `local`.
 * The safety console's rules (checkOutput) then run over the email draft — the one text that leaves
 * the workspace — and their verdict travels with the proposal.
 */

const log = createLogger({ module: "voice" });
const MAX_PROMPT_CHARS = 60_000;

const modelSchema = z.object({
  summary: z.string().min(1).max(4000),
  action_items: z.array(z.string().min(1).max(400)).max(30).default([]),
  tasks: z
    .array(
      z.object({
        title: z.string().min(1).max(300),
        owner: z.string().max(120).nullish(),
        due: z.string().max(60).nullish(), // the words ("by Friday") or an ISO date
        quote: z.string().max(1000).nullish(),
      }),
    )
    .max(30)
    .default([]),
  tickets: z
    .array(
      z.object({
        title: z.string().min(1).max(300),
        description: z.string().max(4000).nullish(),
        priority: z.enum(["low", "normal", "high", "urgent"]).catch("normal").default("normal"),
        quote: z.string().max(1000).nullish(),
      }),
    )
    .max(20)
    .default([]),
  email: z.object({ subject: z.string().min(1).max(300), body: z.string().min(1).max(10_000) }).nullish(),
});

export interface EmailSafety {
  action: SafetyAction;
  rules: FiredRule[];
}
export interface AnalysisResult extends Analysis {
  analysedBy: string; // "openai/gpt-4o-mini", "local/extractor"
  local: boolean;
  callId: string | null;
  emailSafety: EmailSafety | null;
}

export function analysisPrompt(facts: CallFacts): { system: string; user: string } {
  const system = [
    "You turn a sales call transcript into follow-up work for the salesperson.",
    "Use only what was said; never invent commitments, dates, prices or problems.",
    'tasks: commitments and requests ("I\'ll send…", "can you…", "next step…"), each with the owner\'s name as spoken and the due words as spoken ("by Friday") or null.',
    'tickets: product or support problems the customer reported ("doesn\'t work", "error"), each with a short title, a description and a priority.',
    "email: a short plain-text follow-up email to the lead recapping what was agreed (no Markdown, no signature name), or null when there is no lead email.",
    'Reply with JSON only: {"summary": string, "action_items": [string], "tasks": [{"title", "owner", "due", "quote"}], "tickets": [{"title", "description", "priority", "quote"}], "email": {"subject", "body"} | null}.',
  ].join("\n");
  const lead = facts.lead
    ? `Lead: ${[facts.lead.firstName, facts.lead.lastName].filter(Boolean).join(" ") || "unknown name"}${facts.lead.email ? ` <${facts.lead.email}>` : " (no email)"}.`
    : "No lead is linked (email: null).";
  const user = [
    `Call: ${facts.title} on ${new Date(facts.occurredAt).toISOString().slice(0, 10)}.`,
    lead,
    "Transcript:",
    transcriptText(facts.segments).slice(0, MAX_PROMPT_CHARS),
  ].join("\n");
  return { system, user };
}

/** The model's JSON (inside a ```json fence or not), validated; null when it does not fit. */
export function parseModelAnalysis(text: string, facts: CallFacts): Analysis | null {
  const body = text.match(/```(?:json)?\s*([\s\S]*?)```/)?.[1] ?? text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return null;
  }
  const r = modelSchema.safeParse(raw);
  if (!r.success) return null;
  const m = r.data;
  return {
    summary: m.summary,
    actionItems: m.action_items,
    tasks: m.tasks.map((t) => {
      const due = t.due ? findDueDate(t.due, facts.occurredAt) : null;
      return { title: t.title, ownerGuess: t.owner ?? null, dueText: t.due ?? null, dueAt: due?.dueAt ?? null, quote: t.quote ?? "" };
    }),
    tickets: m.tickets.map((t) => ({
      title: t.title,
      body: t.description || t.quote || t.title,
      priority: t.priority,
      quote: t.quote ?? "",
    })),
    email: facts.lead?.email && m.email ? m.email : null,
  };
}

/** The analysis of one call: the model's when one answers validly, the local extractor's otherwise. */
export async function analyseCall(env: Env, db: Db, tenantId: string, facts: CallFacts): Promise<AnalysisResult> {
  let result: AnalysisResult | null = null;
  try {
    const prompt = analysisPrompt(facts);
    const r = await complete({
      db,
      env,
      tenantId,
      operation: "complete",
      surface: "voice",
      system: prompt.system,
      messages: [{ role: "user", content: prompt.user }],
    });
    if (!r.local) {
      const parsed = parseModelAnalysis(r.text, facts);
      if (parsed) result = { ...parsed, analysedBy: `${r.provider}/${r.model}`, local: false, callId: r.callId, emailSafety: null };
      else log.warn("voice_model_output_invalid", { tenant_id: tenantId, call_id: r.callId, provider: r.provider });
    }
    result ??= { ...extractLocally(facts), analysedBy: "local/extractor", local: true, callId: r.callId, emailSafety: null };
  } catch (e) {
    // Over the AI quota or every provider down: the extractor still reads the call.
    log.warn("voice_gateway_failed", { tenant_id: tenantId, error: String(e) });
    result = { ...extractLocally(facts), analysedBy: "local/extractor", local: true, callId: null, emailSafety: null };
  }
  if (result.email) {
    const checked = await checkEmail(env, db, tenantId, result.email, result.callId);
    result.email = { subject: checked.subject, body: checked.body };
    result.emailSafety = { action: checked.action, rules: checked.rules };
  }
  return result;
}

/** The safety rules on an email (subject + body); a required disclaimer comes back appended to the body. */
export async function checkEmail(
  env: Env,
  db: Db,
  tenantId: string,
  email: { subject: string; body: string },
  callId: string | null,
): Promise<{ subject: string; body: string; action: SafetyAction; rules: FiredRule[] }> {
  const text = `${email.subject}\n\n${email.body}`;
  const d = await checkOutput(env, tenantId, "voice", text, { callId, db });
  const head = `${email.subject}\n\n`;
  const body = d.text === text ? email.body : d.text.startsWith(head) ? d.text.slice(head.length) : email.body;
  return { subject: email.subject, body, action: d.action, rules: d.rules };
}
