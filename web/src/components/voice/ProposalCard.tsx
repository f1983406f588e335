import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { Call, Proposal } from "./types";

const KIND_LABEL: Record<Proposal["kind"], string> = { task: "Task", ticket: "Ticket", email: "Follow-up email" };
const PRIORITIES = ["low", "normal", "high", "urgent"] as const;

/** The date part of an ISO time for <input type="date"> and back (due at 17:00 UTC, as the extractor sets it). */
const dayOf = (iso: string | null) => (iso ? iso.slice(0, 10) : "");
const dueFrom = (day: string) => (day ? `${day}T17:00:00Z` : null);

/** One proposal: what the AI proposed, editable in place; accept creates it, dismiss drops it; afterwards what was created. */
export function ProposalCard({ call: c, proposal: p }: { call: Call; proposal: Proposal }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const shown = p.accepted ?? p.proposed;
  const [title, setTitle] = useState(shown.title ?? "");
  const [due, setDue] = useState(dayOf(shown.due_at));
  const [body, setBody] = useState(shown.body ?? "");
  const [subject, setSubject] = useState(shown.subject ?? "");
  const [priority, setPriority] = useState(shown.priority ?? "normal");
  const open = p.status === "proposed" && ws.can("sales:write");
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "voice") });

  const accept = useMutation({
    mutationFn: () => {
      const edits =
        p.kind === "task"
          ? { title: title.trim() || undefined, due_at: dueFrom(due) }
          : p.kind === "ticket"
            ? { title: title.trim() || undefined, body: body.trim() || undefined, priority }
            : { subject: subject.trim() || undefined, body: body.trim() || undefined };
      return call<Proposal>("POST", `/sales/calls/${c.id}/proposals/${p.id}/accept`, { body: edits });
    },
    onSuccess: () => {
      toast.success(p.kind === "task" ? "Task created" : p.kind === "ticket" ? "Ticket opened" : "Email sent");
      refresh();
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "tasks") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const dismiss = useMutation({
    mutationFn: () => call<Proposal>("POST", `/sales/calls/${c.id}/proposals/${p.id}/dismiss`),
    onSuccess: refresh,
    onError: (e) => toast.error(errorMessage(e)),
  });
  const busy = accept.isPending || dismiss.isPending;
  const needsLead = (p.kind === "ticket" || p.kind === "email") && !c.lead?.email;

  return (
    <li
      className="space-y-3 p-4"
      data-testid={`proposal-${p.kind}`}
      aria-label={`${KIND_LABEL[p.kind]}: ${shown.title ?? shown.subject ?? ""}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={p.kind === "ticket" ? "warning" : p.kind === "email" ? "accent" : "neutral"}>{KIND_LABEL[p.kind]}</Badge>
        {p.status === "accepted" && <Badge tone="success">Accepted</Badge>}
        {p.status === "dismissed" && <Badge>Dismissed</Badge>}
        {p.status === "accepting" && <Badge tone="warning">Being created…</Badge>}
        {p.kind === "task" && shown.owner_guess && <span className="text-xs text-muted">Owner on the call: {shown.owner_guess}</span>}
        {p.kind === "email" && shown.safety && shown.safety.rules.length > 0 && (
          <Badge tone="warning">Safety rules: {shown.safety.rules.join(", ")}</Badge>
        )}
      </div>

      {open ? (
        <div className="space-y-3">
          {p.kind === "email" ? (
            <>
              <Field label="Subject">
                <Input value={subject} onChange={(e) => setSubject(e.target.value)} />
              </Field>
              <Field label="Email" hint={c.lead?.email ? `To ${c.lead.name} <${c.lead.email}>` : undefined}>
                <Textarea rows={10} value={body} onChange={(e) => setBody(e.target.value)} />
              </Field>
            </>
          ) : (
            <>
              <Field label={p.kind === "task" ? "Task" : "Ticket subject"}>
                <Input value={title} onChange={(e) => setTitle(e.target.value)} />
              </Field>
              {p.kind === "task" ? (
                <Field label="Due" className="w-48" hint={shown.due_text ? `Said: “${shown.due_text}”` : undefined}>
                  <Input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
                </Field>
              ) : (
                <>
                  <Field label="Description">
                    <Textarea rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
                  </Field>
                  <Field label="Priority" className="w-40">
                    <Select value={priority} onChange={(e) => setPriority(e.target.value as (typeof PRIORITIES)[number])}>
                      {PRIORITIES.map((x) => (
                        <option key={x} value={x}>
                          {x}
                        </option>
                      ))}
                    </Select>
                  </Field>
                </>
              )}
            </>
          )}
          {shown.quote && p.kind !== "email" && (
            <blockquote className="border-l-2 border-line pl-3 text-sm text-muted">“{shown.quote}”</blockquote>
          )}
          {needsLead && <p className="text-sm text-warning">Link this call to a lead with an email address first (above).</p>}
          <div className="flex flex-wrap gap-2">
            <Button size="sm" onClick={() => accept.mutate()} loading={accept.isPending} disabled={busy || needsLead}>
              {p.kind === "task" ? "Create task" : p.kind === "ticket" ? "Open ticket" : "Send email"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => dismiss.mutate()} disabled={busy}>
              Dismiss
            </Button>
          </div>
        </div>
      ) : (
        <div className="space-y-1 text-sm">
          <p className="font-medium">{p.kind === "email" ? shown.subject : shown.title}</p>
          {p.kind === "task" && shown.due_at && <p className="text-muted">Due {formatDate(shown.due_at)}</p>}
          {p.kind !== "task" && shown.body && <p className="line-clamp-3 whitespace-pre-wrap text-muted">{shown.body}</p>}
          {p.created && <CreatedLink call={c} created={p.created} />}
        </div>
      )}
    </li>
  );
}

function CreatedLink({ call: c, created }: { call: Call; created: NonNullable<Proposal["created"]> }) {
  if (created.type === "task")
    return c.lead_id ? (
      <Link to="/sales/leads/$id" params={{ id: c.lead_id }} className="text-accent hover:underline">
        Task created — open the lead's tasks
      </Link>
    ) : (
      <Link to="/sales/tasks" className="text-accent hover:underline">
        Task created — open Tasks
      </Link>
    );
  if (created.type === "ticket")
    return (
      <Link to="/chat" search={{ view: "tickets" }} className="text-accent hover:underline">
        Ticket opened — open support tickets
      </Link>
    );
  return <p className="text-success">Sent to {c.lead?.email ?? "the lead"}; it is on the lead's timeline.</p>;
}
