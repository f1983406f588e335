/**
 * The steps of a sync on one connection, per page of contacts: compare subscribers with what was last
 * pushed (diff), push the differences (pushContacts, saveStates), read unsubscribes back from the
 * provider (pullUnsubscribes) and unsubscribe addresses no longer on the list (unsubscribeRemoved).
 * The run around them — pages, continuation messages, the log — is engine.ts.
 */
import { and, eq, inArray, isNull, notLike, sql } from "drizzle-orm";
import { listSyncConnections, listSyncContacts } from "../../../../schema/list-sync";
import { listSubscribers } from "../../../../schema/messaging";
import type { Db } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { unsubscribeFromList } from "../list-subscribers.service";
import { splitName, type ProviderAdapter, type SyncContact } from "./types";
import type { Conn, Run } from "./engine";

export type Sub = { email: string; name: string | null; status: "pending" | "subscribed" | "unsubscribed" };
/** Subscribers read per page of a full sync, and pages per queue message (then it continues in a new message). */
export const RUN_LIMITS = { pageSize: 500, pagesPerMessage: 10 };
export const MAX_ERRORS = 100;
export const IN_CHUNK = 90; // D1: at most 100 bound parameters per statement
export const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const fingerprint = (c: Pick<SyncContact, "status" | "firstName" | "lastName">) => `${c.status}|${c.firstName ?? ""}|${c.lastName ?? ""}`;

export interface Tally {
  processed: number;
  created: number;
  updated: number;
  unsubscribed: number;
  pulled: number;
  skipped: number;
  failed: number;
  errors: Run["errors"];
}
export const tallyOf = (r: Run): Tally => ({
  processed: r.processed,
  created: r.created,
  updated: r.updated,
  unsubscribed: r.unsubscribed,
  pulled: r.pulled,
  skipped: r.skipped,
  failed: r.failed,
  errors: [...r.errors],
});

/**
 * Compares subscribers with what was last pushed on this connection and returns the ones that
 * differ. Pending (unconfirmed) subscribers are not sent; an unsubscribe is sent only for an
 * address that was pushed before.
 */
export async function diff(db: Db, conn: Conn, subs: Sub[], t: Tally): Promise<SyncContact[]> {
  const states = new Map<string, typeof listSyncContacts.$inferSelect>();
  for (const part of chunks(
    subs.map((s) => s.email),
    IN_CHUNK,
  )) {
    const rows = await db
      .select()
      .from(listSyncContacts)
      .where(
        and(
          eq(listSyncContacts.tenantId, conn.tenantId),
          eq(listSyncContacts.connectionId, conn.id),
          inArray(listSyncContacts.email, part),
        ),
      );
    for (const r of rows) states.set(r.email, r);
  }
  const push: SyncContact[] = [];
  for (const s of subs) {
    t.processed++;
    const state = states.get(s.email);
    if (s.status === "pending" || (s.status === "unsubscribed" && !state)) {
      t.skipped++;
      continue;
    }
    const { first, last } = splitName(s.name, conn.fieldMap);
    const c: SyncContact = {
      email: s.email,
      firstName: first,
      lastName: last,
      status: s.status,
      remoteId: state?.remoteId ?? null,
      known: !!state,
    };
    if (state?.fingerprint === fingerprint(c)) t.skipped++;
    else push.push(c);
  }
  return push;
}

/** Pushes contacts and records the outcome per contact (state for successes, the log for failures). */
export async function pushContacts(db: Db, adapter: ProviderAdapter, conn: Conn, push: SyncContact[], t: Tally): Promise<void> {
  if (!push.length) return;
  const results = await adapter.push(push);
  const byEmail = new Map(push.map((c) => [c.email, c]));
  const now = Date.now();
  const ok: (typeof listSyncContacts.$inferInsert)[] = [];
  for (const r of results) {
    const c = byEmail.get(r.email);
    if (!c) continue;
    if (r.outcome === "failed") {
      t.failed++;
      if (t.errors.length < MAX_ERRORS) t.errors.push({ email: r.email, status: r.status ?? null, error: r.error ?? "failed" });
      continue;
    }
    t[r.outcome]++;
    ok.push({
      tenantId: conn.tenantId,
      connectionId: conn.id,
      email: c.email,
      fingerprint: fingerprint(c),
      remoteId: r.remoteId ?? c.remoteId,
      syncedAt: now,
    });
  }
  await saveStates(db, ok);
}

async function saveStates(db: Db, rows: (typeof listSyncContacts.$inferInsert)[]) {
  const stmts = chunks(rows, 16).map((part) =>
    db
      .insert(listSyncContacts)
      .values(part)
      .onConflictDoUpdate({
        target: [listSyncContacts.tenantId, listSyncContacts.connectionId, listSyncContacts.email],
        set: {
          fingerprint: sql`excluded.fingerprint`,
          remoteId: sql`coalesce(excluded.remote_id, ${listSyncContacts.remoteId})`,
          syncedAt: sql`excluded.synced_at`,
        },
      }),
  );
  if (stmts.length) await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
}

/**
 * Two-way: reads back who unsubscribed at the provider since the last pull and unsubscribes them
 * here. Conflict rule: an unsubscribe anywhere wins — a remote unsubscribe beats a local
 * subscription, and the local unsubscribe then propagates to the list's other connections.
 */
export async function pullUnsubscribes(db: Db, env: Env, adapter: ProviderAdapter, conn: Conn, t: Tally): Promise<void> {
  const startedAt = Date.now();
  const since = conn.pulledThrough ? conn.pulledThrough - 60_000 : null;
  const emails = [...new Set(await adapter.pullUnsubscribes(since))];
  for (const part of chunks(emails, IN_CHUNK)) {
    const subs = await db
      .select({ email: listSubscribers.email, name: listSubscribers.name })
      .from(listSubscribers)
      .where(
        and(
          eq(listSubscribers.tenantId, conn.tenantId),
          eq(listSubscribers.listId, conn.listId),
          inArray(listSubscribers.email, part),
          inArray(listSubscribers.status, ["pending", "subscribed"]),
        ),
      );
    // The provider already has them unsubscribed: record that first, so the change this causes is not pushed back.
    await saveStates(
      db,
      subs.map((s) => {
        const { first, last } = splitName(s.name, conn.fieldMap);
        return {
          tenantId: conn.tenantId,
          connectionId: conn.id,
          email: s.email,
          fingerprint: fingerprint({ status: "unsubscribed", firstName: first, lastName: last }),
          remoteId: null,
          syncedAt: Date.now(),
        };
      }),
    );
    for (const s of subs) if (await unsubscribeFromList(db, env, conn.tenantId, conn.listId, s.email)) t.pulled++;
  }
  await db
    .update(listSyncConnections)
    .set({ pulledThrough: startedAt })
    .where(and(eq(listSyncConnections.tenantId, conn.tenantId), eq(listSyncConnections.id, conn.id)));
}

/**
 * Addresses pushed earlier that are no longer on the list (removed from it, or erased) are
 * unsubscribed at the provider, so nobody keeps getting email there after leaving the list here.
 */
export async function unsubscribeRemoved(db: Db, adapter: ProviderAdapter, conn: Conn, t: Tally): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const gone = await db
      .select({ email: listSyncContacts.email })
      .from(listSyncContacts)
      .leftJoin(
        listSubscribers,
        and(
          eq(listSubscribers.tenantId, listSyncContacts.tenantId),
          eq(listSubscribers.listId, conn.listId),
          eq(listSubscribers.email, listSyncContacts.email),
        ),
      )
      .where(
        and(
          eq(listSyncContacts.tenantId, conn.tenantId),
          eq(listSyncContacts.connectionId, conn.id),
          notLike(listSyncContacts.fingerprint, "unsubscribed|%"),
          isNull(listSubscribers.id),
        ),
      )
      .limit(RUN_LIMITS.pageSize);
    if (!gone.length) return;
    const before = t.unsubscribed;
    t.processed -= gone.length; // not subscribers of the list any more: no part of its progress
    await pushContacts(
      db,
      adapter,
      conn,
      await diff(
        db,
        conn,
        gone.map((g) => ({ email: g.email, name: null, status: "unsubscribed" as const })),
        t,
      ),
      t,
    );
    if (t.unsubscribed === before || gone.length < RUN_LIMITS.pageSize) return;
  }
}
