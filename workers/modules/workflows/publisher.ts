import { and, eq } from "drizzle-orm";
import type { Role } from "../../../schema/tenancy";
import { workflowVersions } from "../../../schema/workflows";
import { getMember } from "../../platform/directory";
import { forbidden, Problem } from "../../platform/errors";
import type { StepContext } from "./executors";

/**
 * The authority a run acts with where the members route checks the caller's role (update_record on a
 * member): the current role of whoever published the run's version. A workflow can do no more than
 * its publisher could by hand; a publisher who left the workspace (or a version without one) can do
 * nothing here until someone republishes.
 */
export async function publisherRole(x: StepContext): Promise<Role> {
  const v = await x.db
    .select({ by: workflowVersions.publishedBy })
    .from(workflowVersions)
    .where(
      and(
        eq(workflowVersions.tenantId, x.tenantId),
        eq(workflowVersions.workflowId, x.scope.run.workflow_id),
        eq(workflowVersions.version, x.scope.run.version),
      ),
    )
    .get();
  const refuse = () => forbidden("Whoever published this version is no longer a member: republish the workflow to change roles.");
  if (!v?.by) throw refuse();
  try {
    return (await getMember(x.db, x.tenantId, v.by)).role;
  } catch (e) {
    if (e instanceof Problem && e.status === 404) throw refuse();
    throw e;
  }
}
