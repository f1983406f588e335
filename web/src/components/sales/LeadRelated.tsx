import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { errorMessage } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input } from "../ui/Field";
import { toast } from "../ui/Toast";
import { call, type Page } from "./request";
import { type Deal, money, type Task } from "./types";

export const isOverdue = (t: Task) => t.overdue ?? (!t.done && t.due_at !== null && Date.parse(t.due_at) < Date.now());

/** A task line with its done checkbox (used on the lead page and the tasks page). */
export function TaskRow({
  task,
  onToggle,
  busy,
  children,
}: {
  task: Task;
  onToggle: () => void;
  busy?: boolean;
  children?: React.ReactNode;
}) {
  return (
    <li className="flex items-start gap-3 px-5 py-3">
      <input
        type="checkbox"
        className="mt-0.5 size-4"
        checked={task.done}
        disabled={busy}
        onChange={onToggle}
        aria-label={`${task.done ? "Reopen" : "Complete"} “${task.title}”`}
      />
      <div className="min-w-0 flex-1">
        <p className={task.done ? "text-sm text-muted line-through" : "text-sm"}>{task.title}</p>
        <p className="text-xs text-muted">
          {task.due_at ? `Due ${formatDate(task.due_at)}` : "No due date"}
          {task.origin === "sequence" && " · from a sequence"}
        </p>
      </div>
      {isOverdue(task) && <Badge tone="danger">Overdue</Badge>}
      {children}
    </li>
  );
}

export function useToggleTask(scope: unknown[]) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (t: Task) => call("PATCH", `/sales/tasks/${t.id}`, { body: { done: !t.done } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tkey(ws.id, ...scope) }),
    onError: (e) => toast.error(errorMessage(e)),
  });
}

/** The lead's tasks with a quick "add a task" form. */
export function LeadTasks({ leadId }: { leadId: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  const tasks = useQuery({
    queryKey: tkey(ws.id, "sales", "tasks", { lead_id: leadId }),
    queryFn: () => call<Page<Task>>("GET", "/sales/tasks", { query: { lead_id: leadId, status: "all", limit: 50 } }),
  });
  const toggle = useToggleTask(["sales", "tasks"]);
  const add = useMutation({
    mutationFn: () =>
      call("POST", "/sales/tasks", {
        body: { title: title.trim(), lead_id: leadId, kind: "todo", due_at: due ? new Date(`${due}T09:00:00`).toISOString() : null },
      }),
    onSuccess: () => {
      setTitle("");
      setDue("");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "tasks") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) add.mutate();
  };
  return (
    <Card title="Tasks" bodyClassName="p-0">
      {tasks.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(tasks.error)}
        </p>
      ) : tasks.data?.data.length ? (
        <ul className="divide-y divide-line">
          {tasks.data.data.map((t) => (
            <TaskRow key={t.id} task={t} busy={toggle.isPending} onToggle={() => toggle.mutate(t)} />
          ))}
        </ul>
      ) : (
        <p className="px-5 py-4 text-sm text-muted">{tasks.isPending ? "Loading…" : "No tasks for this lead."}</p>
      )}
      {ws.can("sales:write") && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2 border-t border-line p-4">
          <Field label="New task" className="min-w-48 flex-1">
            <Input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Call back on Tuesday" />
          </Field>
          <Field label="Due" className="w-40">
            <Input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          </Field>
          <Button type="submit" variant="secondary" disabled={!title.trim()} loading={add.isPending}>
            Add task
          </Button>
        </form>
      )}
    </Card>
  );
}

/** The lead's deals (open the pipeline to move them). */
export function LeadDeals({ leadId }: { leadId: string }) {
  const ws = useWorkspace();
  const deals = useQuery({
    queryKey: tkey(ws.id, "sales", "deals", { lead_id: leadId }),
    queryFn: () => call<Page<Deal>>("GET", "/sales/deals", { query: { lead_id: leadId, status: "all", limit: 50 } }),
  });
  return (
    <Card
      title="Deals"
      bodyClassName="p-0"
      actions={
        <Link to="/sales/pipeline" className="text-sm text-accent hover:underline">
          Pipeline
        </Link>
      }
    >
      {deals.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(deals.error)}
        </p>
      ) : deals.data?.data.length ? (
        <ul className="divide-y divide-line">
          {deals.data.data.map((d) => (
            <li key={d.id} className="flex items-center justify-between gap-3 px-5 py-3 text-sm">
              <span className="min-w-0 truncate font-medium">{d.name}</span>
              <span className="flex shrink-0 items-center gap-2">
                <span className="tabular-nums">{money(d.amount_minor, d.currency)}</span>
                <Badge tone={d.outcome === "won" ? "success" : d.outcome === "lost" ? "danger" : "neutral"}>{d.outcome}</Badge>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-5 py-4 text-sm text-muted">{deals.isPending ? "Loading…" : "No deals yet."}</p>
      )}
    </Card>
  );
}
