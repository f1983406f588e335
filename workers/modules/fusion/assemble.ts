import { battleCards } from "./battle-cards";
import type { Candidate } from "./candidate";
import { faqs, objectionHandlers } from "./objections-faqs";
import { playbooks } from "./playbooks";
import type { Conversation } from "./signals";

/**
 * The local fusion (`local-fusion-v1`, pure and deterministic): conversations → candidate documents
 * assembled from the actual quotes. Each candidate carries its evidence (source + passage) and a
 * confidence with its basis; the run turns candidates into documents (or updates them).
 */
/** Every candidate the conversations support. `exclude`: names that are ours (the workspace, the product). */
export function fuse(convs: Conversation[], exclude: Set<string> = new Set()): Candidate[] {
  return [...battleCards(convs, exclude), ...playbooks(convs), ...objectionHandlers(convs), ...faqs(convs)];
}
