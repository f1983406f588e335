import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { cx } from "../ui/cx";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Tabs } from "../ui/Tabs";
import { toast } from "../ui/Toast";
import { call, type Page } from "./request";
import { type Activity, isoOf } from "./types";

const KIND_LABEL: Record<string, string> = {
  email_sent: "Email sent",
  email_opened: "Opened",
  email_replied: "Replied",
  email_bounced: "Bounced",
  unsubscribed: "Unsubscribed",
  call: "Call",
  meeting: "Meeting",
  note: "Note",
  task_created: "Task",
  task_done: "Task done",
  stage_changed: "Stage",
  status_changed: "Status",
  imported: "Imported",
  merged: "Merged",
  enrolled: "Enrolled",
  sequence_stopped: "Sequence stopped",
  site_visit: "Site visit",
  synced: "Synced",
};
const dot = (kind: string) =>
  kind === "email_replied"
    ? "bg-success"
    : kind.startsWith("email")
      ? "bg-accent"
      : kind === "email_bounced" || kind === "unsubscribed"
        ? "bg-danger"
        : "bg-muted";

/** A lead's activity timeline, newest first, with a form to log a note or a call. */
export function LeadTimeline({ leadId }: { leadId: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [mode, setMode] = useState<"note" | "call">("note");
  const [text, setText] = useState("");
  const [outcome, setOutcome] = useState("connected");
  const [minutes, setMinutes] = useState("");
  const [cursor, setCursor] = useState<string | undefined>();
  const key = tkey(ws.id, "sales", "lead", leadId, "activities", cursor);
  const list = useQuery({
    queryKey: key,
    queryFn: () => call<Page<Activity>>("GET", `/sales/leads/${leadId}/activities`, { query: { limit: 30, cursor } }),
  });
  const log = useMutation({
    mutationFn: () =>
      mode === "note"
        ? call("POST", `/sales/leads/${leadId}/notes`, { body: { body: text.trim() } })
        : call("POST", `/sales/leads/${leadId}/calls`, {
            body: { outcome, notes: text.trim(), duration_s: minutes ? Math.round(Number(minutes) * 60) : 0 },
          }),
    onSuccess: () => {
      setText("");
      toast.success(mode === "note" ? "Note added." : "Call logged.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "lead", leadId) });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) log.mutate();
  };
  return (
    <Card title="Activity" bodyClassName="p-0">
      {ws.can("sales:write") && (
        <form onSubmit={submit} className="border-b border-line p-4">
          <Tabs
            label="Log"
            value={mode}
            onChange={setMode}
            items={[
              { key: "note", label: "Note" },
              { key: "call", label: "Call" },
            ]}
          >
            <div className="space-y-3">
              <Field label={mode === "note" ? "Note" : "What was said"} hideLabel>
                <Textarea
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  placeholder={mode === "note" ? "Write a note…" : "Summary of the call…"}
                />
              </Field>
              <div className="flex flex-wrap items-end justify-end gap-2">
                {mode === "call" && (
                  <Field label="Outcome" className="w-44">
                    <Select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                      <option value="connected">Connected</option>
                      <option value="left_voicemail">Left voicemail</option>
                      <option value="no_answer">No answer</option>
                      <option value="busy">Busy</option>
                      <option value="wrong_number">Wrong number</option>
                      <option value="meeting_booked">Meeting booked</option>
                    </Select>
                  </Field>
                )}
                {mode === "call" && (
                  <Field label="Minutes" className="w-24">
                    <Input inputMode="decimal" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
                  </Field>
                )}
                <Button type="submit" size="sm" disabled={!text.trim()} loading={log.isPending}>
                  {mode === "note" ? "Add note" : "Log call"}
                </Button>
              </div>
            </div>
          </Tabs>
        </form>
      )}
      {list.isPending ? (
        <TableSkeleton rows={4} />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : list.data.data.length === 0 ? (
        <p className="p-5 text-sm text-muted">Nothing yet. Emails, replies, calls, notes and stage changes appear here.</p>
      ) : (
        <ol className="divide-y divide-line">
          {list.data.data.map((a) => (
            <li key={a.id} className="flex gap-3 px-5 py-3">
              <span aria-hidden="true" className={cx("mt-1.5 size-2 shrink-0 rounded-full", dot(a.kind))} />
              <div className="min-w-0 flex-1">
                <p className="text-sm">
                  <span className="font-medium">{KIND_LABEL[a.kind] ?? a.kind}</span> <span className="text-muted">·</span>{" "}
                  <span className="break-words">{a.summary}</span>
                </p>
                <time
                  className="text-xs text-muted"
                  dateTime={isoOf(a.occurred_at) ?? undefined}
                  title={formatDateTime(isoOf(a.occurred_at))}
                >
                  {formatRelative(isoOf(a.occurred_at))}
                </time>
              </div>
            </li>
          ))}
        </ol>
      )}
      {(cursor || list.data?.next_cursor) && (
        <div className="flex justify-end gap-2 border-t border-line p-3">
          {cursor && (
            <Button size="sm" variant="secondary" onClick={() => setCursor(undefined)}>
              Newest
            </Button>
          )}
          {list.data?.next_cursor && (
            <Button size="sm" variant="secondary" onClick={() => setCursor(list.data?.next_cursor ?? undefined)}>
              Older
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
