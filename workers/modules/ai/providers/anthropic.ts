import Anthropic from "@anthropic-ai/sdk";
import { classify, type ProviderAdapter, type ProviderEvent, type ProviderRequest } from "../types";

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
        { model: req.model, system: req.system, messages: req.messages, max_tokens: req.maxTokens, stream: true },
        { signal: req.signal },
      );
    } catch (e) {
      throw classify(e, "anthropic");
    }
    let input = 0;
    let output = 0;
    try {
      for await (const ev of stream) {
        if (ev.type === "message_start") input = ev.message.usage?.input_tokens ?? 0;
        else if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") yield { type: "text", text: ev.delta.text };
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
