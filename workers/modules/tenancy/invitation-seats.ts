/**
 * Seat accounting for invitations. A pending invitation holds a seat, a member holds one; the
 * counts are SQL expressions evaluated inside the writing statement, so concurrent invitations or
 * accepts cannot overshoot the plan's cap (the pre-check only gives the clear 402 answer early).
 */
import { sql } from "drizzle-orm";
import { invitations, memberships } from "../../../schema/tenancy";
import type { Db } from "../../platform/db";
import type { Problem } from "../../platform/errors";
import { seatLimitReached, seatPolicy } from "../billing";

/** Members of the workspace. */
export const membersSql = (tenantId: string) => sql`(select count(*) from ${memberships} where ${memberships.tenantId} = ${tenantId})`;
const pendingSql = (tenantId: string, at: number) =>
  sql`(select count(*) from ${invitations} where ${invitations.tenantId} = ${tenantId} and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${at})`;
/** Members plus pending invitations: the seats a new invitation has to fit into. */
export const seatsTakenSql = (tenantId: string, at: number) => sql`(${membersSql(tenantId)} + ${pendingSql(tenantId, at)})`;

export interface SeatGate {
  /** The plan's seat cap, or null when unlimited (then no guard is needed). */
  limit: number | null;
  /** The 402 problem when the workspace has no seat for this action right now, else null. */
  refusal(): Promise<Problem | null>;
}

/**
 * Seat gate for one action: "invite" needs members + pending < cap (the new invitation takes a
 * seat); "accept" needs members < cap (the accepted invitation already held its seat).
 */
export async function seatGate(db: Db, tenantId: string, at: number, action: "invite" | "accept", origin: string): Promise<SeatGate> {
  const seats = await seatPolicy(db, tenantId, at);
  return {
    limit: seats.limit,
    async refusal() {
      if (seats.limit === null) return null;
      const row = await db.get<{ members: number; pending: number }>(
        sql`select ${membersSql(tenantId)} as members, ${pendingSql(tenantId, at)} as pending`,
      );
      const members = Number(row?.members ?? 0);
      const pending = action === "accept" ? 0 : Number(row?.pending ?? 0);
      return members + pending >= seats.limit ? seatLimitReached(seats, { members, pending, action }, origin) : null;
    },
  };
}
