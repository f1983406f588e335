import { useQuery } from "@tanstack/react-query";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { type Lead, leadName } from "../sales/types";

/** A lead's name in a list (drafts carry only lead_id); shares the lead query with the draft panel. */
export function LeadLabel({ leadId }: { leadId: string }) {
  const ws = useWorkspace();
  const lead = useQuery({
    queryKey: tkey(ws.id, "sales", "lead", leadId),
    queryFn: () => call<Lead>("GET", `/sales/leads/${leadId}`),
    staleTime: 60_000,
  });
  return (
    <span className="block truncate text-sm font-medium">{lead.data ? leadName(lead.data) : lead.isError ? "Unknown lead" : "…"}</span>
  );
}
