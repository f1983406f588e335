import { createFileRoute } from "@tanstack/react-router";
import { PublicApprovalPage } from "../components/workflows/PublicApprovalPage";

/** The link in a workflow approval email: no sign-in (the single-use token is the permission). */
export const Route = createFileRoute("/workflow-approvals/$token")({ component: ApprovalRoute });

function ApprovalRoute() {
  const { token } = Route.useParams();
  return <PublicApprovalPage key={token} token={token} />;
}
