import type { assistantActions } from "../../../schema/assistant";

type ActionRow = typeof assistantActions.$inferSelect;
const isoOf = (ms: number) => new Date(ms).toISOString();

export function serializeAction(a: ActionRow) {
  return {
    id: a.id,
    conversation_id: a.conversationId,
    message_id: a.messageId,
    tool: a.tool,
    method: a.method,
    path: a.path,
    kind: a.kind,
    args: a.args,
    summary: a.summary,
    confirm_phrase: a.confirmPhrase,
    // A proposal past its time reads as expired even before anyone touches it.
    status: a.status === "proposed" && a.expiresAt <= Date.now() ? ("expired" as const) : a.status,
    http_status: a.httpStatus,
    result: a.result ?? null,
    expires_at: isoOf(a.expiresAt),
    decided_by: a.decidedBy,
    decided_at: a.decidedAt ? isoOf(a.decidedAt) : null,
    created_at: isoOf(a.createdAt),
  };
}
