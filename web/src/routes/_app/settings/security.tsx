import { createFileRoute } from "@tanstack/react-router";
import { MfaCard } from "../../../components/settings/MfaCard";
import { PasswordCard } from "../../../components/settings/PasswordCard";
import { SecurityEventsCard } from "../../../components/settings/SecurityEventsCard";
import { SessionsCard } from "../../../components/settings/SessionsCard";
import { WorkspacePolicyCard } from "../../../components/settings/WorkspacePolicyCard";

export const Route = createFileRoute("/_app/settings/security")({
  component: () => (
    <div className="space-y-6">
      <MfaCard />
      <PasswordCard />
      <SessionsCard />
      <SecurityEventsCard />
      <WorkspacePolicyCard />
    </div>
  ),
});
