import { and, eq } from "drizzle-orm";
import { supportTickets, TICKET_STATUSES, type TicketStatus } from "../../../schema/tickets";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { getMember } from "../../platform/directory";
import { badRequest, Problem } from "../../platform/errors";
import { getTicket } from "./tickets.service";

/**
 * A ticket change asked for by an automation workflow's update_record step (modules/workflows):
 * status (open | answered | closed) and assignee (a member of the workspace, or null to unassign).
 * The ticket is read within `tenantId` (another workspace's id is a 404); the change and its audit
 * row (`ticket.updated`, by the workflow's system actor) are one batch. Tickets have no priority.
 */
export async function updateTicketFromWorkflow(
  db: Db,
  tenantId: string,
  ticketId: string,
  changes: { status?: unknown; assignee_id?: unknown },
  actor: Actor,
) {
  const cur = await getTicket(db, tenantId, ticketId);
  const set: { status?: TicketStatus; closedAt?: number | null; assigneeId?: string | null; updatedAt: number } = { updatedAt: Date.now() };
  if (changes.status !== undefined) {
    if (!TICKET_STATUSES.includes(changes.status as TicketStatus))
      throw badRequest(`A ticket's status must be one of ${TICKET_STATUSES.join(", ")}.`);
    set.status = changes.status as TicketStatus;
    set.closedAt = set.status === "closed" ? (cur.status === "closed" ? cur.closedAt : set.updatedAt) : null;
  }
  if (changes.assignee_id !== undefined) {
    const assignee = changes.assignee_id ? String(changes.assignee_id) : null;
    if (assignee)
      await getMember(db, tenantId, assignee).catch((e: unknown) => {
        throw e instanceof Problem && e.status === 404 ? badRequest(`The assignee ${assignee} is not a member of this workspace.`) : e;
      });
    set.assigneeId = assignee;
  }
  const from = { status: cur.status, assignee_id: cur.assigneeId };
  const to = { status: set.status ?? cur.status, assignee_id: set.assigneeId !== undefined ? set.assigneeId : cur.assigneeId };
  await db.batch([
    db
      .update(supportTickets)
      .set(set)
      .where(and(eq(supportTickets.tenantId, tenantId), eq(supportTickets.id, ticketId))),
    auditInsert(db, actor, { tenantId, action: "ticket.updated", target: { type: "ticket", id: ticketId }, metadata: { from, to } }),
  ]);
  return { id: cur.id, number: cur.number, ...to };
}
