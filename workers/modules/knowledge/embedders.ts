import OpenAI from "openai";
import { LOCAL_EMBEDDER_DEFAULTS, LOCAL_EMBEDDER_ID, localEmbed } from "./local-embedder";

/**
 * Embedders behind one interface. `id` + `dimensions` are recorded on the tenant's index; a
 * configuration that disagrees forces a rebuild (see index.service.ts) rather than mixing vectors.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly label: string;
  readonly local: boolean;
  /** Max input tokens the model accepts (chunks are budgeted below it). */
  readonly maxTokens: number;
  /** True when queries want per-tenant IDF (the local lexical embedder). */
  readonly wantsIdf: boolean;
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  embedQuery(text: string, idf?: (term: string) => number): Promise<Float32Array>;
}

export class LocalEmbedder implements Embedder {
  readonly id = LOCAL_EMBEDDER_ID;
  readonly label = "Local hashed lexical embedder (offline, deterministic)";
  readonly local = true;
  readonly maxTokens = 512;
  readonly wantsIdf = true;
  constructor(readonly dimensions = LOCAL_EMBEDDER_DEFAULTS.dimensions) {}
  private params() {
    return { ...LOCAL_EMBEDDER_DEFAULTS, dimensions: this.dimensions };
  }
  async embedDocuments(texts: string[]) {
    return texts.map((t) => localEmbed(t, this.params()));
  }
  async embedQuery(text: string, idf?: (term: string) => number) {
    return localEmbed(text, this.params(), idf);
  }
}

const normalise = (v: number[] | Float32Array): Float32Array => {
  const out = Float32Array.from(v);
  let n = 0;
  for (const x of out) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
};

/**
 * Workers AI bge models (`@cf/baai/bge-{small,base,large}-en-v1.5`: 384/768/1024 dims, 512 tokens).
 * bge recommends an instruction prefix on queries for retrieval.
 */
export const BGE_MODELS = {
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-large-en-v1.5": 1024,
} as const;
export class WorkersAiEmbedder implements Embedder {
  readonly local = false;
  readonly maxTokens = 512;
  readonly wantsIdf = false;
  readonly dimensions: number;
  readonly label: string;
  constructor(
    private readonly ai: Ai,
    readonly id: keyof typeof BGE_MODELS = "@cf/baai/bge-base-en-v1.5",
  ) {
    this.dimensions = BGE_MODELS[id];
    this.label = `Workers AI ${id}`;
  }
  private async run(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 100) {
      const res = (await (this.ai as unknown as { run(m: string, i: unknown): Promise<unknown> }).run(this.id, {
        text: texts.slice(i, i + 100),
      })) as { data?: number[][] };
      if (!res?.data || res.data.length !== Math.min(100, texts.length - i)) throw new Error("Workers AI returned no embeddings");
      for (const v of res.data) out.push(normalise(v));
    }
    return out;
  }
  embedDocuments(texts: string[]) {
    return this.run(texts);
  }
  async embedQuery(text: string) {
    return (await this.run([`Represent this sentence for searching relevant passages: ${text}`]))[0]!;
  }
}

/** OpenAI embeddings through the official SDK (text-embedding-3-small: 1536 dims; `dimensions` may shorten it). */
export class OpenAiEmbedder implements Embedder {
  readonly local = false;
  readonly maxTokens = 8191;
  readonly wantsIdf = false;
  readonly label: string;
  readonly id: string;
  private readonly client: OpenAI;
  constructor(
    opts: { apiKey: string; baseURL?: string; fetch?: typeof fetch; model?: string },
    readonly dimensions = 1536,
  ) {
    const model = opts.model ?? "text-embedding-3-small";
    this.id = `openai:${model}@${dimensions}`;
    this.label = `OpenAI ${model} (${dimensions}-d)`;
    this.model = model;
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, fetch: opts.fetch, maxRetries: 2, timeout: 30_000 });
  }
  private readonly model: string;
  private async run(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 256) {
      const res = await this.client.embeddings.create({ model: this.model, input: texts.slice(i, i + 256), dimensions: this.dimensions });
      const data = [...res.data].sort((a, b) => a.index - b.index);
      for (const d of data) out.push(normalise(d.embedding as number[]));
    }
    return out;
  }
  embedDocuments(texts: string[]) {
    return this.run(texts);
  }
  async embedQuery(text: string) {
    return (await this.run([text]))[0]!;
  }
}
