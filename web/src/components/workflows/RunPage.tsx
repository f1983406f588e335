import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { type ReactNode, useMemo, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { PageSkeleton } from "../ui/Skeleton";
import { ApprovalCard } from "./ApprovalCard";
import { Canvas } from "./Canvas";
import { duration, wfq } from "./data";
import { ProblemNote } from "./ProblemNote";
import { RUN_TONE, type RunStep, type StepStatus } from "./types";

const STEP_TONE: Record<StepStatus, "neutral" | "accent" | "success" | "warning" | "danger"> = {
  running: "accent",
  succeeded: "success",
  failed: "danger",
  waiting: "warning",
  skipped: "neutral",
};

/** One run: the graph coloured by each node's status, the steps with input/output, re-run from the failed step, cancel. */
export function RunPage({ runId }: { runId: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const run = useQuery(wfq.run(ws.id, runId));
  const versions = useQuery({ ...wfq.versions(ws.id, run.data?.workflow_id ?? ""), enabled: Boolean(run.data) });
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [cancelling, setCancelling] = useState(false);
  const canWrite = ws.can("workflows:write");
  const def = versions.data?.find((v) => v.version === run.data?.version)?.definition;
  const types = useQuery(wfq.nodeTypes(ws.id));
  const typeMap = useMemo(() => new Map((types.data ?? []).map((t) => [t.type, t])), [types.data]);
  // A node's status is its latest step's (a loop's iterations: the last one).
  const statusByNode = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of run.data?.steps ?? []) m.set(s.node_id, s.status);
    const trigger = def?.nodes.find((n) => n.type === "trigger");
    if (trigger && run.data) m.set(trigger.id, "succeeded");
    return m;
  }, [run.data, def]);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "workflows") });
  const cancel = useMutation({
    mutationFn: () => api("POST /api/v1/workflow-runs/{id}/cancel", { params: { id: runId } }),
    onSuccess: () => {
      setCancelling(false);
      refresh();
    },
  });
  const retry = useMutation({
    mutationFn: () => api("POST /api/v1/workflow-runs/{id}/retry", { params: { id: runId } }),
    onSuccess: (r) => {
      refresh();
      navigate({ to: "/workflows/runs/$runId", params: { runId: r.id } });
    },
  });

  if (run.isPending) return <PageSkeleton />;
  if (run.isError) return <ProblemNote error={run.error} />;
  const r = run.data;
  const live = ["queued", "running", "waiting"].includes(r.status);
  const focusNode = [...selection][0];
  const steps = focusNode ? r.steps.filter((s) => s.node_id === focusNode) : r.steps;
  const nodeName = (id: string) => def?.nodes.find((n) => n.id === id)?.name ?? id;
  const pending = r.approvals.filter((a) => a.status === "pending");

  return (
    <>
      <PageHeader
        title={r.workflow_name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{r.id}</span>
            <Badge tone={RUN_TONE[r.status]}>{r.status}</Badge>
            <span>version {r.version}</span>
            <span>· {r.trigger_type}</span>
            {r.retry_of && (
              <Link to="/workflows/runs/$runId" params={{ runId: r.retry_of }} className="text-accent underline">
                re-run of {r.retry_of}
              </Link>
            )}
          </span>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            <Link
              to="/workflows/$id/runs"
              params={{ id: r.workflow_id }}
              className="inline-flex h-10 items-center px-2 text-sm text-accent hover:underline"
            >
              All runs
            </Link>
            {canWrite && r.status === "failed" && (
              <Button onClick={() => retry.mutate()} loading={retry.isPending}>
                Re-run from failed step
              </Button>
            )}
            {canWrite && live && (
              <Button variant="danger" onClick={() => setCancelling(true)}>
                Cancel run
              </Button>
            )}
          </div>
        }
      />
      {(retry.isError || cancel.isError) && <ProblemNote error={retry.error ?? cancel.error} />}
      <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Fact label="Started">{formatDateTime(r.started_at ?? r.created_at)}</Fact>
        <Fact label="Finished">{r.finished_at ? formatDateTime(r.finished_at) : live ? "still going" : "—"}</Fact>
        <Fact label="Took">{r.started_at && r.finished_at ? duration(Date.parse(r.finished_at) - Date.parse(r.started_at)) : "—"}</Fact>
        <Fact label="Steps">{r.steps.length}</Fact>
      </dl>
      {r.error && (
        <p role="alert" className="mb-4 rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
          {r.error}
        </p>
      )}
      {pending.length > 0 && (
        <div className="mb-4 space-y-3">
          {pending.map((a) => (
            <ApprovalCard key={a.id} approval={a} />
          ))}
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        {def ? (
          <Canvas
            label={`Graph of run ${r.id}: each node shows its status; select one to see its steps`}
            className="h-[420px]"
            def={def}
            types={typeMap}
            selection={selection}
            onSelect={setSelection}
            statusOf={(id) => statusByNode.get(id)}
            fitKey={`${r.id}:${Boolean(def)}:${types.isSuccess}`}
          />
        ) : (
          <div className="flex h-[420px] items-center justify-center rounded-xl border border-line text-sm text-muted">
            {versions.isError ? errorMessage(versions.error) : "Loading the graph…"}
          </div>
        )}
        <section aria-label="Steps" className="space-y-2">
          <h2 className="flex items-center justify-between text-sm font-semibold">
            {focusNode ? `Steps of ${nodeName(focusNode)}` : "Steps"}
            {focusNode && (
              <button type="button" className="text-xs font-normal text-accent hover:underline" onClick={() => setSelection(new Set())}>
                Show all
              </button>
            )}
          </h2>
          {steps.length === 0 && <p className="text-sm text-muted">{focusNode ? "This node did not run." : "No step has run yet."}</p>}
          <ol className="space-y-2">
            {steps.map((s) => (
              <StepItem key={`${s.step_key}:${s.started_at}`} step={s} name={nodeName(s.node_id)} />
            ))}
          </ol>
        </section>
      </div>
      <Dialog
        open={cancelling}
        onClose={() => setCancelling(false)}
        title="Cancel this run?"
        description="It stops where it is: steps already done stay done, pending approvals are withdrawn. This cannot be undone."
        footer={
          <>
            <Button variant="secondary" onClick={() => setCancelling(false)}>
              Keep running
            </Button>
            <Button variant="danger" onClick={() => cancel.mutate()} loading={cancel.isPending}>
              Cancel run
            </Button>
          </>
        }
      />
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-line bg-surface px-3 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="font-medium">{children}</dd>
    </div>
  );
}

function StepItem({ step: s, name }: { step: RunStep; name: string }) {
  return (
    <li className="rounded-xl border border-line bg-surface">
      <details>
        <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
          <span className="font-medium">{name}</span>
          {s.step_key !== s.node_id && <span className="font-mono text-xs text-muted">{s.step_key.slice(s.node_id.length)}</span>}
          <Badge tone={STEP_TONE[s.status]}>{s.status}</Badge>
          {s.replayed && <Badge>replayed</Badge>}
          <span className="ml-auto text-xs text-muted tabular-nums">
            {duration(s.duration_ms)} · {s.attempts} attempt{s.attempts === 1 ? "" : "s"}
            {s.port && s.port !== "next" ? ` · → ${s.port}` : ""}
          </span>
        </summary>
        <div className="space-y-2 border-t border-line px-3 py-2 text-xs">
          {s.error && <p className="rounded bg-danger-soft px-2 py-1 text-danger">{s.error}</p>}
          <Json label="Input" value={s.input} />
          <Json label="Output" value={s.output} />
          {s.attempt_log.length > 1 && (
            <div>
              <p className="font-medium">Attempts</p>
              <ol className="mt-1 space-y-0.5">
                {s.attempt_log.map((a) => (
                  <li key={a.attempt} className="flex gap-2">
                    <span className="tabular-nums">#{a.attempt}</span>
                    <span className={a.status === "failed" ? "text-danger" : "text-success"}>{a.status}</span>
                    <span className="text-muted">{duration(a.duration_ms)}</span>
                    {a.error && <span className="truncate text-danger">{a.error}</span>}
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      </details>
    </li>
  );
}

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <p className="font-medium">{label}</p>
      <pre className="mt-1 max-h-48 overflow-auto rounded bg-subtle p-2 leading-snug">
        {value === null || value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}
