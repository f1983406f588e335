import type { Env } from "../../platform/env";
import { OpenAiEmbedder, LocalEmbedder, WorkersAiEmbedder, BGE_MODELS, type Embedder } from "./embedders";
import { LocalD1Index, VectorizeVectorIndex, type VectorIndex } from "./vector-index";

/**
 * Which embedder and vector index this deployment uses. Bindings/secrets pick the hosted
 * adapters; with none configured everything runs locally (labelled as such in the API and UI).
 *   KNOWLEDGE_EMBEDDER = local | workers-ai[:<bge model>] | openai[:<model>]
 *   VECTORIZE binding  → Vectorize; otherwise the local D1 index.
 */
export interface KnowledgeStack {
  embedder: Embedder;
  index: VectorIndex;
}

const cache = new WeakMap<object, KnowledgeStack>();

export function knowledgeStack(env: Env, deps: { fetch?: typeof fetch } = {}): KnowledgeStack {
  const hit = !deps.fetch && cache.get(env);
  if (hit) return hit;
  const choice = (env.KNOWLEDGE_EMBEDDER ?? (env.AI ? "workers-ai" : "local")).trim();
  const [kind, model] = choice.split(/:(.*)/s) as [string, string | undefined];
  let embedder: Embedder;
  if (kind === "workers-ai") {
    if (!env.AI) throw new Error("KNOWLEDGE_EMBEDDER=workers-ai needs the AI binding");
    embedder = new WorkersAiEmbedder(
      env.AI,
      (model && model in BGE_MODELS ? model : "@cf/baai/bge-base-en-v1.5") as keyof typeof BGE_MODELS,
    );
  } else if (kind === "openai") {
    if (!env.OPENAI_API_KEY) throw new Error("KNOWLEDGE_EMBEDDER=openai needs OPENAI_API_KEY");
    embedder = new OpenAiEmbedder(
      { apiKey: env.OPENAI_API_KEY, model: model || undefined, fetch: deps.fetch },
      env.VECTORIZE ? 1536 : 1536,
    );
  } else {
    // Vectorize caps dimensions at 1536; the local index takes the local embedder's full width.
    embedder = new LocalEmbedder(env.VECTORIZE ? 1536 : undefined);
  }
  const index: VectorIndex = env.VECTORIZE ? new VectorizeVectorIndex(env.VECTORIZE) : new LocalD1Index(env.DB);
  const stack = { embedder, index };
  if (!deps.fetch) cache.set(env, stack);
  return stack;
}
