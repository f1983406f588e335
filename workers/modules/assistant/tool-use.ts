import type { AssistantLocale, StoredCitation, StoredToolCall, assistantConversations } from "../../../schema/assistant";
import { type Actor, auditInsert } from "../../platform/audit";
import type { Principal, TenantContext } from "../../platform/context";
import type { Db } from "../../platform/db";
import type { GatewayDeps } from "../ai";
import { proposeAction } from "./actions.service";
import { type Caller, buildRequest, citationsOf, dispatchTool, summarize } from "./dispatch";
import { mayUse, type Tool } from "./tools";

// The turn's shared pieces (events, state) and one tool call: used by the model turn and the local answerer.
export type AssistantEvent =
  | { type: "token"; text: string }
  | { type: "tool_call"; id: string; tool: string; method: string; path: string; kind: Tool["kind"]; args: Record<string, unknown> }
  | { type: "tool_result"; id: string; status: "ok" | "error" | "refused"; summary: string; citations: StoredCitation[] }
  | {
      type: "proposal";
      action_id: string;
      tool: string;
      method: string;
      path: string;
      kind: "write" | "destructive";
      summary: string;
      args: Record<string, unknown>;
      confirm_phrase?: string;
    }
  | { type: "done"; message_id: string; provider: string; model: string; local: boolean }
  | { type: "error"; code: string; message: string };

export interface Turn {
  db: Db;
  caller: Caller;
  principal: Principal;
  tenant: TenantContext;
  actor: Actor;
  conversation: typeof assistantConversations.$inferSelect;
  content: string;
  locale: AssistantLocale;
  ownerId: string;
  aiDeps?: GatewayDeps;
}

/** What the turn collects as it goes, stored on the answer's message at the end. */
export interface TurnState {
  messageId: string;
  text: string;
  toolCalls: StoredToolCall[];
  citations: StoredCitation[];
}

/** A proposal's confirm phrase for destructive tools: the record's name when the route can tell it, else "delete". */
async function confirmPhraseFor(caller: Caller, tool: Tool, path: string): Promise<string> {
  if (tool.method !== "DELETE") return "delete";
  const r = await dispatchTool(caller, { ...tool, method: "GET", pathParams: [], queryParams: [], path }, {}).catch(() => null);
  const b = r?.status === 200 ? (r.body as Record<string, unknown>) : null;
  for (const v of [b?.name, b?.title, b?.email]) if (typeof v === "string" && v.trim()) return v.trim().slice(0, 100);
  return "delete";
}

/** Runs a read tool, or refuses it, or turns a write into a proposal; emits the stream events. */
export async function* applyToolCall(
  turn: Turn,
  state: TurnState,
  catalogue: Tool[],
  call: { id: string; name: string; args: Record<string, unknown> },
  describe?: string,
): AsyncGenerator<AssistantEvent, { content: string; proposed: boolean; body?: unknown }> {
  const tool = catalogue.find((t) => t.name === call.name);
  if (!tool) {
    const summary = `No tool is called ${call.name}.`;
    state.toolCalls.push({
      id: call.id,
      tool: call.name,
      method: "",
      path: "",
      kind: "read",
      args: call.args,
      status: "error",
      http_status: null,
      summary,
    });
    return { content: summary, proposed: false };
  }
  const { path } = buildRequest(tool, call.args);
  yield { type: "tool_call", id: call.id, tool: tool.name, method: tool.method, path, kind: tool.kind, args: call.args };
  if (!mayUse(tool, turn.principal, turn.tenant)) {
    // The model asked for what this person may not do: recorded and told to the model, never run.
    const summary = `Refused: ${tool.permission} is not allowed for ${turn.tenant.role ?? "this API key"}.`;
    state.toolCalls.push({
      id: call.id,
      tool: tool.name,
      method: tool.method,
      path,
      kind: tool.kind,
      args: call.args,
      status: "refused",
      http_status: null,
      summary,
    });
    await auditInsert(turn.db, turn.actor, {
      tenantId: turn.caller.tenantId,
      action: "assistant.tool_refused",
      target: { type: "assistant_conversation", id: turn.conversation.id },
      metadata: { tool: tool.name, method: tool.method, path, permission: tool.permission },
    });
    yield { type: "tool_result", id: call.id, status: "refused", summary, citations: [] };
    return { content: `${summary} Do not try to work around it; tell the person.`, proposed: false };
  }
  if (tool.kind !== "read") {
    const confirmPhrase = tool.kind === "destructive" ? await confirmPhraseFor(turn.caller, tool, path) : null;
    const summary = describe ?? `${tool.description} — ${tool.method} ${path}`;
    const action = await proposeAction(turn.db, turn.actor, {
      tenantId: turn.caller.tenantId,
      conversationId: turn.conversation.id,
      messageId: state.messageId,
      tool,
      path,
      args: call.args,
      summary,
      confirmPhrase,
      proposedBy: turn.ownerId,
    });
    yield {
      type: "proposal",
      action_id: action.id,
      tool: tool.name,
      method: tool.method,
      path,
      kind: action.kind,
      summary,
      args: call.args,
      ...(action.confirmPhrase ? { confirm_phrase: action.confirmPhrase } : {}),
    };
    return { content: "Proposed; waiting for the person to confirm.", proposed: true };
  }
  const res = await dispatchTool(turn.caller, tool, call.args);
  const status = res.status < 400 ? ("ok" as const) : ("error" as const);
  const citations = status === "ok" ? citationsOf(tool.path, res.body) : [];
  const summary = summarize(res.status, res.body);
  state.toolCalls.push({
    id: call.id,
    tool: tool.name,
    method: tool.method,
    path,
    kind: tool.kind,
    args: call.args,
    status,
    http_status: res.status,
    summary,
  });
  for (const ct of citations) if (!state.citations.some((x) => x.id === ct.id)) state.citations.push(ct);
  yield { type: "tool_result", id: call.id, status, summary, citations };
  return { content: JSON.stringify(res.body).slice(0, 12_000), proposed: false, body: res.body };
}
