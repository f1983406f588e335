import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { WaveIcon } from "./icons";
import { ProposalCard } from "./ProposalCard";
import { Transcript } from "./Transcript";
import { minutes, STATUS_LABEL, STATUS_TONE, type Call } from "./types";

/** A call: its transcript (speakers, times), the summary and action items, and the proposals to accept or dismiss. */
export function CallPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const q = useQuery({
    queryKey: tkey(ws.id, "voice", "call", id),
    queryFn: () => call<Call>("GET", `/sales/calls/${id}`),
    // Transcription and analysis run after the upload: look again until they are done.
    refetchInterval: (qr) => (qr.state.data?.status === "pending" || qr.state.data?.status === "transcribed" ? 1000 : false),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "voice") });
  const retry = useMutation({
    mutationFn: () => call<Call>("POST", `/sales/calls/${id}/analyse`),
    onSuccess: refresh,
    onError: (e) => toast.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: () => call("DELETE", `/sales/calls/${id}`),
    onSuccess: () => {
      refresh();
      navigate({ to: "/sales/calls" });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (q.isPending) return <PageSkeleton />;
  if (q.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(q.error)}
      </p>
    );
  const c = q.data;
  const busy = c.status === "pending" || c.status === "transcribed";
  const canWrite = ws.can("sales:write");
  const open = c.proposals.filter((p) => p.status === "proposed").length;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/sales/calls" className="text-accent hover:underline">
          ← Calls
        </Link>
      </p>
      <PageHeader
        title={c.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[c.status]}>{STATUS_LABEL[c.status]}</Badge>
            {formatDateTime(c.occurred_at)}
            {c.duration_ms ? ` · ${minutes(c.duration_ms)}` : ""}
            {c.analysed_by && (
              <span>· Analysed by {c.analysis_local ? "the local extractor (offline, no AI model configured)" : c.analysed_by}</span>
            )}
          </span>
        }
        actions={
          canWrite && (
            <>
              {(c.status === "failed" || c.status === "analysed") && (
                <Button variant="secondary" onClick={() => retry.mutate()} loading={retry.isPending}>
                  {c.status === "failed" ? "Try again" : "Analyse again"}
                </Button>
              )}
              <Button variant="ghost" onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            </>
          )
        }
      />
      {c.status === "failed" && (
        <p role="alert" className="mb-4 rounded-lg border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger">
          {c.failure_reason}
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
        <div className="min-w-0 space-y-6">
          <LeadLink call={c} />
          <Card title="Summary">
            {busy ? (
              <p className="text-sm text-muted">{c.status === "pending" ? "Transcribing the recording…" : "Reading the call…"}</p>
            ) : c.summary ? (
              <>
                <p className="text-sm leading-relaxed">{c.summary}</p>
                {c.action_items.length > 0 && (
                  <>
                    <h3 className="mt-4 text-sm font-semibold">Action items</h3>
                    <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm">
                      {c.action_items.map((a) => (
                        <li key={a}>{a}</li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            ) : (
              <p className="text-sm text-muted">No summary.</p>
            )}
          </Card>
          <Card title="Transcript" bodyClassName="p-0">
            {c.segments.length ? (
              <Transcript segments={c.segments} />
            ) : (
              <EmptyState icon={<WaveIcon />} title={c.status === "pending" ? "Transcribing…" : "No transcript"}>
                {c.status === "pending" ? "The speech provider is transcribing the recording." : "The recording could not be transcribed."}
              </EmptyState>
            )}
          </Card>
        </div>
        <Card
          title="Proposals"
          description={
            busy ? "Appear when the analysis is done." : open ? `${open} waiting for you: edit, then accept or dismiss.` : undefined
          }
          bodyClassName="p-0"
        >
          {c.proposals.length ? (
            <ul className="divide-y divide-line" aria-label="Proposals">
              {c.proposals.map((p) => (
                <ProposalCard key={`${p.id}-${p.status}`} call={c} proposal={p} />
              ))}
            </ul>
          ) : (
            <p className="px-5 py-4 text-sm text-muted">
              {busy ? "Reading the call…" : "Nothing to follow up: no commitments, requests or problems were found in this call."}
            </p>
          )}
        </Card>
      </div>
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete this call?"
        description="The call, its transcript and recording and its open proposals are deleted. Tasks, tickets and emails already created stay."
        size="sm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => remove.mutate()} loading={remove.isPending}>
              Delete call
            </Button>
          </>
        }
      />
    </>
  );
}

interface LeadOption {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

/** The call's lead, or a way to link one (a ticket and the email go to the lead). */
function LeadLink({ call: c }: { call: Call }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const leads = useQuery({
    queryKey: tkey(ws.id, "voice", "lead-search", q),
    queryFn: () => call<Page<LeadOption>>("GET", "/sales/leads", { query: { q, limit: 5 } }),
    enabled: !c.lead && q.trim().length > 0,
  });
  const link = useMutation({
    mutationFn: (leadId: string | null) => call<Call>("PATCH", `/sales/calls/${c.id}`, { body: { lead_id: leadId } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tkey(ws.id, "voice") }),
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (c.lead)
    return (
      <p className="text-sm">
        Lead:{" "}
        <Link to="/sales/leads/$id" params={{ id: c.lead.id }} className="font-medium text-accent hover:underline">
          {c.lead.name}
        </Link>
        {c.lead.email && <span className="text-muted"> · {c.lead.email}</span>}
      </p>
    );
  if (!ws.can("sales:write")) return null;
  return (
    <div className="rounded-xl border border-line bg-surface p-4 shadow-sm">
      <Field label="Link a lead" hint="A ticket and the follow-up email go to the call's lead; the call joins the lead's timeline.">
        <Input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search leads" />
      </Field>
      {(leads.data?.data.length ?? 0) > 0 && (
        <ul className="mt-2 divide-y divide-line rounded-lg border border-line">
          {leads.data?.data.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                className="block w-full px-3 py-2 text-left text-sm hover:bg-subtle"
                onClick={() => link.mutate(l.id)}
                disabled={link.isPending}
              >
                {[l.first_name, l.last_name].filter(Boolean).join(" ") || l.email}
                {l.email && <span className="ml-2 text-muted">{l.email}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
