import { createFileRoute, Link } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { FeedbackDetailPanel } from "../../components/surveys/FeedbackDetailPanel";
import { FeedbackInbox } from "../../components/surveys/FeedbackInbox";
import { FeedbackIcon } from "../../components/surveys/client";
import { Card, PageHeader } from "../../components/ui/Card";
import { EmptyState } from "../../components/ui/EmptyState";

export const Route = createFileRoute("/_app/surveys/feedback")({ component: FeedbackPage });

function FeedbackPage() {
  const [selected, setSelected] = useState<string | null>(null);
  const detailRef = useRef<HTMLDivElement>(null);
  // On a phone the detail panel sits below the list: bring it into view when an item is picked.
  useEffect(() => {
    if (selected && window.matchMedia("(max-width: 1023px)").matches) detailRef.current?.scrollIntoView({ block: "start" });
  }, [selected]);
  return (
    <>
      <PageHeader
        title="Feedback"
        description={
          <>
            Messages from the Feedback button on your site, with the page and an optional screenshot. Install it from the{" "}
            <Link to="/surveys/nps" className="text-accent underline">
              NPS page
            </Link>
            .
          </>
        }
      />
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <FeedbackInbox selected={selected} onSelect={setSelected} />
        {selected ? (
          <div ref={detailRef} className="scroll-mt-20">
            <FeedbackDetailPanel key={selected} id={selected} onDeleted={() => setSelected(null)} />
          </div>
        ) : (
          <Card className="hidden lg:block">
            <EmptyState icon={<FeedbackIcon />} title="Pick a message">
              Its details, screenshot, triage controls and reply box show here.
            </EmptyState>
          </Card>
        )}
      </div>
    </>
  );
}
