/**
 * What a ChatSession tells the rest of the system after its clients have a change: the D1 mirror
 * (transcript + conversation summary, for listing and search) and the tenant's inbox feed.
 */
import type { Logger } from "../../platform/logger";
import { inboxStub, type ChatEnv } from "./env";
import { mirrorConversation } from "./mirror";
import type { SessionStore } from "./session.store";

export const MIRROR_RETRY_MS = 5_000;

export class SessionSync {
  private mirroring: Promise<void> | null = null;
  private mirrorAgain = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: ChatEnv,
    private readonly store: SessionStore,
    private readonly log: Logger,
  ) {}

  /** Mirrors unmirrored messages and the summary to D1; serialised, retried by the alarm on failure. */
  mirror(): Promise<void> {
    if (this.mirroring) {
      this.mirrorAgain = true;
      return this.mirroring;
    }
    this.mirroring = (async () => {
      do {
        this.mirrorAgain = false;
        const m = this.store.meta!;
        const pending = this.store.rowsSince(m.mirroredSeq, 200);
        try {
          await mirrorConversation(this.env, m, pending, this.store.lastSeq());
          if (pending.length) m.mirroredSeq = pending[pending.length - 1]!.seq;
          m.mirrorDirty = m.mirroredSeq < this.store.lastSeq();
          this.store.save();
          if (m.mirrorDirty) this.mirrorAgain = true;
        } catch (e) {
          this.log.error("mirror_failed", { tenant_id: m.tenantId, conversation_id: m.conversationId, error: (e as Error).message });
          await this.ctx.storage.setAlarm(Date.now() + MIRROR_RETRY_MS);
          break;
        }
      } while (this.mirrorAgain);
    })().finally(() => {
      this.mirroring = null;
    });
    return this.mirroring;
  }

  async notifyInbox(extra: { handoff?: boolean } = {}): Promise<void> {
    const m = this.store.meta!;
    const last = this.store.lastRow();
    try {
      await inboxStub(this.env, m.tenantId).publish({
        type: "conversation",
        handoff: extra.handoff ?? false,
        conversation: {
          id: m.conversationId,
          status: m.status,
          assignee_id: m.assigneeId,
          visitor_name: m.visitor.name,
          visitor_email: m.visitor.email,
          last_message: last ? last.body.slice(0, 200) : null,
          last_message_at: new Date(last ? last.created_at : m.createdAt).toISOString(),
          message_count: last ? last.seq : 0,
          unread: m.unreadAgent,
          csat_rating: m.csatRating,
        },
      });
    } catch (e) {
      this.log.warn("inbox_notify_failed", { tenant_id: m.tenantId, error: (e as Error).message });
    }
  }

  /** Mirror to D1 and tell the inbox; both after the clients already have the message. */
  async afterChange(extra: { handoff?: boolean } = {}): Promise<void> {
    await Promise.all([this.mirror(), this.notifyInbox(extra)]);
  }
}
