import OpenAI from "openai";
import { classify, type ChatMessage, type ProviderAdapter, type ProviderEvent, type ProviderRequest } from "../types";

/** Arguments are a JSON string on the wire; a model that writes broken JSON gets an empty object (the route then says what is missing). */
export function parseArgs(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** Our messages in Chat Completions form: tool calls on the assistant turn, one `tool` message per result. */
function toOpenAiMessages(messages: ChatMessage[]) {
  const out: Record<string, unknown>[] = [];
  for (const m of messages) {
    if (m.toolResults?.length) {
      for (const r of m.toolResults) out.push({ role: "tool", tool_call_id: r.id, content: r.content });
      if (m.content) out.push({ role: "user", content: m.content });
    } else if (m.toolCalls?.length) {
      out.push({
        role: "assistant",
        content: m.content || null,
        tool_calls: m.toolCalls.map((t) => ({ id: t.id, type: "function", function: { name: t.name, arguments: JSON.stringify(t.args) } })),
      });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

/** OpenAI Chat Completions through the official SDK (retries are the gateway's, so maxRetries 0). */
export class OpenAiAdapter implements ProviderAdapter {
  readonly provider = "openai" as const;
  private readonly client: OpenAI;
  constructor(opts: { apiKey: string; baseURL?: string | null; fetch?: typeof fetch }) {
    this.client = new OpenAI({
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
      stream = await this.client.chat.completions.create(
        {
          model: req.model,
          messages: [{ role: "system", content: req.system }, ...toOpenAiMessages(req.messages)] as never,
          ...(req.tools?.length
            ? {
                tools: req.tools.map((t) => ({
                  type: "function" as const,
                  function: { name: t.name, description: t.description, parameters: t.parameters },
                })),
              }
            : {}),
          temperature: req.temperature,
          max_completion_tokens: req.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: req.signal },
      );
    } catch (e) {
      throw classify(e, "openai");
    }
    // Tool calls stream as deltas keyed by index: the id and name first, the JSON arguments in pieces.
    const calls = new Map<number, { id: string; name: string; args: string }>();
    try {
      for await (const chunk of stream) {
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (text) yield { type: "text", text };
        for (const d of choice?.delta?.tool_calls ?? []) {
          const cur = calls.get(d.index) ?? { id: "", name: "", args: "" };
          if (d.id) cur.id = d.id;
          if (d.function?.name) cur.name += d.function.name;
          if (d.function?.arguments) cur.args += d.function.arguments;
          calls.set(d.index, cur);
        }
        if (choice?.finish_reason && calls.size) {
          for (const [i, cl] of [...calls.entries()].sort((a, b) => a[0] - b[0]))
            yield { type: "tool_call", id: cl.id || `call_${i}`, name: cl.name, args: parseArgs(cl.args) };
          calls.clear();
        }
        if (chunk.usage) yield { type: "usage", input: chunk.usage.prompt_tokens ?? 0, output: chunk.usage.completion_tokens ?? 0 };
        if (choice?.finish_reason) yield { type: "finish", reason: choice.finish_reason };
      }
    } catch (e) {
      throw classify(e, "openai");
    }
  }
  async test(signal: AbortSignal) {
    try {
      const page = await this.client.models.list({ signal });
      return `${page.data.length} models available`;
    } catch (e) {
      throw classify(e, "openai");
    }
  }
}
