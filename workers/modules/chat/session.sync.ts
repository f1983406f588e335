/**
 * What a ChatSession tells the rest of the system after its clients have a change: the D1 mirror
 * (transcript + conversation summary, for listing and search) and the tenant's inbox feed — one
 * call to the tenant's TenantInbox carrying both, which writes the mirror in a D1 batch shared with
 * the workspace's other conversations flushing at that moment (inbox.do.ts).
 *
 * Messages do not wait for either. A message only *defers* a flush: the first one in a quiet
 * conversation starts a timer (FLUSH_DELAY_MS, longer when flushes are slow); messages arriving
 * before it fires ride along. So a busy conversation costs one D1 batch and one inbox event per
 * window instead of one each per message, and a WebSocket message handler never awaits D1 or the
 * tenant-wide TenantInbox object (measured at 500 sessions: the handler used to run ~4 s past
 * the ack on them). Status changes (hand-off, assignment, close, rating) still flush at once.
 *
 * Durability without a storage write per flush: what is not mirrored yet is in storage already —
 * the message rows past `mirroredSeq`, or `mirrorDirty` (both saved with the change itself) — and a
 * deferred flush makes sure the alarm fires within SAFETY_MS, so an object evicted before its timer
 * fires flushes from the alarm (mirror + inbox event). That costs one alarm write per SAFETY_MS per
 * busy conversation, not one per window: an earlier build drove every window by the alarm, and at
 * 500 sessions the local alarm manager fell behind (alarms seconds late, "AlarmManager mismatch"
 * warnings) and runs lost acks. A successful mirror's progress (`mirroredSeq`) is saved with the
 * conversation's next state write rather than by a write of its own (each write is a commit: a
 * WAL fsync locally); an object evicted before that re-mirrors its last batch from the alarm, which
 * changes nothing (the inserts are idempotent on the sequence number, the summary is the same).
 */
import type { Logger } from "../../platform/logger";
import { inboxStub, type ChatEnv } from "./env";
import { mirrorUpdate } from "./mirror";
import type { InboxEvent } from "./inbox.do";
import type { SessionStore } from "./session.store";

export const MIRROR_RETRY_MS = 5_000;
/**
 * How far the D1 mirror and the inbox list lag a live conversation (its sockets do not): at least
 * FLUSH_DELAY_MS, and twice the last flush's duration when D1 or the inbox answer slowly, so a
 * loaded system gets fewer, larger flushes instead of a growing queue of them (≤ MAX_FLUSH_DELAY_MS).
 */
export const FLUSH_DELAY_MS = 500;
export const MAX_FLUSH_DELAY_MS = 5_000;
/** The latest an evicted object's pending flush runs (from the alarm). */
export const SAFETY_MS = 60_000;

export class SessionSync {
  private mirroring: Promise<void> | null = null;
  private lastFlushMs = 0;
  private mirrorAgain = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: ChatEnv,
    private readonly store: SessionStore,
    private readonly log: Logger,
  ) {}

  /**
   * The latest the alarm must fire for a flush (a deferred flush's safety deadline, a failed
   * mirror's retry); null when no flush is pending. In memory only: the alarm itself is the
   * durable copy.
   */
  private dueAt: number | null = null;

  /** Whether storage shows changes the D1 mirror (and so the inbox feed) has not had yet. */
  pending(): boolean {
    const m = this.store.meta!;
    return !!m.flushAt || m.mirrorDirty || m.mirroredSeq < this.store.lastSeq();
  }

  /**
   * Mirrors unmirrored messages and the summary to D1 through the inbox, the first round carrying
   * the inbox event (`notify`); serialised, retried by the alarm on failure. While a round is in
   * flight, a new call only marks another round due and sends its inbox event on its own, now.
   */
  private flush(notify: { handoff: boolean } | null): Promise<void> {
    if (this.mirroring) {
      this.mirrorAgain = true;
      return notify ? Promise.all([this.mirroring, this.notifyInbox(notify)]).then(() => {}) : this.mirroring;
    }
    this.mirroring = (async () => {
      let event = notify;
      do {
        this.mirrorAgain = false;
        const m = this.store.meta!;
        const pending = this.store.rowsSince(m.mirroredSeq, 200);
        const lastSeq = this.store.lastSeq();
        try {
          await inboxStub(this.env, m.tenantId).sync(event ? this.inboxEvent(event) : null, mirrorUpdate(m, pending, lastSeq));
          event = null;
          // Saved with the next state write (see above), not by a commit of its own.
          if (pending.length) m.mirroredSeq = pending[pending.length - 1]!.seq;
          this.store.mirrored(m.mirroredSeq);
          m.mirrorDirty = m.mirroredSeq < this.store.lastSeq();
          if (m.mirrorDirty) this.mirrorAgain = true;
        } catch (e) {
          this.log.error("mirror_failed", { tenant_id: m.tenantId, conversation_id: m.conversationId, error: (e as Error).message });
          await this.due(Date.now() + MIRROR_RETRY_MS);
          break;
        }
      } while (this.mirrorAgain);
    })().finally(() => {
      this.mirroring = null;
    });
    return this.mirroring;
  }

  private inboxEvent(extra: { handoff?: boolean }): InboxEvent {
    const m = this.store.meta!;
    const last = this.store.lastRow();
    return {
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
    };
  }

  /** The inbox event alone (a new conversation; a change while a mirror round is in flight). */
  async notifyInbox(extra: { handoff?: boolean } = {}): Promise<void> {
    const m = this.store.meta!;
    try {
      await inboxStub(this.env, m.tenantId).publish(this.inboxEvent(extra));
    } catch (e) {
      this.log.warn("inbox_notify_failed", { tenant_id: m.tenantId, error: (e as Error).message });
    }
  }

  /** Mirror to D1 and tell the inbox now (status changes); a pending deferred flush is covered by it. */
  async afterChange(extra: { handoff?: boolean } = {}): Promise<void> {
    const m = this.store.meta!;
    this.dueAt = null;
    if (m.flushAt) {
      // A deadline saved by an earlier build: this flush covers it.
      m.flushAt = null;
      this.store.save();
    }
    const t0 = Date.now();
    await this.flush({ handoff: extra.handoff ?? false });
    this.lastFlushMs = Date.now() - t0;
  }

  /** Mirror + notify within FLUSH_DELAY_MS, coalesced with every other change until then. */
  async defer(): Promise<void> {
    if (!this.timer) {
      const delay = Math.min(MAX_FLUSH_DELAY_MS, Math.max(FLUSH_DELAY_MS, 2 * this.lastFlushMs));
      this.timer = setTimeout(() => {
        this.timer = null;
        this.ctx.waitUntil(this.afterChange());
      }, delay);
    }
    if (this.dueAt === null) await this.due(Date.now() + SAFETY_MS);
  }

  /** The alarm's share: a flush storage shows pending (its timer may have died with an evicted object). */
  pendingFlush(): Promise<void> | null {
    return this.pending() ? this.afterChange() : null;
  }

  /** A flush must happen by `at`: the alarm fires no later (moved only when it must fire earlier). */
  private async due(at: number): Promise<void> {
    this.dueAt = Math.min(this.dueAt ?? Infinity, at);
    await this.armAlarm();
  }

  /** The alarm time this object has set (null: none; undefined: not read from storage yet). */
  private alarmAt: number | null | undefined = undefined;

  /**
   * One alarm serves both the flush deadline and the idle timeout: whichever is first. The alarm
   * is only moved when it must fire earlier; a too-early one re-arms itself when it fires, so a
   * message costs no alarm write (an earlier build set it on every message).
   */
  async armAlarm(): Promise<void> {
    const m = this.store.meta!;
    const idle = m.status === "closed" ? Infinity : m.lastActivityAt + m.idleMs;
    const next = Math.min(this.dueAt ?? Infinity, m.flushAt ?? Infinity, idle);
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (next === Infinity) {
      if (this.alarmAt !== null) await this.ctx.storage.deleteAlarm();
      this.alarmAt = null;
      return;
    }
    if (this.alarmAt !== null && this.alarmAt <= next) return;
    await this.ctx.storage.setAlarm(next);
    this.alarmAt = next;
  }

  /** The alarm has fired (it is consumed); the next armAlarm sets a new one. */
  alarmFired(): void {
    this.alarmAt = null;
  }

  async clearAlarm(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    this.alarmAt = null;
  }
}
