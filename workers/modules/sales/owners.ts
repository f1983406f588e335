import { getMember } from "../../platform/directory";
import type { Db } from "../../platform/db";
import { Problem } from "../../platform/errors";

/** A lead, company, deal or task owner must be a member of the workspace: 422 otherwise. */
export async function assertOwner(db: Db, tenantId: string, userId: string, field = "owner_id"): Promise<void> {
  try {
    await getMember(db, tenantId, userId);
  } catch {
    throw new Problem(422, "unknown-owner", "Owner is not a member", `${field}: ${userId} is not a member of this workspace.`, {
      errors: [{ path: field, message: "is not a member of this workspace" }],
    });
  }
}
