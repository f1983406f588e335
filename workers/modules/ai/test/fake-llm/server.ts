/**
 * Fake OpenAI and Anthropic HTTP APIs for tests, speaking their wire formats: JSON bodies, auth
 * headers, SSE streams (OpenAI `data: {chunk}` … `data: [DONE]`; Anthropic `event: <type>` +
 * `data: {…}`), error bodies with 429 (Retry-After) and 500. The official SDKs are pointed at it
 * through their `fetch` option, so the adapters run unchanged.
 */
export type Fault = { status: 429 | 500 | 503 | 401; retryAfter?: number } | { hang: true } | { cutAfterChunks: number };

export interface FakeLlm {
  fetch: typeof fetch;
  /** Requests received, parsed: path, headers, JSON body. */
  requests: { path: string; headers: Headers; body: any }[];
  /** Faults to apply to the next requests, in order (one per request). */
  faults: Fault[];
  /** The text the model "writes". */
  reply: string;
  /** Scripted turns (tool calling), one per chat request while any are left; then `reply`. */
  turns: FakeTurn[];
}
export type FakeTurn = { text?: string; toolCalls?: { id?: string; name: string; args: Record<string, unknown> }[] };

const sse = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(ctl) {
      const enc = new TextEncoder();
      for (const c of chunks) ctl.enqueue(enc.encode(c));
      ctl.close();
    },
  });

/** Delivers the first n chunks, then fails the connection (as a dropped TCP stream does). */
function cutStream(chunks: string[], n: number) {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (i < n && i < chunks.length) ctl.enqueue(enc.encode(chunks[i++]!));
      else ctl.error(new Error("connection reset by peer"));
    },
  });
}

function words(text: string) {
  return text.match(/\S+\s*/g) ?? [];
}

function errorResponse(provider: "openai" | "anthropic", status: number, retryAfter?: number) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  const body =
    provider === "openai"
      ? {
          error: {
            message:
              status === 429
                ? "Rate limit reached for requests"
                : status === 401
                  ? "Incorrect API key provided"
                  : "The server had an error while processing your request.",
            type: status === 429 ? "rate_limit_error" : "server_error",
            code: null,
          },
        }
      : {
          type: "error",
          error: {
            type: status === 429 ? "rate_limit_error" : status === 401 ? "authentication_error" : "api_error",
            message:
              status === 429
                ? "Number of requests has exceeded your rate limit"
                : status === 401
                  ? "invalid x-api-key"
                  : "Internal server error",
          },
        };
  return new Response(JSON.stringify(body), { status, headers });
}

export function fakeOpenAi(opts: { apiKey?: string; reply?: string } = {}): FakeLlm {
  const fake: FakeLlm = { requests: [], faults: [], turns: [], reply: opts.reply ?? "Hello from OpenAI.", fetch: null as never };
  fake.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const body: any = req.method === "POST" ? await req.json() : null;
    fake.requests.push({ path: url.pathname, headers: req.headers, body });
    if (req.headers.get("authorization") !== `Bearer ${opts.apiKey ?? "sk-test-openai"}`) return errorResponse("openai", 401);
    const fault = fake.faults.shift();
    if (fault && "status" in fault) return errorResponse("openai", fault.status, fault.retryAfter);
    if (fault && "hang" in fault)
      return new Promise<Response>((_, rej) =>
        req.signal.addEventListener("abort", () => rej(req.signal.reason ?? new DOMException("aborted", "AbortError"))),
      );
    if (url.pathname.endsWith("/models"))
      return Response.json({ object: "list", data: [{ id: "gpt-4o-mini", object: "model", created: 1, owned_by: "openai" }] });
    if (url.pathname.endsWith("/embeddings")) {
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
      const dims = body.dimensions ?? 8;
      const data = inputs.map((t, index) => {
        const v = new Float32Array(dims).map((_, i) => ((t.charCodeAt(i % t.length) * (i + 1)) % 97) / 97);
        const embedding = body.encoding_format === "base64" ? btoa(String.fromCharCode(...new Uint8Array(v.buffer))) : Array.from(v);
        return { object: "embedding", index, embedding };
      });
      return Response.json({ object: "list", data, model: body.model, usage: { prompt_tokens: 5, total_tokens: 5 } });
    }
    if (!url.pathname.endsWith("/chat/completions")) return new Response("not found", { status: 404 });
    const id = "chatcmpl-fake";
    const prompt = JSON.stringify(body.messages).length >> 2;
    const completion = words(fake.reply).length;
    if (!body.stream) {
      return Response.json({
        id,
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: fake.reply }, finish_reason: "stop" }],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      });
    }
    const base = { id, object: "chat.completion.chunk", created: 1, model: body.model };
    const turn = fake.turns.shift();
    if (turn && body.stream) {
      // Tool calls as the API streams them: id + name first, the arguments JSON in two pieces, finish_reason "tool_calls".
      const delta = (d: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] })}\n\n`;
      const out = [delta({ role: "assistant", content: "" }), ...words(turn.text ?? "").map((w) => delta({ content: w }))];
      (turn.toolCalls ?? []).forEach((t, index) => {
        const args = JSON.stringify(t.args);
        const cut = Math.floor(args.length / 2);
        out.push(
          delta({
            tool_calls: [
              { index, id: t.id ?? `call_${index}_${fake.requests.length}`, type: "function", function: { name: t.name, arguments: "" } },
            ],
          }),
        );
        out.push(delta({ tool_calls: [{ index, function: { arguments: args.slice(0, cut) } }] }));
        out.push(delta({ tool_calls: [{ index, function: { arguments: args.slice(cut) } }] }));
      });
      out.push(delta({}, turn.toolCalls?.length ? "tool_calls" : "stop"));
      out.push(
        `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: 7, total_tokens: prompt + 7 } })}\n\n`,
        "data: [DONE]\n\n",
      );
      return new Response(sse(out), { headers: { "Content-Type": "text/event-stream" } });
    }
    const chunks = [
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })}\n\n`,
      ...words(fake.reply).map(
        (w) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })}\n\n`,
      ),
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
      ...(body.stream_options?.include_usage
        ? [
            `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } })}\n\n`,
          ]
        : []),
      "data: [DONE]\n\n",
    ];
    const stream = fault && "cutAfterChunks" in fault ? cutStream(chunks, fault.cutAfterChunks) : sse(chunks);
    return new Response(stream, { headers: { "Content-Type": "text/event-stream" } });
  }) as typeof fetch;
  return fake;
}

export function fakeAnthropic(opts: { apiKey?: string; reply?: string } = {}): FakeLlm {
  const fake: FakeLlm = { requests: [], faults: [], turns: [], reply: opts.reply ?? "Hello from Claude.", fetch: null as never };
  fake.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const body: any = req.method === "POST" ? await req.json() : null;
    fake.requests.push({ path: url.pathname, headers: req.headers, body });
    // The API accepts the key as x-api-key or as a Bearer token (this SDK version sends the latter).
    const presented = req.headers.get("x-api-key") ?? req.headers.get("authorization")?.replace(/^Bearer /, "");
    if (presented !== (opts.apiKey ?? "sk-ant-test") || !req.headers.get("anthropic-version")) return errorResponse("anthropic", 401);
    const fault = fake.faults.shift();
    if (fault && "status" in fault) return errorResponse("anthropic", fault.status, fault.retryAfter);
    if (fault && "hang" in fault)
      return new Promise<Response>((_, rej) =>
        req.signal.addEventListener("abort", () => rej(req.signal.reason ?? new DOMException("aborted", "AbortError"))),
      );
    if (url.pathname === "/v1/models")
      return Response.json({
        data: [{ type: "model", id: "claude-3-5-haiku-latest", display_name: "Claude Haiku", created_at: "2024-10-22T00:00:00Z" }],
        has_more: false,
        first_id: "claude-3-5-haiku-latest",
        last_id: "claude-3-5-haiku-latest",
      });
    if (url.pathname !== "/v1/messages") return new Response("not found", { status: 404 });
    const input_tokens = JSON.stringify(body.messages).length >> 2;
    const ws = words(fake.reply);
    if (!body.stream) {
      return Response.json({
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [{ type: "text", text: fake.reply }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens, output_tokens: ws.length },
      });
    }
    const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const turn = fake.turns.shift();
    if (turn) {
      // Content blocks: text, then one tool_use block per call with input_json_delta pieces; stop_reason "tool_use".
      const out = [
        ev("message_start", {
          message: {
            id: "msg_fake",
            type: "message",
            role: "assistant",
            model: body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens, output_tokens: 1 },
          },
        }),
      ];
      let index = 0;
      if (turn.text) {
        out.push(ev("content_block_start", { index, content_block: { type: "text", text: "" } }));
        for (const w of words(turn.text)) out.push(ev("content_block_delta", { index, delta: { type: "text_delta", text: w } }));
        out.push(ev("content_block_stop", { index }));
        index++;
      }
      for (const t of turn.toolCalls ?? []) {
        const json = JSON.stringify(t.args);
        out.push(
          ev("content_block_start", {
            index,
            content_block: { type: "tool_use", id: t.id ?? `toolu_${index}_${fake.requests.length}`, name: t.name, input: {} },
          }),
        );
        out.push(ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: json.slice(0, 5) } }));
        out.push(ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: json.slice(5) } }));
        out.push(ev("content_block_stop", { index }));
        index++;
      }
      out.push(
        ev("message_delta", {
          delta: { stop_reason: turn.toolCalls?.length ? "tool_use" : "end_turn", stop_sequence: null },
          usage: { output_tokens: 9 },
        }),
      );
      out.push(ev("message_stop", {}));
      return new Response(sse(out), { headers: { "Content-Type": "text/event-stream" } });
    }
    const chunks = [
      ev("message_start", {
        message: {
          id: "msg_fake",
          type: "message",
          role: "assistant",
          model: body.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens, output_tokens: 1 },
        },
      }),
      ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
      ev("ping", {}),
      ...ws.map((w) => ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: w } })),
      ev("content_block_stop", { index: 0 }),
      ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: ws.length } }),
      ev("message_stop", {}),
    ];
    const stream = fault && "cutAfterChunks" in fault ? cutStream(chunks, fault.cutAfterChunks) : sse(chunks);
    return new Response(stream, { headers: { "Content-Type": "text/event-stream" } });
  }) as typeof fetch;
  return fake;
}

/** Routes SDK traffic by host: api.openai.com → OpenAI fake, api.anthropic.com → Anthropic fake. */
export function routeFakes(openai: FakeLlm, anthropic: FakeLlm): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname.includes("anthropic")) return anthropic.fetch(input, init);
    if (url.hostname.includes("openai")) return openai.fetch(input, init);
    throw new TypeError(`fetch failed: no route to ${url.hostname}`);
  }) as typeof fetch;
}
