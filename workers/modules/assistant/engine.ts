import type { AssistantLocale } from "../../../schema/assistant";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { checkOutput, hostedToolChain, streamAgent, type AgentMessage } from "../ai";
import { messageInsert, recentMessages, touchConversation } from "./conversations.service";
import { runLocal } from "./local.run";
import { rankTools, mayUse, type Tool, toolCatalogue } from "./tools";
import { type AssistantEvent, type Turn, type TurnState, applyToolCall } from "./tool-use";

export type { AssistantEvent, Turn } from "./tool-use";
const log = createLogger({ component: "assistant" });
export const MAX_ROUNDS = 5;

const LANGUAGE: Record<AssistantLocale, string> = { en: "English", es: "Spanish", de: "German", fr: "French", pt: "Portuguese" };

function systemPrompt(locale: AssistantLocale) {
  return [
    "You are Weft's workspace assistant. Answer from the workspace's data: call the read tools you need, then answer briefly.",
    "Tools that change data are not run when you call them: the person is shown what they would do and confirms it themselves.",
    "Call at most one tool that changes data per answer. Never invent ids or numbers; say when a tool failed or was refused.",
    `Answer in ${LANGUAGE[locale]}.`,
  ].join(" ");
}

/**
 * One turn of a conversation: the question is stored, then either a hosted model calls tools
 * (through the AI gateway, up to MAX_ROUNDS rounds) or, with no hosted provider answering, the local
 * answerer maps the question onto a tool. A write stops the turn at its proposal. The answer (text,
 * tool calls, citations) is stored as the conversation's next message.
 */
export async function* runTurn(turn: Turn): AsyncGenerator<AssistantEvent> {
  const { db, caller } = turn;
  const history = await recentMessages(db, caller.tenantId, turn.conversation.id);
  const asked = Date.now();
  await db.batch([
    messageInsert(db, {
      tenantId: caller.tenantId,
      conversationId: turn.conversation.id,
      role: "user",
      content: turn.content,
      locale: turn.locale,
      createdAt: asked,
    }),
    touchConversation(db, turn.conversation, 1, turn.content),
  ]);
  const state: TurnState = { messageId: newId("asm"), text: "", toolCalls: [], citations: [] };
  let provider = "local";
  let model = "assistant-intents-v1";
  let local = true;
  let failed: { code: string; message: string } | null = null;
  try {
    const catalogue = await toolCatalogue(caller.env, caller.origin);
    const hosted = await hostedToolChain(db, caller.env, caller.tenantId, turn.aiDeps);
    let answered = false;
    if (hosted.length) {
      const r = yield* modelTurn(turn, state, catalogue, history, hosted);
      if (r.outcome === "done") {
        answered = true;
        provider = r.provider;
        model = r.model;
        local = false;
      } else if (r.outcome === "error") {
        answered = true;
        failed = r.error;
      }
      // "unavailable" (no hosted provider answered before any output): the local answerer takes over.
    }
    if (!answered) yield* runLocal(turn, state, catalogue);
  } catch (e) {
    log.error("assistant_turn_failed", { tenant_id: caller.tenantId, error: String(e) });
    failed = { code: "internal", message: "The assistant failed; try again." };
  }
  await db.batch([
    messageInsert(db, {
      tenantId: caller.tenantId,
      id: state.messageId,
      conversationId: turn.conversation.id,
      role: "assistant",
      content: state.text || (failed ? failed.message : ""),
      locale: turn.locale,
      provider,
      model,
      local,
      toolCalls: state.toolCalls,
      citations: state.citations,
      createdAt: Math.max(Date.now(), asked + 1),
    }),
    touchConversation(db, { ...turn.conversation, messageCount: turn.conversation.messageCount + 1 }, 1),
  ]);
  if (failed) yield { type: "error", ...failed };
  else yield { type: "done", message_id: state.messageId, provider, model, local };
}

type ModelOutcome =
  | { outcome: "done"; provider: string; model: string }
  | { outcome: "error"; error: { code: string; message: string } }
  | { outcome: "unavailable" };

async function* modelTurn(
  turn: Turn,
  state: TurnState,
  catalogue: Tool[],
  history: { role: "user" | "assistant"; content: string }[],
  chain: { provider: string; model: string }[],
): AsyncGenerator<AssistantEvent, ModelOutcome> {
  const allowed = catalogue.filter((t) => mayUse(t, turn.principal, turn.tenant));
  const offered = rankTools(allowed, `${history.at(-1)?.content ?? ""} ${turn.content}`);
  const messages: AgentMessage[] = [...history, { role: "user", content: turn.content }];
  let last = { provider: "", model: "" };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const calls: { id: string; name: string; args: Record<string, unknown> }[] = [];
    let text = "";
    let callId: string | null = null;
    for await (const ev of streamAgent(
      {
        db: turn.db,
        env: turn.caller.env,
        tenantId: turn.caller.tenantId,
        operation: "stream",
        system: systemPrompt(turn.locale),
        messages,
        tools: offered.map((t) => ({ name: t.name, description: `${t.description} (${t.method} ${t.path})`, parameters: t.parameters })),
        settings: { chain: chain as never },
        surface: "assistant",
      },
      turn.aiDeps,
    )) {
      if (ev.type === "token") {
        text += ev.text;
        state.text += ev.text;
        yield { type: "token", text: ev.text };
      } else if (ev.type === "tool_call") calls.push({ id: ev.id, name: ev.name, args: ev.args });
      else if (ev.type === "done") {
        last = { provider: ev.provider, model: ev.model };
        callId = ev.call_id;
      } else if (ev.type === "error") {
        if (ev.code === "providers_unavailable" && !state.text && !state.toolCalls.length && round === 0) return { outcome: "unavailable" };
        return { outcome: "error", error: { code: ev.code, message: ev.message } };
      }
    }
    if (text) {
      // The safety console's rules on what the model wrote (surface "assistant": live, so a hold hides it).
      const decision = await checkOutput(turn.caller.env, turn.caller.tenantId, "assistant", text, { callId, db: turn.db });
      if (decision.action === "blocked" || decision.action === "held")
        return {
          outcome: "error",
          error: { code: "blocked_by_safety_rules", message: "The answer was withheld by the workspace's AI safety rules." },
        };
    }
    if (!calls.length) return { outcome: "done", ...last };
    messages.push({ role: "assistant", content: text, toolCalls: calls });
    const results: { id: string; name: string; content: string }[] = [];
    let proposed = false;
    for (const call of calls) {
      if (proposed) {
        results.push({ id: call.id, name: call.name, content: "Not run: one change per answer." });
        continue;
      }
      const r = yield* applyToolCall(turn, state, catalogue, call);
      proposed = r.proposed;
      results.push({ id: call.id, name: call.name, content: r.content });
    }
    if (proposed) return { outcome: "done", ...last }; // the run stops at the proposal until confirmed
    messages.push({ role: "user", content: "", toolResults: results });
  }
  return { outcome: "done", ...last };
}
