import type { ToolKind } from "../../../schema/assistant";
import type { TenantContext, Principal } from "../../platform/context";
import type { Env } from "../../platform/env";
import { internalDispatch } from "../../platform/internal-dispatch";
import { OPENAPI_PATH } from "../../platform/openapi";
import { isPermission, roleHas } from "../../platform/rbac";

/**
 * The assistant's tools, generated from the app's own OpenAPI document: every `/api/v1` operation
 * with `x-weft-access: tenant` is a tool, minus the exclusions below. A tool call never runs code of
 * its own: it becomes an HTTP request to the route (dispatch.ts), so the route's checks apply.
 */
export interface Tool {
  name: string;
  description: string;
  kind: ToolKind;
  method: string;
  path: string; // the template, e.g. /api/v1/orders/{id}
  permission: string | null;
  pathParams: string[];
  queryParams: string[];
  /** JSON Schema of the arguments: path and query parameters and the JSON body's fields, flat. */
  parameters: { type: "object"; properties: Record<string, unknown>; required: string[] };
}

/**
 * Operations that are never tools, and why:
 * - the assistant's own routes (a tool calling the assistant would recurse);
 * - billing writes (checkout, subscribe, plan/seat changes, payment methods): money moves on the billing page, where the price is shown;
 * - anything that hands out a secret once or sets one (API key creation/rotation, webhook, identity and
 *   hand-over secrets, AI provider keys, the workflows secrets vault, payment-provider keys): a secret
 *   must not land in a chat transcript or a model's context;
 * - operations whose success answer is not JSON (CSV exports, file downloads): nothing a model can read.
 */
export const EXCLUDED: { test: (method: string, path: string) => boolean; why: string }[] = [
  { test: (_m, p) => p.startsWith("/api/v1/assistant/"), why: "the assistant's own routes" },
  { test: (m, p) => m !== "get" && p.startsWith("/api/v1/billing"), why: "billing writes: checkout, plan and payment changes" },
  { test: (m, p) => m !== "get" && /\/api-keys(\/|$)/.test(p), why: "creates or rotates a secret API key (shown once)" },
  { test: (_m, p) => /secret|\/reveal|\/ai\/keys|\/providers\/[^/]+\/keys/.test(p), why: "reveals or sets a secret" },
  { test: (_m, p) => /\/export(\.csv)?$|\.csv$|\/download$/.test(p), why: "answers a file, not JSON" },
];

const DESTRUCTIVE_VERBS = /\/(revoke|cancel|remove|erase|purge|delete|block|suspend|unpublish|disconnect|refund|archive|reset)(\/|$)/;

export function kindOf(method: string, path: string): ToolKind {
  if (method === "get") return "read";
  if (method === "delete" || DESTRUCTIVE_VERBS.test(path)) return "destructive";
  return "write";
}

export function toolName(method: string, path: string, operationId?: string): string {
  if (operationId) return operationId.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
  const parts = path
    .replace(/^\/api\/v1\//, "")
    .split("/")
    .map((s) => (s.startsWith("{") ? `by_${s.slice(1, -1)}` : s));
  return `${method}_${parts.join("_")}`.replace(/[^a-zA-Z0-9_]/g, "_").slice(0, 64);
}

type OpenApiDoc = {
  // biome-ignore lint/suspicious/noExplicitAny: OpenAPI operation objects, read defensively
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, unknown> };
};

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema of any shape
function resolveRefs(doc: OpenApiDoc, s: unknown, depth = 0): any {
  if (!s || typeof s !== "object" || depth > 8) return s;
  if (Array.isArray(s)) return s.map((x) => resolveRefs(doc, x, depth + 1));
  const o = s as Record<string, unknown>;
  if (typeof o.$ref === "string") {
    const target = o.$ref
      .split("/")
      .slice(1)
      .reduce<unknown>((acc, k) => (acc as Record<string, unknown> | undefined)?.[k], doc);
    return resolveRefs(doc, target, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = resolveRefs(doc, v, depth + 1);
  return out;
}

export function toolsFromDocument(doc: OpenApiDoc): Tool[] {
  const tools: Tool[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith("/api/v1/")) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== "object" || op["x-weft-access"] !== "tenant") continue;
      if (EXCLUDED.some((e) => e.test(method, path))) continue;
      const ok = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith("2"));
      const content = (ok?.[1] as { content?: Record<string, unknown> } | undefined)?.content;
      if (ok && ok[0] !== "204" && content && !content["application/json"]) continue;
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      const pathParams: string[] = [];
      const queryParams: string[] = [];
      for (const p of (op.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[]) {
        if (p.in === "header") continue;
        properties[p.name] = { ...(resolveRefs(doc, p.schema) ?? {}), ...(p.description ? { description: p.description } : {}) };
        if (p.in === "path") pathParams.push(p.name);
        else queryParams.push(p.name);
        if (p.required || p.in === "path") required.push(p.name);
      }
      const body = resolveRefs(doc, op.requestBody?.content?.["application/json"]?.schema);
      if (body?.properties) {
        for (const [k, v] of Object.entries(body.properties as Record<string, unknown>)) if (!(k in properties)) properties[k] = v;
        for (const k of (body.required ?? []) as string[]) if (!required.includes(k)) required.push(k);
      }
      tools.push({
        name: toolName(method, path, op.operationId),
        description: String(op.summary ?? op.description ?? `${method.toUpperCase()} ${path}`).slice(0, 500),
        kind: kindOf(method, path),
        method: method.toUpperCase(),
        path,
        permission: (op["x-weft-permission"] as string | undefined) ?? null,
        pathParams,
        queryParams,
        parameters: { type: "object", properties, required },
      });
    }
  }
  return tools;
}

// The document is the same for every request of a deployment: build the catalogue once per isolate.
let catalogue: Promise<Tool[]> | null = null;
export function toolCatalogue(env: Env, origin: string): Promise<Tool[]> {
  if (!catalogue) {
    catalogue = internalDispatch(new Request(new URL(OPENAPI_PATH, origin)), env)
      .then(async (r) => {
        if (!r.ok) throw new Error(`OpenAPI document: HTTP ${r.status}`);
        return toolsFromDocument((await r.json()) as OpenApiDoc);
      })
      .catch((e) => {
        catalogue = null;
        throw e;
      });
  }
  return catalogue;
}

/** May this caller use the tool? Exactly the route's rule: a role's permission, or an API key's scope. */
export function mayUse(tool: Tool, principal: Principal, tenant: TenantContext): boolean {
  if (!tool.permission) return true;
  if (principal.kind === "api_key") return principal.scopes.includes(tool.permission);
  return !!tenant.role && isPermission(tool.permission) && roleHas(tenant.role, tool.permission);
}

// Words of the five dashboard languages mapped onto the English words of the tool descriptions.
const SYNONYMS: Record<string, string> = {
  pedido: "order",
  pedidos: "order",
  bestellung: "order",
  bestellungen: "order",
  commande: "order",
  commandes: "order",
  reembolso: "refund",
  reembolsado: "refund",
  reembolsados: "refund",
  erstattet: "refund",
  rembourse: "refund",
  remboursees: "refund",
  invitar: "invitation",
  invita: "invitation",
  einladen: "invitation",
  lade: "invitation",
  inviter: "invitation",
  invite: "invitation",
  convidar: "invitation",
  convide: "invitation",
  miembro: "member",
  miembros: "member",
  mitglied: "member",
  mitglieder: "member",
  membre: "member",
  membres: "member",
  membro: "member",
  membros: "member",
  producto: "product",
  productos: "product",
  produkt: "product",
  produkte: "product",
  produit: "product",
  produits: "product",
  produto: "product",
  produtos: "product",
  cliente: "customer",
  clientes: "customer",
  kunde: "customer",
  kunden: "customer",
  client: "customer",
  clients: "customer",
  flujo: "workflow",
  flujos: "workflow",
  ablauf: "workflow",
  fluxo: "workflow",
  nota: "release",
  notas: "release",
  versionshinweis: "release",
  note: "release",
};

export function terms(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2)
    .map((w) => SYNONYMS[w] ?? w)
    .map((w) => (w.length > 4 && w.endsWith("s") ? w.slice(0, -1) : w));
}

/**
 * Too many tools for one prompt (hundreds): keep the `top` whose path and summary share the most
 * words with the question (path words count double; the five languages' common nouns are mapped to
 * English first). Ties go to read tools, then the shorter path.
 */
export function rankTools(tools: Tool[], question: string, top = 20): Tool[] {
  const q = new Set(terms(question));
  const scored = tools.map((t) => {
    const pathTerms = new Set(terms(t.path.replace(/\{[^}]+\}/g, "")));
    const descTerms = new Set(terms(t.description));
    let score = 0;
    for (const w of q) score += (pathTerms.has(w) ? 2 : 0) + (descTerms.has(w) ? 1 : 0);
    return { t, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || Number(b.t.kind === "read") - Number(a.t.kind === "read") || a.t.path.length - b.t.path.length)
    .slice(0, top)
    .map((s) => s.t);
}
