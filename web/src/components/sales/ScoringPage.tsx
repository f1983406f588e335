import { PageHeader } from "../ui/Card";
import { IcpEditor } from "./IcpEditor";
import { ScoreModels } from "./ScoreModels";

/** ICP and scoring: the profile every lead is scored against, and the refits learned from won and lost deals. */
export function ScoringPage() {
  return (
    <>
      <PageHeader
        title="ICP & scoring"
        description="Who your ideal customer is, how many points each trait is worth, and what your won and lost deals say."
      />
      <div className="space-y-6">
        <IcpEditor />
        <ScoreModels />
      </div>
    </>
  );
}
