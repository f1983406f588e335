import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { LeadDeals, LeadTasks } from "./LeadRelated";
import { LeadDialog } from "./LeadDialog";
import { LeadTimeline } from "./LeadTimeline";
import { call } from "./request";
import { ScoreBadge, ScoreExplanation, scoreBand } from "./ScoreBadge";
import { type Company, type Lead, leadName, STATUS_LABEL, STATUS_TONE } from "./types";

function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted">{k}</dt>
          <dd className="min-w-0 break-words">{v || "—"}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One lead: its fields, company, score with the explanation, activity timeline, tasks and deals. */
export function LeadDetailPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const lead = useQuery({ queryKey: tkey(ws.id, "sales", "lead", id), queryFn: () => call<Lead>("GET", `/sales/leads/${id}`) });
  const companyId = lead.data?.company_id;
  const company = useQuery({
    queryKey: tkey(ws.id, "sales", "company", companyId),
    queryFn: () => call<Company>("GET", `/sales/companies/${companyId}`),
    enabled: Boolean(companyId),
  });
  const remove = useMutation({
    mutationFn: () => call("DELETE", `/sales/leads/${id}`),
    onSuccess: () => {
      toast.success("Lead deleted.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "leads") });
      navigate({ to: "/sales/leads" });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (lead.isPending) return <PageSkeleton />;
  if (lead.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(lead.error)}{" "}
        <Link to="/sales/leads" className="text-accent underline">
          Back to leads
        </Link>
      </p>
    );
  const l = lead.data;
  const c = company.data;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/sales/leads" className="text-muted hover:text-fg">
          ← Leads
        </Link>
      </p>
      <PageHeader
        title={leadName(l)}
        description={[l.title, l.company_name].filter(Boolean).join(" at ") || l.email || undefined}
        actions={
          <>
            {ws.can("sales:write") && (
              <Button variant="secondary" onClick={() => setEditing(true)}>
                Edit
              </Button>
            )}
            {ws.can("sales:manage") && (
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
          </>
        }
      />
      {l.merged_into && (
        <p className="mb-4 rounded-lg border border-warning/40 bg-warning-soft px-4 py-2 text-sm">
          This lead was merged.{" "}
          <Link to="/sales/leads/$id" params={{ id: l.merged_into }} className="font-medium text-accent underline">
            Open the lead it was merged into
          </Link>
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-6">
          <LeadTimeline leadId={id} />
          <LeadTasks leadId={id} />
          <LeadDeals leadId={id} />
        </div>
        {/* On a phone the score and details come first; the timeline follows. */}
        <div className="order-first space-y-6 lg:order-none">
          <Card
            title={
              <span className="flex items-center gap-2">
                Score <ScoreBadge score={l.score} />
              </span>
            }
            description={`${scoreBand(l.score).label}${l.scored_at ? ` · scored ${formatDateTime(l.scored_at)}` : ""}`}
          >
            <ScoreExplanation lines={l.score_lines} score={l.score} />
          </Card>
          <Card title="Details">
            <Facts
              rows={[
                [
                  "Status",
                  <Badge key="s" tone={STATUS_TONE[l.status]}>
                    {STATUS_LABEL[l.status]}
                  </Badge>,
                ],
                [
                  "Email",
                  l.email && (
                    <a href={`mailto:${l.email}`} className="text-accent hover:underline">
                      {l.email}
                    </a>
                  ),
                ],
                ["Phone", l.phone],
                ["Location", [l.city, l.region, l.country].filter(Boolean).join(", ")],
                ["Time zone", l.timezone],
                ["Source", l.source],
                ["Tags", l.tags.join(", ")],
                ["Engagement", `${l.emails_sent} sent · ${l.opens} opens · ${l.replies} replies`],
                ["Contactable", l.unsubscribed_at ? "Unsubscribed" : l.bounced_at ? "Bounced" : "Yes"],
                ...Object.entries(l.custom_fields ?? {}).map(([k, v]) => [k, v === null ? "" : String(v)] as [string, string]),
              ]}
            />
          </Card>
          <Card title="Company" description={c?.enriched_by ? `Filled by the ${c.enriched_by} enrichment adapter` : undefined}>
            {c ? (
              <Facts
                rows={[
                  ["Name", c.name],
                  ["Domain", c.domain],
                  ["Industry", c.industry],
                  ["Employees", c.employees?.toLocaleString()],
                  ["Location", [c.city, c.country].filter(Boolean).join(", ")],
                ]}
              />
            ) : (
              <Facts
                rows={[
                  ["Name", l.company_name],
                  ["Domain", l.domain],
                  ["Industry", l.industry],
                  ["Employees", l.employees?.toLocaleString()],
                ]}
              />
            )}
          </Card>
        </div>
      </div>
      <LeadDialog open={editing} onClose={() => setEditing(false)} lead={l} />
      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title="Delete this lead?"
        description={`${leadName(l)}, its enrolments and its timeline are removed. This cannot be undone.`}
        size="sm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete lead
            </Button>
          </>
        }
      />
    </>
  );
}
