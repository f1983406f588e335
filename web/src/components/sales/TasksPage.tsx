import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { Tabs } from "../ui/Tabs";
import { TaskIcon } from "./icons";
import { TaskRow, useToggleTask } from "./LeadRelated";
import { call, type Page } from "./request";
import type { Task } from "./types";

type View = "mine" | "overdue" | "all" | "done";
const VIEWS: { key: View; label: string }[] = [
  { key: "mine", label: "My tasks" },
  { key: "overdue", label: "Overdue" },
  { key: "all", label: "All open" },
  { key: "done", label: "Done" },
];

/** Tasks: mine (open, soonest due first), overdue, everyone's open, done. Sequence steps that need a person land here too. */
export function TasksPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [view, setView] = useState<View>("mine");
  const query = {
    limit: 50,
    cursor: pager.cursor,
    mine: view === "mine" ? "true" : undefined,
    overdue: view === "overdue" ? "true" : undefined,
    status: view === "done" ? "done" : "open",
  };
  const tasks = useQuery({
    queryKey: tkey(ws.id, "sales", "tasks", query),
    queryFn: () => call<Page<Task>>("GET", "/sales/tasks", { query }),
    placeholderData: keepPreviousData,
  });
  const toggle = useToggleTask(["sales", "tasks"]);
  return (
    <>
      <PageHeader
        title="Tasks"
        description="Calls, follow-ups and manual sequence steps. Ticking a sequence task moves its lead on to the next step."
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="px-4 pt-2">
          <Tabs
            label="Task views"
            items={VIEWS}
            value={view}
            onChange={(v) => {
              setView(v);
              pager.reset();
            }}
          >
            <span className="sr-only">{VIEWS.find((v) => v.key === view)?.label}</span>
          </Tabs>
        </div>
        {tasks.isPending ? (
          <TableSkeleton rows={5} />
        ) : tasks.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(tasks.error)}
          </p>
        ) : tasks.data.data.length === 0 ? (
          <EmptyState
            icon={<TaskIcon />}
            title={view === "overdue" ? "Nothing overdue" : view === "done" ? "Nothing done yet" : "No open tasks"}
          >
            Add tasks from a lead's page; sequences with manual steps create them too.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-line">
            {tasks.data.data.map((t) => (
              <TaskRow key={t.id} task={t} busy={toggle.isPending} onToggle={() => toggle.mutate(t)}>
                {t.lead_id && (
                  <Link to="/sales/leads/$id" params={{ id: t.lead_id }} className="text-sm text-accent hover:underline">
                    Lead
                  </Link>
                )}
              </TaskRow>
            ))}
          </ul>
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(tasks.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(tasks.data?.next_cursor)}
        />
      </section>
    </>
  );
}
