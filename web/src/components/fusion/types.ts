/**
 * Sales knowledge (knowledge fusion) shapes, as `GET /api/v1/sales/fusion/*` answers them
 * (workers/modules/fusion/schemas.ts). Written here because `npm run api:types` could not run
 * this round (the generator overflows its stack on another module's recursive schema); move to the
 * generated `FusionDocument` / `FusionRun` types once it does.
 */
export type FusionKind = "battle_card" | "playbook" | "objection_handler" | "faq";
export type FusionStatus = "draft" | "reviewed" | "published";

export interface FusionSource {
  type: "transcript" | "thread";
  id: string;
  title: string;
  lead_id: string | null;
  occurred_at: string;
  quote: string;
  role: "evidence" | "answer";
}

export interface FusionDocument {
  id: string;
  kind: FusionKind;
  title: string;
  body: string;
  status: FusionStatus;
  ai_generated: boolean;
  generator: string;
  safety_action: string | null;
  confidence: number;
  confidence_basis: { sources: number; transcripts: number; threads: number; agreement: number; note: string };
  sources: FusionSource[];
  knowledge_source_id: string | null;
  view_count: number;
  edited_by: string | null;
  edited_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  published_by: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface FusionRun {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  scope: "new" | "chosen";
  since: string | null;
  progress: number;
  stage: string;
  transcripts: number;
  threads: number;
  transcripts_available: boolean;
  created: number;
  updated: number;
  unchanged: number;
  kept: number;
  generator: string | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
}

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
