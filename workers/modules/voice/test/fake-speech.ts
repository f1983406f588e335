/**
 * A fake of OpenAI's speech-to-text endpoint (POST /v1/audio/transcriptions): it reads the real
 * multipart/form-data body the SDK sends (boundary, `file` part with its name and type, `model`,
 * `response_format`, `timestamp_granularities[]`), checks the bearer key and answers OpenAI's
 * verbose_json (text, duration, segments) or json shape. The SDK is pointed at it through its
 * `fetch` option (speechTransport), so the adapter runs unchanged.
 */
export interface SpeechRequest {
  path: string;
  contentType: string;
  authorization: string | null;
  fields: Record<string, string[]>;
  file: { name: string; type: string; size: number; head: number[] } | null;
}

export function fakeOpenAiSpeech(opts: { apiKey?: string; segments?: { start: number; end: number; text: string }[] } = {}) {
  const requests: SpeechRequest[] = [];
  const segments = opts.segments ?? [
    { start: 0, end: 4.2, text: " Thanks for the demo yesterday." },
    { start: 4.5, end: 9.8, text: " The export to Excel doesn't work for us, we get an error." },
    { start: 10.1, end: 15, text: " I'll send you the fix and the pricing by Friday." },
  ];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const form = await req.formData();
    const fields: Record<string, string[]> = {};
    let file: SpeechRequest["file"] = null;
    for (const [k, v] of form.entries()) {
      if (typeof v === "string") fields[k] = [...(fields[k] ?? []), v];
      else file = { name: v.name, type: v.type, size: v.size, head: [...new Uint8Array(await v.slice(0, 4).arrayBuffer())] };
    }
    requests.push({
      path: url.pathname,
      contentType: req.headers.get("content-type") ?? "",
      authorization: req.headers.get("authorization"),
      fields,
      file,
    });
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    if (req.headers.get("authorization") !== `Bearer ${opts.apiKey ?? "sk-test-speech"}`)
      return json(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
    if (url.pathname !== "/v1/audio/transcriptions" || !file || !fields.model?.length)
      return json(400, { error: { message: "file and model are required", type: "invalid_request_error" } });
    const text = segments.map((s) => s.text.trim()).join(" ");
    if (fields.response_format?.[0] !== "verbose_json") return json(200, { text });
    return json(200, {
      task: "transcribe",
      language: "english",
      duration: segments[segments.length - 1]?.end ?? 0,
      text,
      segments: segments.map((s, id) => ({
        id,
        seek: 0,
        start: s.start,
        end: s.end,
        text: s.text,
        tokens: [],
        temperature: 0,
        avg_logprob: -0.2,
        compression_ratio: 1.2,
        no_speech_prob: 0.01,
      })),
    });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}
