import Anthropic from "@anthropic-ai/sdk";
import { classify, type ChatMessage, type ProviderAdapter, type ProviderEvent, type ProviderRequest } from "../types";
import { parseArgs } from "./openai";

/** Our messages as Messages API content blocks: `tool_use` on the assistant turn, `tool_result` on the next user turn. */
function toAnthropicMessages(messages: ChatMessage[]) {
  return messages.map((m) => {
    if (m.toolResults?.length)
      return {
        role: "user",
        content: [
          ...m.toolResults.map((r) => ({ type: "tool_result", tool_use_id: r.id, content: r.content })),
          ...(m.content ? [{ type: "text", text: m.content }] : []),
        ],
      };
    if (m.toolCalls?.length)
      return {
        role: "assistant",
        content: [
          ...(m.content ? [{ type: "text", text: m.content }] : []),
          ...m.toolCalls.map((t) => ({ type: "tool_use", id: t.id, name: t.name, input: t.args })),
        ],
      };
    return { role: m.role, content: m.content };
  });
}

/** Anthropic Messages API through the official SDK (retries are the gateway's, so maxRetries 0). */
export class AnthropicAdapter implements ProviderAdapter {
  readonly provider = "anthropic" as const;
  private readonly client: Anthropic;
  constructor(opts: { apiKey: string; baseURL?: string | null; fetch?: typeof fetch }) {
    this.client = new Anthropic({
      apiKey: opts.apiKey,
      baseURL: opts.baseURL ?? undefined,
      fetch: opts.fetch,
      maxRetries: 0,
      timeout: 120_000,
    });
  }
  async *stream(req: ProviderRequest): AsyncIterable<ProviderEvent> {
    let stream;
    try {
      stream = await this.client.messages.create(
        // This Messages API version has no sampling temperature parameter; the model's default applies.
        {
          model: req.model,
          system: req.system,
          messages: toAnthropicMessages(req.messages) as never,
          max_tokens: req.maxTokens,
          stream: true,
          ...(req.tools?.length
            ? { tools: req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as never })) }
            : {}),
        },
        { signal: req.signal },
      );
    } catch (e) {
      throw classify(e, "anthropic");
    }
    let input = 0;
    let output = 0;
    // tool_use blocks: id and name at content_block_start, the input as input_json_delta pieces, done at content_block_stop.
    const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
    try {
      for await (const ev of stream) {
        if (ev.type === "message_start") input = ev.message.usage?.input_tokens ?? 0;
        else if (ev.type === "content_block_start" && ev.content_block.type === "tool_use")
          toolBlocks.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, json: "" });
        else if (ev.type === "content_block_delta" && ev.delta.type === "input_json_delta") {
          const b = toolBlocks.get(ev.index);
          if (b) b.json += ev.delta.partial_json;
        } else if (ev.type === "content_block_stop" && toolBlocks.has(ev.index)) {
          const b = toolBlocks.get(ev.index) as { id: string; name: string; json: string };
          toolBlocks.delete(ev.index);
          yield { type: "tool_call", id: b.id, name: b.name, args: parseArgs(b.json) };
        } else if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") yield { type: "text", text: ev.delta.text };
        else if (ev.type === "message_delta") {
          output = ev.usage?.output_tokens ?? output;
          if (ev.delta.stop_reason) yield { type: "finish", reason: ev.delta.stop_reason };
        }
      }
    } catch (e) {
      throw classify(e, "anthropic");
    }
    yield { type: "usage", input, output };
  }
  async test(signal: AbortSignal) {
    try {
      const page = await this.client.models.list({}, { signal });
      return `${page.data.length} models available`;
    } catch (e) {
      throw classify(e, "anthropic");
    }
  }
}
