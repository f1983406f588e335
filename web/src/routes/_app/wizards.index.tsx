import { createFileRoute } from "@tanstack/react-router";
import { PageHeader } from "../../components/ui/Card";
import { WizardsList } from "../../components/wizards/WizardsList";

export const Route = createFileRoute("/_app/wizards/")({
  component: () => (
    <div>
      <PageHeader
        title="Set-up guides"
        description="Step-by-step set-ups that end with things configured for real. Leave at any time: you continue where you stopped, on any device."
      />
      <WizardsList />
    </div>
  ),
});
