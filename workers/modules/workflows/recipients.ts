import type { Role } from "../../../schema/tenancy";
import type { Db } from "../../platform/db";
import { getMember, listMembers } from "../../platform/directory";

export interface Person {
  userId: string;
  email: string;
  name: string;
}

/** Members of the workspace with one of `roles` or one of `userIds` (ids that are not members are skipped). */
export async function membersFor(db: Db, tenantId: string, roles: string[], userIds: string[]): Promise<Person[]> {
  const out = new Map<string, Person>();
  for (const role of roles) {
    const page = await listMembers(db, tenantId, { limit: 100, role: role as Role });
    for (const m of page.data) out.set(m.user_id, { userId: m.user_id, email: m.email, name: m.name });
  }
  for (const id of userIds) {
    if (out.has(id)) continue;
    try {
      const m = await getMember(db, tenantId, id);
      out.set(m.userId, { userId: m.userId, email: m.email, name: m.name });
    } catch {
      // not (or no longer) a member: nobody to notify
    }
  }
  return [...out.values()];
}

/**
 * A send_message `to`: an email address, a member id, or `role:<role>` (every member with it).
 * Email goes to addresses; in-app to members.
 */
export async function resolveRecipients(db: Db, tenantId: string, to: string, channel: "email" | "in_app") {
  const targets = to
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const out: { email?: string; userId?: string }[] = [];
  for (const t of targets) {
    if (t.startsWith("role:")) {
      for (const p of await membersFor(db, tenantId, [t.slice(5)], []))
        out.push(channel === "email" ? { email: p.email } : { userId: p.userId });
    } else if (t.includes("@")) {
      if (channel === "email") out.push({ email: t });
      else throw new Error(`In-app messages go to members (a member id or role:<role>), not to ${t}`);
    } else {
      const [p] = await membersFor(db, tenantId, [], [t]);
      if (!p) throw new Error(`${t} is not a member of this workspace`);
      out.push(channel === "email" ? { email: p.email } : { userId: p.userId });
    }
  }
  return out;
}
