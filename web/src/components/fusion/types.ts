/** Sales knowledge (knowledge fusion) UI constants; the API shapes are aliases of the generated OpenAPI types. */
import type { FusionDocument as ApiFusionDocument, FusionRun as ApiFusionRun, FusionSource as ApiFusionSource } from "../../lib/api-types";

export type FusionDocument = ApiFusionDocument;
export type FusionRun = ApiFusionRun;
export type FusionSource = ApiFusionSource;
export type FusionKind = FusionDocument["kind"];
export type FusionStatus = FusionDocument["status"];

export const KIND_LABEL: Record<FusionKind, string> = {
  battle_card: "Battle card",
  playbook: "Playbook",
  objection_handler: "Objection handler",
  faq: "FAQ",
};
export const KIND_PLURAL: Record<FusionKind, string> = {
  battle_card: "Battle cards",
  playbook: "Playbooks",
  objection_handler: "Objection handlers",
  faq: "FAQs",
};
export const STATUS_LABEL: Record<FusionStatus, string> = { draft: "Draft", reviewed: "Reviewed", published: "Published" };
export const STATUS_TONE = { draft: "neutral", reviewed: "accent", published: "success" } as const;

/** "0.75" → "75 %" with a word: how sure the document is. */
export function confidenceLabel(c: number): { text: string; word: string; tone: "success" | "warning" | "neutral" } {
  const pct = `${Math.round(c * 100)} %`;
  const [word, tone] =
    c >= 0.7 ? (["strong", "success"] as const) : c >= 0.45 ? (["fair", "neutral"] as const) : (["thin", "warning"] as const);
  return { text: `${pct} · ${word}`, word, tone };
}
