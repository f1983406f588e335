import { z } from "@hono/zod-openapi";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { checkOutput, complete } from "../ai";
import { LOCAL_FUSION, type Candidate } from "./candidate";

/**
 * Writing the documents: the local fusion assembles every candidate from the quotes; when the
 * workspace has a model, the AI gateway (`complete`, surface "fusion") rewrites titles and bodies
 * from the same evidence as JSON (zod-validated). Every text goes through the safety guardrails
 * (`checkOutput`); a model's text the rules stop falls back to the quotes.
 */

const log = createLogger({ component: "fusion-generate" });
const MAX_FOR_MODEL = 20;

export const modelOutput = z.object({
  documents: z
    .array(
      z.object({
        key: z.string().min(1),
        title: z.string().trim().min(3).max(200),
        body: z.string().trim().min(20).max(20_000),
      }),
    )
    .max(100),
});

export function parseModelOutput(text: string): z.infer<typeof modelOutput> | null {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  try {
    const parsed = modelOutput.safeParse(JSON.parse(text.slice(start, end + 1)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const KIND_LABEL = { battle_card: "battle card", playbook: "playbook", objection_handler: "objection handler", faq: "FAQ" } as const;
const keyOf = (c: Candidate) => `${c.kind}:${c.topicKey}`;

export function fusionPrompt(cands: Candidate[]): { system: string; user: string } {
  const system = [
    "You turn sales conversations (call transcripts, email threads) into internal sales knowledge documents.",
    "Use only the evidence given: quote it, never invent competitors, prices, numbers or customers.",
    "Markdown bodies; battle cards: their strengths and our answers; playbooks: steps with the reply rates given;",
    "objection handlers: the objection and the answer that moved the deal, with quotes; FAQs: the answer only.",
    'Reply with JSON only: {"documents": [{"key": string, "title": string, "body": string}]} — one per key given.',
  ].join("\n");
  const user = cands
    .map((c) =>
      [
        `[${keyOf(c)}] ${KIND_LABEL[c.kind]} — draft title: ${c.title}`,
        ...c.sources
          .slice(0, 12)
          .map((s) => `- ${s.role === "answer" ? "we said" : "heard"}: "${s.quote.slice(0, 400)}" (${s.type} ${s.title})`),
      ].join("\n"),
    )
    .join("\n\n");
  return { system, user };
}

export interface Written extends Candidate {
  generator: string;
  safetyAction: string;
}

async function checked(env: Env, db: Db, tenantId: string, c: Candidate, callId: string | null) {
  const d = await checkOutput(env, tenantId, "fusion", `${c.title}\n\n${c.body}`, { callId, db });
  return d;
}

/** The candidates as they will be stored: the model's wording when one answers well, the quotes otherwise. */
export async function writeDocuments(
  env: Env,
  db: Db,
  tenantId: string,
  cands: Candidate[],
): Promise<{ docs: Written[]; generator: string }> {
  let byKey = new Map<string, { title: string; body: string }>();
  let generator = LOCAL_FUSION;
  let callId: string | null = null;
  if (cands.length) {
    try {
      const prompt = fusionPrompt(cands.slice(0, MAX_FOR_MODEL));
      const r = await complete({
        db,
        env,
        tenantId,
        operation: "complete",
        surface: "fusion",
        system: prompt.system,
        messages: [{ role: "user", content: prompt.user }],
      });
      callId = r.callId;
      if (!r.local) {
        const out = parseModelOutput(r.text);
        if (out) {
          byKey = new Map(out.documents.map((d) => [d.key, { title: d.title, body: d.body }]));
          generator = `${r.provider}/${r.model}`;
        } else log.warn("fusion_model_output_invalid", { tenant_id: tenantId, call_id: r.callId });
      }
    } catch (e) {
      log.warn("fusion_gateway_failed", { tenant_id: tenantId, error: String(e) });
    }
  }
  const docs: Written[] = [];
  for (const c of cands) {
    const fromModel = byKey.get(keyOf(c));
    if (fromModel) {
      const mine = {
        ...c,
        title: fromModel.title,
        body: fromModel.body,
        faq: c.faq ? { question: c.faq.question, answer: fromModel.body } : undefined,
      };
      const d = await checked(env, db, tenantId, mine, callId);
      if (d.action === "allowed" || d.action === "modified") {
        docs.push({
          ...mine,
          body: d.action === "modified" ? d.text.slice(mine.title.length + 2) : mine.body,
          generator,
          safetyAction: d.action,
        });
        continue;
      }
    }
    const d = await checked(env, db, tenantId, c, null);
    docs.push({ ...c, generator: LOCAL_FUSION, safetyAction: d.action });
  }
  return { docs, generator };
}
