import OpenAI from "openai";
import { classify, type ProviderAdapter, type ProviderEvent, type ProviderRequest } from "../types";

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
          messages: [{ role: "system", content: req.system }, ...req.messages],
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
    try {
      for await (const chunk of stream) {
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (text) yield { type: "text", text };
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
