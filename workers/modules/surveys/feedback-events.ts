import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { publishEventSafely } from "../webhooks";
import type { FeedbackRow } from "./feedback.service";
import type { NpsResponseRow } from "./nps.service";

/**
 * `feedback.received` (webhook catalogue; workflow event triggers) for a widget feedback item or an
 * NPS answer. Published for a retried submission too, with the stored row's id as the event id: a
 * first attempt that failed after its insert still publishes once, and a repeat is the same event.
 */
export async function publishFeedbackReceived(
  db: Db,
  env: Pick<Env, "OUTBOX">,
  tenantId: string,
  x: { kind: "feedback"; item: FeedbackRow } | { kind: "nps"; response: NpsResponseRow },
): Promise<void> {
  const data =
    x.kind === "feedback"
      ? {
          kind: "feedback",
          feedback_id: x.item.id,
          category: x.item.category,
          message: x.item.message,
          email: x.item.email,
          page_url: x.item.pageUrl,
          distinct_id: x.item.distinctId,
        }
      : {
          kind: "nps",
          response_id: x.response.id,
          score: x.response.score,
          comment: x.response.comment,
          follow_up: x.response.followUp,
          plan: x.response.plan,
          page_url: x.response.pageUrl,
          distinct_id: x.response.distinctId,
        };
  const id = x.kind === "feedback" ? x.item.id : x.response.id;
  await publishEventSafely(db, env.OUTBOX, { tenantId, type: "feedback.received", eventId: `evt_fb_${id}`, data });
}
