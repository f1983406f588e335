import { RangePicker } from "../RangePicker";
import { ActivationCard } from "./ActivationCard";
import { ActivePeopleCard } from "./ActivePeopleCard";
import { ChurnRiskCard } from "./ChurnRiskCard";

/** Analytics › Growth: active people, activation against milestones, people at risk of churning. */
export function GrowthPage() {
  return (
    <div className="space-y-6">
      <ActivePeopleCard />
      <section aria-label="Activation range" className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted">Activation counts people who signed up in the range:</p>
        <RangePicker />
      </section>
      <ActivationCard />
      <ChurnRiskCard />
    </div>
  );
}
