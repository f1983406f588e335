import { z } from "@hono/zod-openapi";
import type { DraftSource, salesStepVariants, salesWriterSettings } from "../../../schema/sales-sequences";
import type { IcpDefinition } from "../../../schema/sales-scoring";
import type { salesCompanies, salesLeads } from "../../../schema/sales";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { complete, retrieve } from "../ai";
import { sentences, terms } from "../knowledge";

/**
 * The adaptive outbound writer: one email from the lead and their company, the workspace's ICP,
 * its knowledge base (grounded: the passages used are kept as the draft's sources), its tone
 * settings, the step variant's template and instructions, and — once a variant is winning — that
 * variant's subject and opening line as an example. The model is asked through the AI gateway
 * (surface "writer": metered, redacted, logged, its rules applied by drafts.service) for JSON
 * {subject, body}. When the gateway answers with the local provider (no model configured), fails,
 * or returns something that is not that JSON, the local writer stands in: it fills the template and
 * weaves in one sentence from the top knowledge passage — deterministic, labelled "local-writer-v1".
 */

export const LOCAL_WRITER = "local-writer-v1";
const log = createLogger({ component: "outreach-writer" });

export type LeadRow = typeof salesLeads.$inferSelect;
export type CompanyRow = typeof salesCompanies.$inferSelect;
export type VariantRow = typeof salesStepVariants.$inferSelect;
export type WriterSettingsRow = typeof salesWriterSettings.$inferSelect;

export interface WriterInput {
  lead: LeadRow;
  company: CompanyRow | null;
  icp: IcpDefinition | null;
  settings: Omit<WriterSettingsRow, "tenantId" | "updatedAt">;
  variant: Pick<VariantRow, "id" | "label" | "subject" | "body" | "instructions">;
  /** The winning variant's pattern for this step (bandit.ts winningArm), when there is one. */
  example?: { label: string; subject: string; opening: string } | null;
  senderName?: string | null;
}

export interface WrittenDraft {
  subject: string;
  body: string;
  sources: DraftSource[];
  /** "provider/model" of the model that wrote it, or LOCAL_WRITER. */
  writer: string;
  local: boolean;
  /** The gateway's ai_calls id (the safety decision is written on it), null when the gateway failed. */
  callId: string | null;
}

/** Passages below this share of the query's terms are not worth quoting in an email. */
const MIN_RELEVANCE = 0.2;
const MAX_PASSAGES = 3;

/** The template's placeholders and what fills them (fallbacks keep a sentence readable without the field). */
export function templateVars(lead: LeadRow, company: CompanyRow | null, senderName?: string | null): Record<string, string> {
  const companyName = company?.name ?? lead.companyName ?? "";
  return {
    first_name: lead.firstName?.trim() || "there",
    last_name: lead.lastName?.trim() ?? "",
    full_name: [lead.firstName, lead.lastName].filter(Boolean).join(" ").trim() || "there",
    title: lead.title?.trim() ?? "",
    company: companyName.trim() || "your team",
    industry: (lead.industry ?? company?.industry ?? "").trim(),
    city: (lead.city ?? company?.city ?? "").trim(),
    country: (lead.country ?? company?.country ?? "").trim(),
    domain: (lead.domain ?? company?.domain ?? "").trim(),
    sender_name: senderName?.trim() ?? "",
  };
}

/** Fills `{{name}}` placeholders (spaces allowed inside the braces); unknown ones become empty. */
export function fillTemplate(template: string, vars: Record<string, string>): string {
  return template
    .replace(/\{\{\s*([a-z_]+)\s*\}\}/gi, (_m, key: string) => vars[key.toLowerCase()] ?? "")
    .replace(/[ \t]{2,}/g, " ")
    .replace(/ +([,.!?])/g, "$1");
}

/** What the knowledge base is asked for: the lead's industry and title, the variant's angle, the value props. */
export function knowledgeQuery(input: WriterInput): string {
  const { lead, company, variant, settings } = input;
  return [lead.industry ?? company?.industry, lead.title, variant.instructions, settings.valueProps.join(" ")]
    .filter(Boolean)
    .join(" ")
    .trim();
}

interface Passage {
  n: number;
  chunkId: string;
  sourceId: string;
  title: string;
  text: string;
}

async function groundingPassages(env: Env, db: Db, tenantId: string, input: WriterInput): Promise<{ query: string; passages: Passage[] }> {
  const query = knowledgeQuery(input);
  if (!input.settings.useKnowledge || !terms(query).length) return { query, passages: [] };
  try {
    const r = await retrieve({ db, env, tenantId, query, collection: input.settings.collection ?? undefined, limit: 6 });
    const passages = r.chunks
      .filter((c) => c.relevance >= MIN_RELEVANCE)
      .slice(0, MAX_PASSAGES)
      .map((c, i) => ({ n: i + 1, chunkId: c.chunkId, sourceId: c.sourceId, title: c.sourceTitle, text: c.text }));
    return { query, passages };
  } catch (e) {
    // A knowledge outage must not stop the sequence: the draft is written without grounding (and says so: no sources).
    log.warn("writer_retrieve_failed", { tenant_id: tenantId, error: String(e) });
    return { query, passages: [] };
  }
}

const sourceOf = (p: Passage): DraftSource => ({ sourceId: p.sourceId, title: p.title, chunkId: p.chunkId });

/** The sentence of a passage that covers most of the query's terms (the earliest on a tie); null when none shares a term. */
export function bestSentence(text: string, query: string): string | null {
  const q = new Set(terms(query));
  let best: string | null = null;
  let bestHits = 0; // a sentence that shares no term with the lead's context has no place in their email
  for (const s of sentences(text)) {
    if (s.length < 20 || s.length > 300) continue;
    const hits = terms(s).filter((t) => q.has(t)).length;
    if (hits > bestHits) {
      best = s;
      bestHits = hits;
    }
  }
  return best;
}

/** Puts a paragraph before the body's last paragraph (its call to action or sign-off), or appends it. */
export function weave(body: string, paragraph: string): string {
  const paras = body.split(/\n\s*\n/);
  if (paras.length < 2) return `${body.trimEnd()}\n\n${paragraph}`;
  paras.splice(paras.length - 1, 0, paragraph);
  return paras.join("\n\n");
}

/** The local writer: the variant's template filled for the lead plus one grounded sentence. Deterministic. */
export function localDraft(input: WriterInput, query: string, passages: Passage[], callId: string | null = null): WrittenDraft {
  const vars = templateVars(input.lead, input.company, input.senderName);
  const subject = fillTemplate(input.variant.subject, vars).trim();
  let body = fillTemplate(input.variant.body, vars).trim();
  const top = passages[0];
  const sentence = top ? bestSentence(top.text, query) : null;
  const sources: DraftSource[] = [];
  if (top && sentence) {
    body = weave(body, sentence);
    sources.push(sourceOf(top));
  }
  return { subject, body, sources, writer: LOCAL_WRITER, local: true, callId };
}

const modelOutput = z.object({
  subject: z
    .string()
    .transform((s) => s.replace(/\s+/g, " ").trim()) // one line: a subject with a line break would break the header
    .pipe(z.string().min(1).max(200)),
  body: z.string().trim().min(1).max(5000),
  sources: z.array(z.number().int()).optional(),
});

/** The model's JSON (possibly wrapped in a code fence or prose), validated; null when it is not the asked shape. */
export function parseModelOutput(text: string): z.infer<typeof modelOutput> | null {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  try {
    const r = modelOutput.safeParse(JSON.parse(text.slice(start, end + 1)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function icpLines(icp: IcpDefinition | null): string {
  if (!icp) return "";
  const parts = [
    icp.industries.length ? `industries: ${icp.industries.join(", ")}` : "",
    icp.sizes.length ? `company sizes: ${icp.sizes.join(", ")}` : "",
    icp.titles.length ? `titles: ${icp.titles.join(", ")}` : "",
    icp.regions.length ? `regions: ${icp.regions.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length ? `Our ideal customer profile — ${parts.join("; ")}.` : "";
}

export function writerPrompt(input: WriterInput, passages: Passage[]): { system: string; user: string } {
  const { lead, company, settings, variant, example } = input;
  const vars = templateVars(lead, company, input.senderName);
  const system = [
    `You write short, personal B2B outbound emails${settings.persona ? ` for ${settings.persona}` : ""}.`,
    `Tone: ${settings.tone}. At most ${settings.maxWords} words in the body.`,
    "Use only facts given here about the lead, their company and the knowledge passages; never invent prices, customers, numbers or guarantees.",
    "Plain text, no Markdown; do not sign with a name (the mailbox signature is added).",
    'Reply with JSON only: {"subject": string, "body": string, "sources": [numbers of the passages you used]}.',
  ].join("\n");
  const lines = [
    `Lead: ${vars.full_name}${vars.title ? `, ${vars.title}` : ""} at ${vars.company}.`,
    vars.industry ? `Industry: ${vars.industry}.` : "",
    (company?.employees ?? lead.employees) ? `Company size: ${company?.employees ?? lead.employees} people.` : "",
    vars.city || vars.country ? `Location: ${[vars.city, vars.country].filter(Boolean).join(", ")}.` : "",
    icpLines(input.icp),
    settings.valueProps.length ? `Our value propositions: ${settings.valueProps.join("; ")}.` : "",
    "",
    `Start from this template (variant ${variant.label}); keep its angle and call to action:`,
    `Subject: ${fillTemplate(variant.subject, vars)}`,
    fillTemplate(variant.body, vars),
    variant.instructions ? `\nWhat to emphasise: ${variant.instructions}` : "",
    example
      ? `\nAn opening that has earned positive replies on this step (variant ${example.label}) — a style reference, do not copy it:\nSubject: ${example.subject}\nOpening: ${example.opening}`
      : "",
    passages.length ? "\nKnowledge passages (cite by number in `sources`):" : "",
    ...passages.map((p) => `[${p.n}] ${p.title}: ${p.text.slice(0, 1200)}`),
  ];
  return { system, user: lines.filter((l) => l !== "").join("\n") };
}

/** Writes one draft: the gateway's model when one answers, the local writer otherwise. */
export async function writeDraft(env: Env, db: Db, tenantId: string, input: WriterInput): Promise<WrittenDraft> {
  const { query, passages } = await groundingPassages(env, db, tenantId, input);
  const prompt = writerPrompt(input, passages);
  try {
    const r = await complete({
      db,
      env,
      tenantId,
      operation: "complete",
      surface: "writer",
      system: prompt.system,
      messages: [{ role: "user", content: prompt.user }],
    });
    if (r.local) return localDraft(input, query, passages, r.callId);
    const out = parseModelOutput(r.text);
    if (!out) {
      log.warn("writer_model_output_invalid", { tenant_id: tenantId, call_id: r.callId, provider: r.provider });
      return localDraft(input, query, passages, r.callId);
    }
    // The numbers the model says it used; a model that does not say is taken to have used all it was given.
    const cited = out.sources ? passages.filter((p) => out.sources?.includes(p.n)) : passages;
    return {
      subject: out.subject,
      body: out.body,
      sources: cited.map(sourceOf),
      writer: `${r.provider}/${r.model}`,
      local: false,
      callId: r.callId,
    };
  } catch (e) {
    log.warn("writer_gateway_failed", { tenant_id: tenantId, error: String(e) });
    return localDraft(input, query, passages);
  }
}
