import { createFileRoute, Link } from "@tanstack/react-router";
import { PageHeader } from "../../components/ui/Card";
import { WizardFrame } from "../../components/wizards/WizardFrame";
import { useWizard } from "../../components/wizards/wizardApi";

export const Route = createFileRoute("/_app/wizards/$kind")({
  component: WizardPage,
});

function WizardPage() {
  const { kind } = Route.useParams();
  const wizard = useWizard(kind);
  return (
    <div>
      <Link to="/wizards" className="text-sm text-muted hover:text-fg">
        ← Set-up guides
      </Link>
      <div className="mt-2">
        <PageHeader title={wizard.data?.title ?? "Set-up guide"} description={wizard.data?.description} />
      </div>
      <WizardFrame kind={kind} />
    </div>
  );
}
