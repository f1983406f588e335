/**
 * Knowledge sources added by the AI agent configuration wizard (modules/wizards): a web page by URL
 * or a document typed in (stored as Markdown), through the same services as the knowledge API, plus
 * the workspace's collections to pick from. Indexing is asynchronous as for any source.
 */
import type { Actor } from "../../platform/audit";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { knowledgeStack } from "./config";
import { createFileSource, createUrlSource, listCollections, type SourcesCtx } from "./sources.service";

const ctxOf = (env: Env): SourcesCtx => ({
  db: getDb(env.DB),
  d1: env.DB,
  files: env.FILES,
  queue: env.KNOWLEDGE,
  stack: knowledgeStack(env),
});

export function knowledgeCollections(env: Env, tenantId: string) {
  return listCollections(getDb(env.DB), tenantId);
}

export function addUrlSourceFor(
  env: Env,
  tenantId: string,
  input: { url: string; collection: string; createdBy: string },
  actor: Actor,
  fetcher?: typeof fetch,
) {
  return createUrlSource(ctxOf(env), tenantId, input, actor, fetcher);
}

export function addDocumentSourceFor(
  env: Env,
  tenantId: string,
  input: { title: string; text: string; collection: string; createdBy: string },
  actor: Actor,
) {
  const file = new File([input.text], `${input.title.replace(/[^\w.-]+/g, "-").slice(0, 80) || "document"}.md`, { type: "text/markdown" });
  return createFileSource(
    ctxOf(env),
    tenantId,
    file,
    { title: input.title, collection: input.collection, createdBy: input.createdBy },
    actor,
  );
}
