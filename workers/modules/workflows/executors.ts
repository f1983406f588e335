import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { complete } from "../ai";
import { updateOrderFromWorkflow } from "../commerce";
import { outboundFetch, send } from "../messaging";
import { updateLeadFromWorkflow } from "../sales";
import { changeMemberRoleFromWorkflow } from "../tenancy";
import { updateTicketFromWorkflow } from "../tickets";
import { publisherRole } from "./publisher";
import { expressionsIn, render, renderDeep, type Scope, stringsIn, stringify } from "./expressions";
import type { NodeConfig } from "./node-types";
import { resolveRecipients } from "./recipients";
import { openSecrets } from "./secrets.service";
import { checkJsonSchema, placeholderFor } from "./json-schema";

/**
 * What the action nodes do, called from inside the engine's `step.do` (so each attempt is retried
 * and recorded by the engine). Each returns the step's output; throwing fails the attempt.
 */
export interface StepContext {
  db: Db;
  env: Env;
  tenantId: string;
  runId: string;
  stepKey: string;
  scope: Scope;
}
export interface Executed {
  input: unknown; // what the history shows (secrets masked)
  output: unknown;
}

export async function sendMessageStep(x: StepContext, cfg: NodeConfig<"send_message">): Promise<Executed> {
  const to = stringify(render(cfg.to, x.scope));
  const subject = stringify(render(cfg.subject, x.scope));
  const body = stringify(render(cfg.body, x.scope));
  const recipients = await resolveRecipients(x.db, x.tenantId, to, cfg.channel);
  if (!recipients.length) throw new Error(`Nobody to send to (${to || "empty"})`);
  const ids: string[] = [];
  for (const [i, r] of recipients.entries()) {
    // The key makes a retried attempt (or a replayed step) send nothing twice.
    const sent = await send(x.db, x.env.OUTBOX, {
      tenantId: x.tenantId,
      to: r,
      channels: [cfg.channel],
      template: "notifications.generic",
      data: { title: subject, body, link: "" },
      category: "transactional",
      idempotencyKey: `wf:${x.runId}:${x.stepKey}:${i}`,
    });
    ids.push(...sent);
  }
  return { input: { channel: cfg.channel, to, subject, body }, output: { sent: recipients.length, message_ids: ids } };
}

const secretNames = (cfg: NodeConfig<"http_request">) => [
  ...new Set(
    stringsIn(cfg)
      .flatMap((s) => expressionsIn(s.value))
      .filter((e) => e.path[0] === "secrets")
      .map((e) => String(e.path[1])),
  ),
];

function mapResponse(mapping: Record<string, string>, res: { status: number; body: unknown; headers: Record<string, string> }) {
  const out: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(mapping)) {
    const parts = path.split(".").filter(Boolean);
    let cur: unknown = res;
    for (const p of parts) cur = cur && typeof cur === "object" && Object.hasOwn(cur, p) ? (cur as Record<string, unknown>)[p] : undefined;
    out[name] = cur ?? null;
  }
  return out;
}

export async function httpRequestStep(x: StepContext, cfg: NodeConfig<"http_request">): Promise<Executed> {
  const names = secretNames(cfg);
  const secrets = await openSecrets(x.db, x.env, x.tenantId, names);
  const missing = names.filter((n) => !(n in secrets));
  if (missing.length) throw new Error(`Missing workflow secret(s): ${missing.join(", ")}`);
  const real: Scope = { ...x.scope, secrets };
  const masked: Scope = { ...x.scope, secrets: Object.fromEntries(names.map((n) => [n, "••••"])) };
  const build = (s: Scope) => ({
    url: stringify(render(cfg.url, s)),
    headers: Object.fromEntries(Object.entries(cfg.headers).map(([k, v]) => [k, stringify(render(v, s))])),
    body: cfg.body === undefined ? undefined : stringify(render(cfg.body, s)),
  });
  const req = build(real);
  const shown = build(masked);
  if (!/^https?:\/\//.test(req.url)) throw new Error(`Not an http(s) URL: ${shown.url}`);
  const res = await outboundFetch(
    new Request(req.url, {
      method: cfg.method,
      headers: req.headers,
      body: cfg.method === "GET" || cfg.method === "DELETE" ? undefined : req.body,
      signal: AbortSignal.timeout((cfg.timeout_seconds ?? 30) * 1000),
    }),
  );
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // plain text stays a string
  }
  const headers = { "content-type": res.headers.get("content-type") ?? "" };
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(req.url).host}: ${text.slice(0, 300)}`);
  const resp = { status: res.status, body, headers };
  return { input: { method: cfg.method, ...shown }, output: { ...resp, ...mapResponse(cfg.response_mapping, resp) } };
}

export async function updateRecordStep(x: StepContext, cfg: NodeConfig<"update_record">): Promise<Executed> {
  const recordId = stringify(render(cfg.record_id, x.scope));
  const changes = renderDeep(cfg.changes, x.scope) as Record<string, unknown>;
  const actor: Actor = { type: "system", id: null, ip: null, userAgent: `workflow run ${x.runId}` };
  let output: unknown;
  switch (cfg.record) {
    case "lead":
      output = await updateLeadFromWorkflow(x.db, x.tenantId, recordId, changes, actor);
      break;
    case "order":
      output = await updateOrderFromWorkflow(x.env, x.db, x.tenantId, recordId, changes, `workflow:${x.runId}`);
      break;
    case "member":
      output = await changeMemberRoleFromWorkflow(x.db, x.tenantId, recordId, changes, await publisherRole(x), actor);
      break;
    case "ticket":
      output = await updateTicketFromWorkflow(x.db, x.tenantId, recordId, changes, actor);
      break;
  }
  return { input: { record: cfg.record, record_id: recordId, changes }, output };
}

function parseJsonAnswer(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const src = (fenced ? fenced[1] : text).trim();
  const start = src.indexOf("{");
  const end = src.lastIndexOf("}");
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(src.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/**
 * A prompt through the AI gateway (surface "other": metering, safety log, fallback chain). With an
 * output schema the answer must be JSON matching it. The offline local answerer cannot write JSON:
 * its output then carries the schema's empty values, labelled `local: true` (never passed off as a
 * model's answer).
 */
export async function aiStep(x: StepContext, cfg: NodeConfig<"ai">): Promise<Executed> {
  const prompt = stringify(render(cfg.prompt, x.scope));
  const system = [cfg.system ? stringify(render(cfg.system, x.scope)) : "You are a careful assistant inside an automation workflow."]
    .concat(cfg.output_schema ? [`Answer with JSON only, matching this JSON Schema: ${JSON.stringify(cfg.output_schema)}`] : [])
    .join("\n\n");
  const r = await complete({
    db: x.db,
    env: x.env,
    tenantId: x.tenantId,
    operation: "complete",
    system,
    messages: [{ role: "user", content: prompt }],
    surface: "other",
  });
  const meta = { text: r.text, provider: r.provider, model: r.model, local: !!r.local };
  if (!cfg.output_schema) return { input: { prompt }, output: meta };
  const parsed = parseJsonAnswer(r.text);
  const problems = parsed === undefined ? ["the answer is not JSON"] : checkJsonSchema(cfg.output_schema, parsed);
  if (problems.length === 0) return { input: { prompt }, output: { ...(parsed as object), ...meta } };
  if (r.local)
    return {
      input: { prompt },
      output: { ...(placeholderFor(cfg.output_schema) as object), ...meta, note: "Local answerer: no structured answer offline" },
    };
  throw new Error(`The AI answer does not match the output schema: ${problems.join("; ")}`);
}
