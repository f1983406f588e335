import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { LOCAL_STACK } from "../../lib/local-stack";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { ScoreBadge } from "../sales/ScoreBadge";
import { type Lead, leadName } from "../sales/types";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import { DevInboxReply } from "./DevInboxReply";
import type { Draft } from "./types";

/** One draft: its lead, the knowledge it used, why it was held; edit, approve, reject, regenerate. */
export function DraftPanel({ draft, onDecided }: { draft: Draft; onDecided: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [subject, setSubject] = useState(draft.subject);
  const [body, setBody] = useState(draft.body);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [then, setThen] = useState<"skip" | "stop">("skip");
  const lead = useQuery({
    queryKey: tkey(ws.id, "sales", "lead", draft.lead_id),
    queryFn: () => call<Lead>("GET", `/sales/leads/${draft.lead_id}`),
  });
  const editable = draft.status === "pending" || draft.status === "held";
  const canApprove = ws.can("sales:approve");
  const dirty = subject !== draft.subject || body !== draft.body;
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
  const act = useMutation({
    mutationFn: async (a: "save" | "approve" | "reject" | "regenerate") => {
      if (a === "save" || (a === "approve" && dirty)) await call("PATCH", `/outreach/drafts/${draft.id}`, { body: { subject, body } });
      if (a === "approve") return call("POST", `/outreach/drafts/${draft.id}/approve`);
      if (a === "reject")
        return call("POST", `/outreach/drafts/${draft.id}/reject`, { body: { reason: reason.trim() || null, enrollment: then } });
      if (a === "regenerate") return call<Draft>("POST", `/outreach/drafts/${draft.id}/regenerate`);
    },
    onSuccess: (r, a) => {
      toast.success(
        a === "save"
          ? "Draft saved."
          : a === "approve"
            ? "Approved: it goes out in the lead's next sending window."
            : a === "reject"
              ? "Draft rejected."
              : "A new draft was written.",
      );
      if (a === "regenerate" && r && typeof r === "object" && "subject" in r) {
        setSubject((r as Draft).subject);
        setBody((r as Draft).body);
      }
      if (a === "approve" || a === "reject") {
        setRejecting(false);
        onDecided();
      }
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const l = lead.data;
  return (
    <div className="space-y-4">
      <Card
        title={draft.subject}
        description={`${draft.local_writer ? "Written by the local writer (offline stand-in, no model)" : `Written by ${draft.writer}`} · ${formatDateTime(draft.created_at)}`}
        actions={
          <Badge tone={draft.status === "held" ? "danger" : draft.status === "pending" ? "warning" : "neutral"}>{draft.status}</Badge>
        }
      >
        {draft.held_for.length > 0 && (
          <div role="note" className="mb-4 rounded-lg border border-danger/40 bg-danger-soft px-4 py-2 text-sm">
            <p className="font-medium">Held by the AI safety rules</p>
            <p>{draft.held_for.join(", ")}. Edit it, or decide it in the AI safety console's approval queue.</p>
          </div>
        )}
        <fieldset disabled={!editable || !canApprove} className="space-y-3">
          <Field label="Subject">
            <Input value={subject} onChange={(e) => setSubject(e.target.value)} />
          </Field>
          <Field label="Body">
            <Textarea rows={12} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
        </fieldset>
        {editable && canApprove && (
          <div className="mt-4 flex flex-wrap justify-end gap-2">
            <Button variant="ghost" loading={act.isPending && act.variables === "regenerate"} onClick={() => act.mutate("regenerate")}>
              Regenerate
            </Button>
            <Button variant="secondary" onClick={() => setRejecting(true)}>
              Reject
            </Button>
            {dirty && (
              <Button variant="secondary" loading={act.isPending && act.variables === "save"} onClick={() => act.mutate("save")}>
                Save edits
              </Button>
            )}
            {draft.status === "pending" && (
              <Button id="draft-approve" loading={act.isPending && act.variables === "approve"} onClick={() => act.mutate("approve")}>
                {dirty ? "Save and approve" : "Approve"} <kbd className="text-xs opacity-70">a</kbd>
              </Button>
            )}
          </div>
        )}
        {draft.status === "rejected" && (
          <p className="mt-3 text-sm text-muted">
            Rejected{draft.decided_at ? ` ${formatDateTime(draft.decided_at)}` : ""}
            {draft.reject_reason ? `: ${draft.reject_reason}` : " (no reason given)"}
          </p>
        )}
        {draft.send_at && <p className="mt-3 text-sm text-muted">Sends {formatDateTime(draft.send_at)}</p>}
        {draft.sent_at && (
          <p className="mt-3 text-sm text-muted">
            Sent {formatDateTime(draft.sent_at)}
            {draft.outcome ? ` · ${draft.outcome}` : ""}
          </p>
        )}
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Lead">
          {l ? (
            <div className="space-y-1 text-sm">
              <p className="flex items-center gap-2">
                <Link to="/sales/leads/$id" params={{ id: l.id }} className="font-medium text-accent hover:underline">
                  {leadName(l)}
                </Link>
                <ScoreBadge score={l.score} />
              </p>
              <p className="text-muted">{[l.title, l.company_name].filter(Boolean).join(" at ")}</p>
              <p className="text-muted">{l.email}</p>
            </div>
          ) : (
            <p className="text-sm text-muted">{lead.isError ? errorMessage(lead.error) : "Loading…"}</p>
          )}
        </Card>
        <Card title="Knowledge used">
          {draft.sources.length === 0 ? (
            <p className="text-sm text-muted">No knowledge documents: written from the lead, company, ICP and tone only.</p>
          ) : (
            <ul className="list-disc space-y-1 pl-5 text-sm">
              {draft.sources.map((s) => (
                <li key={s.chunk_id}>{s.title}</li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      {LOCAL_STACK && draft.status === "sent" && <DevInboxReply draft={draft} />}
      <Dialog
        open={rejecting}
        onClose={() => setRejecting(false)}
        title="Reject this draft?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setRejecting(false)}>
              Cancel
            </Button>
            <Button variant="danger" loading={act.isPending && act.variables === "reject"} onClick={() => act.mutate("reject")}>
              Reject
            </Button>
          </>
        }
      >
        <div className="space-y-3">
          <Field label="Reason (optional)" error={act.error instanceof ApiError ? act.error.field("reason") : undefined}>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <Field label="Then">
            <Select value={then} onChange={(e) => setThen(e.target.value as "skip" | "stop")}>
              <option value="skip">Skip this step (the lead moves on to the next one)</option>
              <option value="stop">Stop the sequence for this lead</option>
            </Select>
          </Field>
        </div>
      </Dialog>
    </div>
  );
}
