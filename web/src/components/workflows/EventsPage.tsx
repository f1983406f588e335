import { useQuery } from "@tanstack/react-query";
import { useWorkspace } from "../../lib/workspace";
import { PageHeader } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { wfq } from "./data";
import { EventCatalogue } from "./EventCatalogue";
import { ProblemNote } from "./ProblemNote";

/** The event catalogue as a reference: what an event trigger can listen to and what `trigger.data` holds. */
export function EventsPage() {
  const ws = useWorkspace();
  const events = useQuery(wfq.events(ws.id));
  return (
    <>
      <PageHeader
        title="Events"
        description={
          <>
            What happens in the workspace that can start a workflow. The sample payload is what{" "}
            <code className="font-mono">{"{{ trigger.data… }}"}</code> reads.
          </>
        }
      />
      {events.isPending ? (
        <Skeleton className="h-64" />
      ) : events.isError ? (
        <ProblemNote error={events.error} />
      ) : (
        <EventCatalogue events={events.data} />
      )}
    </>
  );
}
