import { estimateTokens } from "../../knowledge";
import { classify, ProviderError, type ProviderAdapter, type ProviderEvent, type ProviderRequest } from "../types";

type AiRunner = { run(model: string, inputs: unknown, options?: unknown): Promise<unknown> };

/**
 * Workers AI text generation through the `AI` binding. With `stream: true` the binding returns a
 * ReadableStream of server-sent events: `data: {"response":"…"}` … `data: [DONE]` (the last data
 * event may carry `usage`).
 */
export class WorkersAiAdapter implements ProviderAdapter {
  readonly provider = "workers-ai" as const;
  constructor(private readonly ai: AiRunner) {}
  async *stream(req: ProviderRequest): AsyncIterable<ProviderEvent> {
    let body: unknown;
    try {
      body = await this.ai.run(
        req.model,
        {
          messages: [{ role: "system", content: req.system }, ...req.messages],
          stream: true,
          max_tokens: req.maxTokens,
          temperature: req.temperature,
        },
        { signal: req.signal },
      );
    } catch (e) {
      throw classify(e, "workers-ai");
    }
    if (!(body instanceof ReadableStream)) throw new ProviderError("workers-ai: expected a stream", null, false, null, "bad_response");
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    let out = "";
    type Usage = { prompt_tokens?: number; completion_tokens?: number };
    let usage = null as Usage | null;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let idx: number;
        while ((idx = buf.indexOf("\n\n")) >= 0) {
          const event = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          for (const line of event.split("\n")) {
            if (!line.startsWith("data:")) continue;
            const data = line.slice(5).trim();
            if (data === "[DONE]") continue;
            const j = JSON.parse(data) as { response?: string; usage?: Usage };
            if (j.response) {
              out += j.response;
              yield { type: "text", text: j.response };
            }
            if (j.usage) usage = j.usage;
          }
        }
      }
    } catch (e) {
      throw classify(e, "workers-ai");
    }
    const input = usage?.prompt_tokens ?? estimateTokens(req.system + req.messages.map((m) => m.content).join("\n"));
    yield { type: "usage", input, output: usage?.completion_tokens ?? estimateTokens(out) };
    yield { type: "finish", reason: "stop" };
  }
  async test(signal: AbortSignal) {
    try {
      await this.ai.run("@cf/meta/llama-3.1-8b-instruct", { messages: [{ role: "user", content: "ping" }], max_tokens: 1 }, { signal });
      return "Workers AI binding answered";
    } catch (e) {
      throw classify(e, "workers-ai");
    }
  }
}
