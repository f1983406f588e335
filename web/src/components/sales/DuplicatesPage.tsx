import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { LeadIcon } from "./icons";
import { MergeDialog } from "./MergeDialog";
import { call } from "./request";
import { ScoreBadge } from "./ScoreBadge";
import { type DuplicateGroup, type Lead, leadName } from "./types";

/** Leads that look like the same person (same email, or same name at the same domain), each group with a merge action. */
export function DuplicatesPage() {
  const ws = useWorkspace();
  const [pair, setPair] = useState<[Lead, Lead] | null>(null);
  const groups = useQuery({
    queryKey: tkey(ws.id, "sales", "leads", "duplicates"),
    queryFn: () => call<{ data: DuplicateGroup[] }>("GET", "/sales/leads/duplicates"),
  });
  return (
    <>
      <PageHeader
        title="Duplicates"
        description="Possible duplicates by email, or by name at the same company domain. Merging keeps one record."
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {groups.isPending ? (
          <TableSkeleton rows={4} />
        ) : groups.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(groups.error)}
          </p>
        ) : groups.data.data.length === 0 ? (
          <EmptyState icon={<LeadIcon />} title="No duplicates found">
            Imports already match rows to existing leads by email; anything that slipped through (same name and domain) shows up here.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-line">
            {groups.data.data.map((g) => (
              <li key={g.key} className="p-4">
                <p className="mb-2 text-xs font-medium text-muted uppercase">
                  {g.reason === "email" ? "Same email" : "Same name at the same domain"}
                </p>
                <ul className="space-y-2">
                  {g.leads.map((l) => (
                    <li key={l.id} className="flex flex-wrap items-center gap-3 text-sm">
                      <ScoreBadge score={l.score} />
                      <Link to="/sales/leads/$id" params={{ id: l.id }} className="font-medium text-accent hover:underline">
                        {leadName(l)}
                      </Link>
                      <span className="min-w-0 truncate text-muted">{[l.email, l.company_name].filter(Boolean).join(" · ")}</span>
                    </li>
                  ))}
                </ul>
                {ws.can("sales:write") && g.leads.length >= 2 && (
                  <div className="mt-3 flex flex-wrap gap-2">
                    {g.leads.slice(1).map((other) => (
                      <Button key={other.id} size="sm" variant="secondary" onClick={() => setPair([g.leads[0] as Lead, other])}>
                        Merge {leadName(other)}…
                      </Button>
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <MergeDialog pair={pair} onClose={() => setPair(null)} />
    </>
  );
}
