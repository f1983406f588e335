import { PHRASES } from "./local-phrases";
import { mapQuestion } from "./local-answerer";
import { type AssistantEvent, type Turn, type TurnState, applyToolCall } from "./tool-use";
import { mayUse, type Tool } from "./tools";

/** Word-sized pieces, like a model's stream. */
function* tokens(text: string): Generator<AssistantEvent> {
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) yield { type: "token", text: piece };
}

const MAX_PAGES = 10;

/**
 * The offline turn: the local answerer's intent becomes the same tool call a model would make,
 * through the same path (permission check, real route, proposal for writes), answered in the
 * conversation's language.
 */
export async function* runLocal(turn: Turn, state: TurnState, catalogue: Tool[]): AsyncGenerator<AssistantEvent> {
  const say = PHRASES[turn.locale];
  const intent = mapQuestion(turn.content);
  const emit = function* (text: string) {
    state.text += text;
    yield* tokens(text);
  };
  if (intent.kind === "unknown") {
    yield* emit(`${say.unknown}\n${say.examples.map((e) => `• ${e}`).join("\n")}`);
    return;
  }
  const tool = catalogue.find((t) => t.method === intent.method && t.path === intent.path);
  if (!tool) {
    yield* emit(say.unknown);
    return;
  }
  const call = { id: `call_local_${state.toolCalls.length + 1}`, name: tool.name, args: intent.args as Record<string, unknown> };
  if (intent.kind === "invite") {
    const role = say.role[intent.args.role] ?? intent.args.role;
    const summary = say.invite(intent.args.email, role);
    // The contract's order: the answer's text, then the proposal that ends the turn.
    if (mayUse(tool, turn.principal, turn.tenant)) yield* emit(`${summary}?`);
    const r = yield* applyToolCall(turn, state, catalogue, call, summary);
    if (!r.proposed) yield* emit(r.content);
    return;
  }
  // Counting: page through the list (newest first) until its end or MAX_PAGES pages.
  let count = 0;
  let more = false;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const args: Record<string, unknown> = { ...intent.args, ...(cursor ? { cursor } : {}) };
    const r = yield* applyToolCall(turn, state, catalogue, { ...call, id: `${call.id}_${page + 1}`, args });
    const last = state.toolCalls.at(-1);
    if (last?.status !== "ok") {
      yield* emit(last?.summary ?? say.unknown);
      return;
    }
    const body = r.body as { data: unknown[]; next_cursor: string | null };
    count += body.data.length;
    cursor = body.next_cursor;
    if (!cursor) break;
    more = page === MAX_PAGES - 1;
  }
  const text =
    intent.kind === "count_orders"
      ? say.orders(
          count,
          intent.status ? (say.status[intent.status] ?? intent.status) : null,
          intent.when ? (say.when[intent.when] ?? null) : null,
        )
      : say.members(count);
  // The count is a floor when the last page read still had more.
  yield* emit(more ? text.replace(/^\d+/, (d) => `${d}+`) : text);
}
