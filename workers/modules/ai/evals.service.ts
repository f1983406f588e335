import { desc, eq } from "drizzle-orm";
import { aiEvalCases, aiEvalRuns, type EvalCaseResult, type EvalExpectation } from "../../../schema/ai-safety";
import type { AiProvider } from "../../../schema/ai";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { answerQuestion } from "./answer";
import { complete } from "./gateway";

/**
 * The model evaluation harness: a workspace's test prompts with expected properties, run against
 * one provider/model through the gateway (`surface: "eval"`, so runs show in the call log and
 * meter like any call) before the workspace switches to it. A run is bounded (MAX_CASES cases,
 * EVAL_CONCURRENCY at a time) and finishes within the request; the local answerer works offline.
 */
export const MAX_CASES = 50;
const EVAL_CONCURRENCY = 4;
const EVAL_SYSTEM = "You are the assistant of this business. Answer the user's request directly and concisely.";

type CaseRow = typeof aiEvalCases.$inferSelect;
type RunRow = typeof aiEvalRuns.$inferSelect;

export const serializeCase = (r: CaseRow) => ({
  id: r.id,
  name: r.name,
  prompt: r.prompt,
  grounded: r.grounded,
  expectations: r.expectations,
  created_at: iso(r.createdAt) ?? "",
});
export const serializeRun = (r: RunRow) => ({
  id: r.id,
  provider: r.provider,
  model: r.model,
  status: r.status,
  cases: r.cases,
  passed: r.passed,
  pass_rate: r.passRate ?? null,
  results: r.results.map((x) => ({ case_id: x.caseId, pass: x.pass, output: x.output, failures: x.failures, latency_ms: x.latencyMs })),
  created_at: iso(r.createdAt) ?? "",
  finished_at: iso(r.finishedAt),
});

export interface CaseInput {
  name: string;
  prompt: string;
  grounded: boolean;
  expectations: EvalExpectation[];
}

export async function createCase(db: Db, tenantId: string, input: CaseInput, actor: Actor) {
  const row: CaseRow = { tenantId, id: newId("evc"), ...input, createdAt: Date.now() };
  await db.batch([
    db.insert(aiEvalCases).values(row),
    auditInsert(db, actor, { tenantId, action: "ai.eval_case.created", target: { type: "ai_eval_case", id: row.id } }),
  ]);
  return serializeCase(row);
}

export async function listCases(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(aiEvalCases.createdAt, aiEvalCases.id, q.cursor);
  const rows = await db
    .select()
    .from(aiEvalCases)
    .where(tenantScope(db, tenantId).where(aiEvalCases, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeCase);
}

/** The case, or 404 (another workspace's ids too). */
export async function getCase(db: Db, tenantId: string, id: string) {
  const row = await db
    .select()
    .from(aiEvalCases)
    .where(tenantScope(db, tenantId).where(aiEvalCases, eq(aiEvalCases.id, id)))
    .get();
  if (!row) throw notFound("Evaluation case");
  return row;
}

export async function updateCase(db: Db, tenantId: string, id: string, patch: Partial<CaseInput>, actor: Actor) {
  const row = await getCase(db, tenantId, id);
  const next = { ...row, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as CaseRow;
  await db.batch([
    db
      .update(aiEvalCases)
      .set({ name: next.name, prompt: next.prompt, grounded: next.grounded, expectations: next.expectations })
      .where(tenantScope(db, tenantId).where(aiEvalCases, eq(aiEvalCases.id, id))),
    auditInsert(db, actor, { tenantId, action: "ai.eval_case.updated", target: { type: "ai_eval_case", id } }),
  ]);
  return serializeCase(next);
}

export async function deleteCase(db: Db, tenantId: string, id: string, actor: Actor) {
  await getCase(db, tenantId, id);
  await db.batch([
    db.delete(aiEvalCases).where(tenantScope(db, tenantId).where(aiEvalCases, eq(aiEvalCases.id, id))),
    auditInsert(db, actor, { tenantId, action: "ai.eval_case.deleted", target: { type: "ai_eval_case", id } }),
  ]);
}

// ── checking an answer ──────────────────────────────────────────────────────────────────────

const wordCount = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
const CONTRACTION = /\b\p{L}+['’](?:t|s|re|ve|ll|d|m)\b/iu;
const EMOJI = /\p{Extended_Pictographic}/u;
const CASUAL = /\b(?:hey|hiya|awesome|cool|gonna|wanna|yeah|yep|lol|btw|super\s+excited)\b/i;
const WARM = /\b(?:hi|hello|hey|thanks|thank\s+you|happy\s+to|glad|love\s+to|cheers|welcome)\b/i;
const HYPE = /\b(?:amazing|awesome|incredible|fantastic|unbelievable|revolutionary|best\s+ever)\b/i;

/**
 * Tone, by simple observable markers (docs/ai-safety.md): formal — no contractions, exclamation
 * marks, emoji or casual words; friendly — a warm word (hi, thanks, happy to, glad…) or an
 * exclamation mark; neutral — no exclamation marks, emoji or hype words.
 */
export function toneFailure(text: string, tone: string): string | null {
  if (tone === "formal") {
    const why = CONTRACTION.test(text)
      ? "a contraction"
      : text.includes("!")
        ? "an exclamation mark"
        : EMOJI.test(text)
          ? "an emoji"
          : CASUAL.test(text)
            ? "a casual word"
            : null;
    return why ? `tone: not formal (${why})` : null;
  }
  if (tone === "friendly") return WARM.test(text) || text.includes("!") ? null : "tone: not friendly (no greeting, thanks or warm words)";
  if (tone === "neutral") {
    const why = text.includes("!") ? "an exclamation mark" : EMOJI.test(text) ? "an emoji" : HYPE.test(text) ? "a hype word" : null;
    return why ? `tone: not neutral (${why})` : null;
  }
  return `tone: unknown tone ${tone}`;
}

/** The expectations an answer fails (empty: it passes). `cited`: the answer cites sources. */
export function checkExpectations(text: string, cited: boolean, expectations: EvalExpectation[]): string[] {
  const failures: string[] = [];
  const lower = text.toLowerCase();
  for (const e of expectations) {
    const v = e.value;
    if (e.kind === "must_cite" && !cited) failures.push("must_cite: the answer cites no source");
    if (e.kind === "must_include" && !lower.includes(String(v).toLowerCase())) failures.push(`must_include: “${v}” is missing`);
    if (e.kind === "must_not_include" && lower.includes(String(v).toLowerCase())) failures.push(`must_not_include: mentions “${v}”`);
    if (e.kind === "max_words" && wordCount(text) > Number(v)) failures.push(`max_words: ${wordCount(text)} words > ${v}`);
    if (e.kind === "min_words" && wordCount(text) < Number(v)) failures.push(`min_words: ${wordCount(text)} words < ${v}`);
    if (e.kind === "tone") {
      const f = toneFailure(text, String(v));
      if (f) failures.push(f);
    }
  }
  return failures;
}

// ── running ─────────────────────────────────────────────────────────────────────────────────

async function runCase(env: Env, db: Db, tenantId: string, c: CaseRow, chain: { provider: AiProvider; model: string }[]) {
  const t0 = Date.now();
  let output = "";
  let cited = false;
  let error: string | null = null;
  if (c.grounded) {
    for await (const ev of answerQuestion({ db, env, tenantId, question: c.prompt, surface: "eval", settings: { chain } })) {
      if (ev.type === "token") output += ev.text;
      else if (ev.type === "citation") cited = true;
      else if (ev.type === "error") error = ev.message;
    }
  } else {
    try {
      const r = await complete({
        db,
        env,
        tenantId,
        operation: "complete",
        surface: "eval",
        system: EVAL_SYSTEM,
        messages: [{ role: "user", content: c.prompt }],
        settings: { chain },
      });
      output = r.text;
      cited = /\[\d{1,2}\]|https?:\/\//.test(output);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  }
  const failures = error ? [`error: ${error}`] : checkExpectations(output, cited, c.expectations);
  return {
    caseId: c.id,
    pass: failures.length === 0,
    output: output.slice(0, 4000),
    failures,
    latencyMs: Date.now() - t0,
  } satisfies EvalCaseResult;
}

/** Runs the workspace's cases (newest MAX_CASES) against one model and stores pass/fail per case. */
export async function runEvals(env: Env, db: Db, tenantId: string, target: { provider: AiProvider; model: string }, actor: Actor) {
  const cases = await db
    .select()
    .from(aiEvalCases)
    .where(eq(aiEvalCases.tenantId, tenantId))
    .orderBy(desc(aiEvalCases.createdAt))
    .limit(MAX_CASES);
  const run: RunRow = {
    tenantId,
    id: newId("evr"),
    provider: target.provider,
    model: target.model,
    status: "running",
    cases: cases.length,
    passed: 0,
    passRate: null,
    results: [],
    createdBy: actor.id,
    createdAt: Date.now(),
    finishedAt: null,
  };
  await db.batch([
    db.insert(aiEvalRuns).values(run),
    auditInsert(db, actor, {
      tenantId,
      action: "ai.eval_run.started",
      target: { type: "ai_eval_run", id: run.id },
      metadata: { provider: target.provider, model: target.model, cases: cases.length },
    }),
  ]);
  const chain = [target];
  const results: EvalCaseResult[] = new Array(cases.length);
  let next = 0;
  let status: RunRow["status"] = "done";
  try {
    await Promise.all(
      Array.from({ length: Math.min(EVAL_CONCURRENCY, cases.length) }, async () => {
        while (next < cases.length) {
          const i = next++;
          const c = cases[i];
          if (c) results[i] = await runCase(env, db, tenantId, c, chain);
        }
      }),
    );
  } catch {
    status = "failed";
  }
  const done = results.filter(Boolean);
  const passed = done.filter((r) => r.pass).length;
  const finished: RunRow = {
    ...run,
    status,
    passed,
    passRate: cases.length ? passed / cases.length : null,
    results: done,
    finishedAt: Date.now(),
  };
  await db
    .update(aiEvalRuns)
    .set({ status, passed, passRate: finished.passRate, results: done, finishedAt: finished.finishedAt })
    .where(tenantScope(db, tenantId).where(aiEvalRuns, eq(aiEvalRuns.id, run.id)));
  return serializeRun(finished);
}

/** Runs, newest first, and per model its latest pass rate (the side-by-side view). */
export async function listRuns(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(aiEvalRuns.createdAt, aiEvalRuns.id, q.cursor);
  const [rows, latest] = await Promise.all([
    db
      .select()
      .from(aiEvalRuns)
      .where(tenantScope(db, tenantId).where(aiEvalRuns, page.where))
      .orderBy(...page.orderBy)
      .limit(q.limit + 1),
    db
      .select({ provider: aiEvalRuns.provider, model: aiEvalRuns.model, passRate: aiEvalRuns.passRate, createdAt: aiEvalRuns.createdAt })
      .from(aiEvalRuns)
      .where(tenantScope(db, tenantId).where(aiEvalRuns, eq(aiEvalRuns.status, "done")))
      .orderBy(desc(aiEvalRuns.createdAt))
      .limit(500),
  ]);
  const models = new Map<string, { provider: string; model: string; runs: number; last_pass_rate: number | null; last_run_at: string }>();
  for (const r of latest) {
    const k = `${r.provider}\u0000${r.model}`;
    const m = models.get(k);
    if (m) m.runs++;
    else
      models.set(k, {
        provider: r.provider,
        model: r.model,
        runs: 1,
        last_pass_rate: r.passRate ?? null,
        last_run_at: iso(r.createdAt) ?? "",
      });
  }
  return { ...toPage(rows, q.limit, (r) => r, serializeRun), models: [...models.values()] };
}
