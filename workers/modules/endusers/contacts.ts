import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { createEndUser, findEndUserByEmail, type EndUser } from "./accounts.service";

/**
 * The end user behind a contact staff know by email (voice-to-action opens a ticket for the lead
 * who reported a problem on a call): the existing account, or a new passwordless one (source
 * "import": nobody signed up; they can sign in with a code to follow the ticket on the portal).
 */
export async function endUserForContact(
  db: Db,
  tenantId: string,
  contact: { email: string; name?: string },
  actor: Actor,
): Promise<EndUser> {
  const email = contact.email.trim().toLowerCase();
  const found = await findEndUserByEmail(db, tenantId, email);
  if (found) return found;
  try {
    return await createEndUser(db, tenantId, { email, name: contact.name ?? "", source: "import" }, actor);
  } catch (e) {
    // Created by a concurrent request between the lookup and the insert.
    if (e instanceof Problem && e.status === 409) {
      const again = await findEndUserByEmail(db, tenantId, email);
      if (again) return again;
    }
    throw e;
  }
}
