import { RangePicker } from "../RangePicker";
import { ActivationCard } from "./ActivationCard";
import { ActivePeopleCard } from "./ActivePeopleCard";
import { ChurnRiskCard } from "./ChurnRiskCard";
import { ExpansionCard } from "./ExpansionCard";
import { GrowthActionsCard } from "./GrowthActionsCard";

/** Analytics › Growth: active people, activation against milestones, expansion, people at risk of churning. */
export function GrowthPage() {
  return (
    <div className="space-y-6">
      <ActivePeopleCard />
      <section aria-label="Activation range" className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted">Activation and expansion cover this range:</p>
        <RangePicker />
      </section>
      <ActivationCard />
      <ExpansionCard />
      <ChurnRiskCard />
      <GrowthActionsCard />
    </div>
  );
}
