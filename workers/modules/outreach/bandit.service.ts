import type { Db } from "../../platform/db";
import { armRates, probabilityBest, winningArm, type Rng } from "./bandit";
import { getSequenceRow, stepsOf } from "./sequences.service";

/** GET /outreach/sequences/{id}/variants: per email step, each arm's counters, rates and probability of being best. */

export const FIGURE_DRAWS = 4000;

export async function variantFigures(db: Db, tenantId: string, sequenceId: string, rng: Rng = Math.random) {
  await getSequenceRow(db, tenantId, sequenceId); // 404 for another workspace's sequence
  const { steps, variants } = await stepsOf(db, tenantId, [sequenceId]);
  return {
    sequence_id: sequenceId,
    method: "thompson_sampling" as const,
    draws: FIGURE_DRAWS,
    steps: steps
      .filter((s) => s.kind === "email")
      .map((step) => {
        const own = variants.filter((v) => v.stepId === step.id).sort((a, b) => a.label.localeCompare(b.label));
        const arms = own.filter((v) => v.active).map((v) => ({ id: v.id, sent: v.sent, positive: v.positiveReplies }));
        const best = probabilityBest(arms, FIGURE_DRAWS, rng);
        const winner = winningArm(arms, best);
        return {
          step_id: step.id,
          position: step.position,
          arms: own.map((v) => {
            const r = armRates({ id: v.id, sent: v.sent, positive: v.positiveReplies, replies: v.replies });
            return {
              variant_id: v.id,
              label: v.label,
              active: v.active,
              subject: v.subject,
              sent: v.sent,
              replies: v.replies,
              positive_replies: v.positiveReplies,
              reply_rate: r.replyRate,
              positive_rate: r.positiveRate,
              posterior_mean: r.posteriorMean,
              probability_best: v.active ? (best.get(v.id) ?? 0) : null,
              winner: winner?.id === v.id,
            };
          }),
        };
      }),
  };
}
