import { and, asc, eq, isNotNull, isNull, lt } from "drizzle-orm";
import { salesTasks } from "../../../schema/sales";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { recordActivity } from "./activities.service";
import type { Stmt, TaskRow } from "./types";

/** Tasks: due dates, owners, done/undone; created by people, sequences' manual steps and voice-to-action. */

export type TaskKind = TaskRow["kind"];
export interface NewTask {
  title: string;
  kind?: TaskKind;
  notes?: string;
  leadId?: string | null;
  dealId?: string | null;
  ownerId?: string | null;
  dueAt?: number | null;
  enrollmentId?: string | null;
  origin: string; // "manual" | "sequence" | "voice" | "workflow"
  createdBy?: string | null;
}

export const serializeTask = (t: TaskRow, now = Date.now()) => ({
  id: t.id,
  title: t.title,
  notes: t.notes,
  kind: t.kind,
  lead_id: t.leadId,
  deal_id: t.dealId,
  owner_id: t.ownerId,
  due_at: iso(t.dueAt),
  done: t.doneAt !== null,
  done_at: iso(t.doneAt),
  overdue: t.doneAt === null && t.dueAt !== null && t.dueAt < now,
  enrollment_id: t.enrollmentId,
  origin: t.origin,
  created_by: t.createdBy,
  created_at: new Date(t.createdAt).toISOString(),
  updated_at: new Date(t.updatedAt).toISOString(),
});

/** The row and the statements that write it (the task and, for a lead or deal, its `task_created` activity). */
export function taskStatements(db: Db, tenantId: string, t: NewTask): { row: TaskRow; stmts: Stmt[] } {
  const now = Date.now();
  const row: TaskRow = {
    tenantId,
    id: newId("task"),
    title: t.title.slice(0, 300),
    notes: t.notes ?? "",
    kind: t.kind ?? "todo",
    leadId: t.leadId ?? null,
    dealId: t.dealId ?? null,
    ownerId: t.ownerId ?? null,
    dueAt: t.dueAt ?? null,
    doneAt: null,
    enrollmentId: t.enrollmentId ?? null,
    origin: t.origin,
    createdBy: t.createdBy ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const stmts: Stmt[] = [db.insert(salesTasks).values(row)];
  if (row.leadId || row.dealId)
    stmts.push(
      recordActivity(db, tenantId, {
        leadId: row.leadId,
        dealId: row.dealId,
        kind: "task_created",
        actorId: row.createdBy,
        summary: `Task: ${row.title}`,
        data: { task_id: row.id, origin: row.origin, due_at: row.dueAt },
        occurredAt: now,
      }),
    );
  return { row, stmts };
}

/** Creates a task (contract: outreach's manual steps, voice-to-action). Ids are not checked here: the routes check what a person sends. */
export async function createTask(db: Db, tenantId: string, t: NewTask): Promise<TaskRow> {
  const { row, stmts } = taskStatements(db, tenantId, t);
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  return row;
}

export async function getTaskRow(db: Db, tenantId: string, id: string): Promise<TaskRow> {
  const row = await db
    .select()
    .from(salesTasks)
    .where(tenantScope(db, tenantId).where(salesTasks, eq(salesTasks.id, id)))
    .get();
  if (!row) throw notFound("Task");
  return row;
}

export interface TaskListQuery extends PageQuery {
  owner_id?: string;
  mine?: boolean;
  lead_id?: string;
  deal_id?: string;
  status?: "open" | "done" | "all";
  overdue?: boolean;
}

/**
 * Tasks, newest first. `mine` = the caller's; `status` open (default) / done / all; `overdue` =
 * open and due before now.
 */
export async function listTasks(db: Db, tenantId: string, userId: string | null, q: TaskListQuery) {
  const page = keyset(salesTasks.createdAt, salesTasks.id, q.cursor);
  const status = q.status ?? "open";
  const owner = q.mine ? (userId ?? "") : q.owner_id;
  const now = Date.now();
  const rows = await db
    .select()
    .from(salesTasks)
    .where(
      tenantScope(db, tenantId).where(
        salesTasks,
        owner ? eq(salesTasks.ownerId, owner) : undefined,
        q.lead_id ? eq(salesTasks.leadId, q.lead_id) : undefined,
        q.deal_id ? eq(salesTasks.dealId, q.deal_id) : undefined,
        status === "open" ? isNull(salesTasks.doneAt) : status === "done" ? isNotNull(salesTasks.doneAt) : undefined,
        q.overdue ? and(isNull(salesTasks.doneAt), lt(salesTasks.dueAt, now)) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeTask(r, now),
  );
}

export interface TaskPatch {
  title?: string;
  notes?: string;
  kind?: TaskKind;
  owner_id?: string | null;
  due_at?: string | null;
  done?: boolean;
}

/** Edits a task; `done: true` stamps done_at and records `task_done` on its lead/deal (once), `done: false` reopens it. */
export async function updateTask(db: Db, tenantId: string, id: string, patch: TaskPatch, actor: Actor): Promise<TaskRow> {
  const cur = await getTaskRow(db, tenantId, id);
  const now = Date.now();
  const next: TaskRow = {
    ...cur,
    title: patch.title ?? cur.title,
    notes: patch.notes ?? cur.notes,
    kind: patch.kind ?? cur.kind,
    ownerId: patch.owner_id !== undefined ? patch.owner_id : cur.ownerId,
    dueAt: patch.due_at !== undefined ? (patch.due_at === null ? null : Date.parse(patch.due_at)) : cur.dueAt,
    doneAt: patch.done === undefined ? cur.doneAt : patch.done ? (cur.doneAt ?? now) : null,
    updatedAt: now,
  };
  if (next.dueAt !== null && !Number.isFinite(next.dueAt)) throw badRequest("due_at is not a valid date.");
  const stmts: Stmt[] = [
    db
      .update(salesTasks)
      .set({
        title: next.title,
        notes: next.notes,
        kind: next.kind,
        ownerId: next.ownerId,
        dueAt: next.dueAt,
        doneAt: next.doneAt,
        updatedAt: now,
      })
      .where(tenantScope(db, tenantId).where(salesTasks, eq(salesTasks.id, id))),
  ];
  if (cur.doneAt === null && next.doneAt !== null && (cur.leadId || cur.dealId))
    stmts.push(
      recordActivity(db, tenantId, {
        leadId: cur.leadId,
        dealId: cur.dealId,
        kind: "task_done",
        actorId: actor.id,
        summary: `Done: ${cur.title}`,
        data: { task_id: cur.id },
        occurredAt: now,
      }),
    );
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  return next;
}

export async function deleteTask(db: Db, tenantId: string, id: string, actor: Actor): Promise<void> {
  await getTaskRow(db, tenantId, id);
  await db.batch([
    db.delete(salesTasks).where(tenantScope(db, tenantId).where(salesTasks, eq(salesTasks.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.task.deleted", target: { type: "sales_task", id } }),
  ]);
}

/** Open tasks of an enrolment (outreach continues a manual step when its task is done). */
export const openTasksOf = (db: Db, tenantId: string, enrollmentId: string) =>
  db
    .select()
    .from(salesTasks)
    .where(tenantScope(db, tenantId).where(salesTasks, eq(salesTasks.enrollmentId, enrollmentId), isNull(salesTasks.doneAt)))
    .orderBy(asc(salesTasks.createdAt));
