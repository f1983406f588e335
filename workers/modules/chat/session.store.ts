/**
 * A ChatSession's own SQLite storage: the ordered message log (AUTOINCREMENT sequence, idempotent
 * on the client's id) and the conversation's state row. Everything the object knows lives here, so
 * an evicted or hibernated object rebuilds itself by constructing a new store.
 *
 * Every row is written through `append` (one object, one writer) and never changed, so the store
 * keeps what a flush needs in memory instead of asking SQLite each time: the last row and the rows
 * appended since the last mirror (`rowsSince` serves them when they cover the range), so a steady
 * flush runs no query (each statement is also a traced span locally: at 500 sessions a flush's four
 * queries were ~6 % of the runtime thread).
 *
 * A visitor message is one INSERT and no state write: what it changes in the state — the last
 * activity and one more unread message — is in the log already. The state is saved with the next
 * change of another kind (any other append saves it), recording up to which message its unread
 * count goes (`unreadSeq`), and a rebuilt store reads the rest back from the log (`reconcile`).
 */
import type { Citation, ConversationStatus, MessageRole } from "../../../schema/chat";
import { newId } from "../../platform/ids";
import type { ChatMessage } from "./protocol";
import { systemOf } from "./system-messages";

export interface SessionInit {
  tenantId: string;
  conversationId: string;
  visitor: { id: string; name: string | null; email: string | null; userId: string | null; verified: boolean };
  identityRequired: boolean;
  aiEnabled: boolean;
  pageUrl: string | null;
  idleMs?: number;
  createdAt: number;
}

export interface SessionMeta extends SessionInit {
  status: ConversationStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  mirroredSeq: number;
  mirrorDirty: boolean;
  lastActivityAt: number;
  unreadAgent: number;
  csatRating: number | null;
  csatComment: string | null;
  closedAt: number | null;
  idleMs: number;
  /**
   * The last message `unreadAgent` and `lastActivityAt` account for as saved (set by every save);
   * later rows are visitor messages (any other append saves), each one more unread. Missing in
   * state saved by earlier builds, which saved every message.
   */
  unreadSeq?: number;
  /**
   * Written by earlier builds: when a deferred mirror + inbox notification was due (epoch ms). Now
   * only read (a pending one is flushed by the alarm); the deadline lives in the alarm itself.
   */
  flushAt?: number | null;
}

export interface Row {
  seq: number;
  id: string;
  client_id: string | null;
  role: MessageRole;
  author_id: string | null;
  author_name: string | null;
  body: string;
  citations: string | null;
  created_at: number;
  [k: string]: SqlStorageValue;
}

export interface AppendInput {
  clientId?: string | null;
  id?: string;
  role: MessageRole;
  authorId: string | null;
  authorName: string | null;
  body: string;
  citations?: Citation[] | null;
}

export const toChatMessage = (r: Row): ChatMessage => ({
  seq: r.seq,
  id: r.id,
  client_id: r.client_id,
  role: r.role,
  author_id: r.author_id,
  author_name: r.author_name,
  body: r.body,
  citations: r.citations ? (JSON.parse(r.citations) as Citation[]) : null,
  system: systemOf(r.role, r.body),
  created_at: new Date(r.created_at).toISOString(),
});

export class SessionStore {
  meta: SessionMeta | null;
  /** The newest row (undefined: not read yet; null: there is none). */
  private last: Row | null | undefined = undefined;
  /** Rows appended by this instance not yet released by `mirrored`, oldest first, consecutive. */
  private recent: Row[] = [];

  constructor(private readonly sql: SqlStorage) {
    this.meta = this.readMeta();
    if (this.meta) this.reconcile(this.meta);
  }

  /** Brings the saved state up to the log: visitor messages appended since it was saved. */
  private reconcile(m: SessionMeta) {
    const last = this.lastRow();
    if (m.unreadSeq === undefined) {
      m.unreadSeq = last?.seq ?? 0; // an earlier build's state: exact up to the last message
      this.save();
    }
    if (!last || last.seq <= m.unreadSeq) return;
    const { n } = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE seq > ?", m.unreadSeq).one();
    m.unreadAgent += n;
    m.lastActivityAt = Math.max(m.lastActivityAt, last.created_at);
  }

  /** The state row; the tables are created only when they are missing (a new object). */
  private readMeta(): SessionMeta | null {
    let row: { v: string } | undefined;
    try {
      row = this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'state'").toArray()[0];
    } catch {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, client_id TEXT UNIQUE,
        role TEXT NOT NULL, author_id TEXT, author_name TEXT, body TEXT NOT NULL, citations TEXT,
        created_at INTEGER NOT NULL)`);
      this.sql.exec("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
    }
    return row ? (JSON.parse(row.v) as SessionMeta) : null;
  }

  save() {
    if (this.meta) this.meta.unreadSeq = this.lastSeq();
    this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('state', ?)", JSON.stringify(this.meta));
  }

  lastSeq(): number {
    return this.lastRow()?.seq ?? 0;
  }

  lastRow(): Row | undefined {
    if (this.last === undefined) this.last = this.sql.exec<Row>("SELECT * FROM messages ORDER BY seq DESC LIMIT 1").toArray()[0] ?? null;
    return this.last ?? undefined;
  }

  /**
   * Appends a message (idempotent on client_id) and returns it with its sequence number. One
   * statement on the usual path (the insert skips a known client_id; only then is it read back);
   * the state is written with it unless it is a visitor's message (see above). The activity is
   * recorded either way, so the caller's touch() has nothing left to save.
   */
  append(input: AppendInput): { message: ChatMessage; duplicate: boolean } {
    const now = Date.now();
    const row = this.sql
      .exec<Row>(
        "INSERT INTO messages (id, client_id, role, author_id, author_name, body, citations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING RETURNING *",
        input.id ?? newId("msg"),
        input.clientId ?? null,
        input.role,
        input.authorId,
        input.authorName,
        input.body,
        input.citations?.length ? JSON.stringify(input.citations) : null,
        now,
      )
      .toArray()[0];
    if (!row) {
      const existing = this.sql.exec<Row>("SELECT * FROM messages WHERE client_id = ?", input.clientId ?? null).one();
      return { message: toChatMessage(existing), duplicate: true };
    }
    this.last = row;
    this.recent.push(row);
    const m = this.meta!;
    if (input.role === "visitor") m.unreadAgent++;
    if (input.role === "agent") m.unreadAgent = 0;
    m.mirrorDirty = true;
    m.lastActivityAt = now;
    if (input.role !== "visitor") this.save();
    return { message: toChatMessage(row), duplicate: false };
  }

  messagesSince(seq: number, limit = 500): ChatMessage[] {
    return this.rowsSince(seq, limit).map(toChatMessage);
  }

  rowsSince(seq: number, limit: number): Row[] {
    // From memory when no row can lie between `seq` and the first recent one (all later ones are recent).
    const first = this.recent[0];
    if (first && first.seq <= seq + 1) {
      const from = this.recent.findIndex((r) => r.seq > seq);
      return from < 0 ? [] : this.recent.slice(from, from + limit);
    }
    if (!first && this.last !== undefined && (this.last?.seq ?? 0) <= seq) return []; // nothing after the newest row
    return this.sql.exec<Row>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit).toArray();
  }

  /** Rows up to `seq` are mirrored: no longer kept in memory. */
  mirrored(seq: number) {
    const keep = this.recent.findIndex((r) => r.seq > seq);
    this.recent = keep < 0 ? [] : this.recent.slice(keep);
  }

  /** The latest visitor/AI/agent messages, oldest first (the AI's conversation history). */
  recentDialogue(n: number): Row[] {
    return this.sql
      .exec<Row>("SELECT * FROM messages WHERE role IN ('visitor','ai','agent') ORDER BY seq DESC LIMIT ?", n)
      .toArray()
      .reverse();
  }
}
