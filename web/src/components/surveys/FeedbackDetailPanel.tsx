import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { q } from "../../lib/queries";
import { tkey, useWorkspace } from "../../lib/workspace";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { CATEGORY_LABEL, type FeedbackDetail, STATUS_LABEL } from "./client";

/** One feedback item: the message and screenshot, triage controls, email replies and delete. */
export function FeedbackDetailPanel({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: tkey(ws.id, "surveys", "feedback", "detail", id),
    queryFn: () => api("GET /api/v1/surveys/feedback/{id}", { params: { id } }),
    // The screenshot URL is signed for 5 minutes; refresh before it expires.
    refetchInterval: 4 * 60_000,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "surveys", "feedback") });
  const [confirm, setConfirm] = useState(false);
  const remove = useMutation({
    mutationFn: () => api("DELETE /api/v1/surveys/feedback/{id}", { params: { id } }),
    onSuccess: () => {
      toast.success("Feedback deleted");
      setConfirm(false);
      onDeleted();
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (detail.isError)
    return (
      <Card>
        <p role="alert" className="text-danger">
          {errorMessage(detail.error)}
        </p>
      </Card>
    );
  if (!detail.data)
    return (
      <Card>
        <TableSkeleton rows={3} />
      </Card>
    );
  const f = detail.data;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <Badge tone={f.category === "bug" ? "danger" : f.category === "idea" ? "accent" : "neutral"}>{CATEGORY_LABEL[f.category]}</Badge>
          <span className="text-sm font-normal text-muted">{formatDateTime(f.created_at)}</span>
        </span>
      }
      actions={
        ws.can("surveys:manage") ? (
          <Button variant="ghost" size="sm" onClick={() => setConfirm(true)}>
            Delete
          </Button>
        ) : undefined
      }
    >
      <div className="space-y-4">
        <p className="whitespace-pre-wrap text-sm">{f.message}</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
          <dt className="text-muted">Page</dt>
          <dd className="truncate">
            {f.page_url ? (
              <a href={f.page_url} target="_blank" rel="noopener noreferrer" className="text-accent underline">
                {f.page_url}
              </a>
            ) : (
              "—"
            )}
          </dd>
          <dt className="text-muted">From</dt>
          <dd>
            {f.email ?? "anonymous"}
            {f.distinct_id ? (
              <>
                {" "}
                · <code>{f.distinct_id}</code>
              </>
            ) : null}
          </dd>
          <dt className="text-muted">Browser</dt>
          <dd className="truncate" title={f.user_agent ?? ""}>
            {f.user_agent ?? "—"}
          </dd>
        </dl>
        {f.screenshot_url && (
          <a href={f.screenshot_url} target="_blank" rel="noopener noreferrer" className="block">
            <img
              src={f.screenshot_url}
              alt="Screenshot attached to the feedback"
              className="max-h-72 rounded-lg border border-line object-contain"
            />
          </a>
        )}
        {ws.can("surveys:triage") && <TriageForm f={f} onSaved={refresh} />}
        <Replies f={f} onSent={refresh} />
      </div>
      <ConfirmDialog
        open={confirm}
        title="Delete this feedback?"
        confirmLabel="Delete"
        busy={remove.isPending}
        onClose={() => setConfirm(false)}
        onConfirm={() => remove.mutate()}
      >
        The message, its replies and its screenshot are removed for good. The deletion is recorded in the audit log.
      </ConfirmDialog>
    </Card>
  );
}

function TriageForm({ f, onSaved }: { f: FeedbackDetail; onSaved: () => void }) {
  const ws = useWorkspace();
  const members = useQuery(q.members(ws.id, { limit: 100 }));
  const [status, setStatus] = useState(f.status);
  const [assignee, setAssignee] = useState(f.assignee_id ?? "");
  const [tags, setTags] = useState(f.tags.join(", "));
  useEffect(() => {
    setStatus(f.status);
    setAssignee(f.assignee_id ?? "");
    setTags(f.tags.join(", "));
  }, [f]);
  const save = useMutation({
    mutationFn: () =>
      api("PATCH /api/v1/surveys/feedback/{id}", {
        params: { id: f.id },
        body: {
          status,
          assignee_id: assignee || null,
          tags: tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        },
      }),
    onSuccess: () => {
      toast.success("Saved");
      onSaved();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <form
      className="grid gap-3 rounded-lg border border-line p-3 sm:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field label="Status">
        <Select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          {Object.entries(STATUS_LABEL).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Assignee">
        <Select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">Unassigned</option>
          {(members.data?.data ?? []).map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Tags" hint="Comma separated" error={save.error instanceof ApiError ? save.error.field("tags") : undefined}>
        <Input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="checkout, mobile" />
      </Field>
      <div className="sm:col-span-3 flex justify-end">
        <Button type="submit" size="sm" disabled={save.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}

function Replies({ f, onSent }: { f: FeedbackDetail; onSent: () => void }) {
  const ws = useWorkspace();
  const [body, setBody] = useState("");
  const send = useMutation({
    mutationFn: () => api("POST /api/v1/surveys/feedback/{id}/replies", { params: { id: f.id }, body: { body } }),
    onSuccess: () => {
      toast.success(`Reply sent to ${f.email}`);
      setBody("");
      onSent();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <section aria-label="Replies" className="space-y-3">
      {f.replies.map((r) => (
        <div key={r.id} className="rounded-lg bg-subtle p-3 text-sm">
          <p className="mb-1 text-xs text-muted">Replied {formatDateTime(r.created_at)}</p>
          <p className="whitespace-pre-wrap">{r.body}</p>
        </div>
      ))}
      {ws.can("surveys:triage") &&
        (f.email ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              send.mutate();
            }}
            className="space-y-2"
          >
            <Field label={`Reply by email to ${f.email}`}>
              <Textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={10_000} />
            </Field>
            <div className="flex justify-end">
              <Button type="submit" size="sm" disabled={!body.trim() || send.isPending}>
                {send.isPending ? "Sending…" : "Send reply"}
              </Button>
            </div>
          </form>
        ) : (
          <p className="text-xs text-muted">The sender left no email address, so there is no one to reply to.</p>
        ))}
    </section>
  );
}
