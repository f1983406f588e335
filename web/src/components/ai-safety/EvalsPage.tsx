import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { cx } from "../ui/cx";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import { EvalCaseDialog } from "./EvalCaseDialog";
import type { EvalCase, EvalRun } from "./types";

const rate = (r: EvalRun) => (r.pass_rate === null ? "—" : `${Math.round(r.pass_rate * 100)}%`);

/** The evaluation harness: test prompts with expected properties, runs against a model, results side by side. */
export function EvalsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("ai:manage");
  const [editing, setEditing] = useState<EvalCase | "new" | null>(null);
  const [deleting, setDeleting] = useState<EvalCase | null>(null);
  const [provider, setProvider] = useState("openai");
  const [model, setModel] = useState("gpt-4o-mini");
  const [compare, setCompare] = useState<string[]>([]);
  const cases = useQuery({
    queryKey: tkey(ws.id, "ai-safety", "evals", "cases"),
    queryFn: () => call<Page<EvalCase>>("GET", "/ai/evals/cases", { query: { limit: 100 } }),
  });
  const runs = useQuery({
    queryKey: tkey(ws.id, "ai-safety", "evals", "runs"),
    queryFn: () => call<Page<EvalRun>>("GET", "/ai/evals/runs", { query: { limit: 20 } }),
    refetchInterval: (q) => (q.state.data?.data.some((r) => r.status === "running") ? 2000 : false),
  });
  const run = useMutation({
    mutationFn: () => call<EvalRun>("POST", "/ai/evals/runs", { body: { provider, model: model.trim() } }),
    onSuccess: (r) => {
      toast.success(r.status === "done" ? `Run finished: ${rate(r)} passed.` : "Run started.");
      setCompare((c) => [r.id, ...c].slice(0, 3));
      qc.invalidateQueries({ queryKey: tkey(ws.id, "ai-safety", "evals") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (c: EvalCase) => call("DELETE", `/ai/evals/cases/${c.id}`),
    onSuccess: () => {
      setDeleting(null);
      qc.invalidateQueries({ queryKey: tkey(ws.id, "ai-safety", "evals") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const caseList = cases.data?.data ?? [];
  const runList = runs.data?.data ?? [];
  const shown = runList.filter((r) => compare.includes(r.id));
  return (
    <>
      <PageHeader
        title="Model evaluations"
        description="Run your test prompts against a model before switching to it; compare pass rates side by side."
      />
      <div className="space-y-6">
        <Card
          title="Cases"
          bodyClassName="p-0"
          actions={
            canManage && (
              <Button size="sm" onClick={() => setEditing("new")}>
                New case
              </Button>
            )
          }
        >
          {cases.isError ? (
            <p role="alert" className="p-4 text-sm text-danger">
              {errorMessage(cases.error)}
            </p>
          ) : caseList.length === 0 ? (
            <p className="px-5 py-4 text-sm text-muted">
              {cases.isPending ? "Loading…" : "No cases yet: add a prompt and what a good answer must do."}
            </p>
          ) : (
            <ul className="divide-y divide-line">
              {caseList.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
                  <div className="min-w-0">
                    <p className="font-medium">{c.name}</p>
                    <p className="truncate text-muted">{c.prompt}</p>
                    <p className="text-xs text-muted">
                      {c.expectations.map((e) => `${e.kind.replace(/_/g, " ")}${e.value !== undefined ? ` ${e.value}` : ""}`).join(" · ")}
                    </p>
                  </div>
                  {canManage && (
                    <div className="flex gap-2">
                      <Button size="sm" variant="secondary" onClick={() => setEditing(c)}>
                        Edit
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setDeleting(c)}>
                        Delete
                      </Button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Runs" description="Tick up to three runs to compare them case by case.">
          {canManage && (
            <div className="mb-4 flex flex-wrap items-end gap-2">
              <Field label="Provider" className="w-40">
                <Select value={provider} onChange={(e) => setProvider(e.target.value)}>
                  <option value="openai">OpenAI</option>
                  <option value="anthropic">Anthropic</option>
                  <option value="workers-ai">Workers AI</option>
                  <option value="local">Local answerer (offline)</option>
                </Select>
              </Field>
              <Field label="Model" className="min-w-48 flex-1">
                <Input value={model} onChange={(e) => setModel(e.target.value)} />
              </Field>
              <Button disabled={caseList.length === 0 || !model.trim()} loading={run.isPending} onClick={() => run.mutate()}>
                Run {caseList.length} case{caseList.length === 1 ? "" : "s"}
              </Button>
            </div>
          )}
          {runs.isError ? (
            <p role="alert" className="text-sm text-danger">
              {errorMessage(runs.error)}
            </p>
          ) : runList.length === 0 ? (
            <p className="text-sm text-muted">No runs yet.</p>
          ) : (
            <ul className="divide-y divide-line rounded-lg border border-line text-sm">
              {runList.map((r) => (
                <li key={r.id} className="flex items-center gap-3 px-4 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Compare ${r.provider}/${r.model}`}
                    checked={compare.includes(r.id)}
                    onChange={() => setCompare((c) => (c.includes(r.id) ? c.filter((x) => x !== r.id) : [...c, r.id].slice(-3)))}
                  />
                  <span className="min-w-0 flex-1 truncate font-medium">
                    {r.provider}/{r.model}
                  </span>
                  <Badge tone={r.status === "failed" ? "danger" : r.status === "running" ? "warning" : "success"}>
                    {r.status === "done" ? `${r.passed}/${r.cases} · ${rate(r)}` : r.status}
                  </Badge>
                  <span className="hidden text-muted sm:inline">{formatRelative(r.created_at)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {shown.length > 0 && (
          <Card title="Side by side" bodyClassName="p-0">
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Results per case</caption>
                <thead className="border-b border-line text-xs text-muted uppercase">
                  <tr>
                    <th scope="col" className="px-4 py-2">
                      Case
                    </th>
                    {shown.map((r) => (
                      <th key={r.id} scope="col" className="px-4 py-2">
                        {r.model} ({rate(r)})
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-line align-top">
                  {caseList.map((c) => (
                    <tr key={c.id}>
                      <th scope="row" className="px-4 py-2 font-medium">
                        {c.name}
                      </th>
                      {shown.map((r) => {
                        const res = r.results.find((x) => x.case_id === c.id);
                        return (
                          <td key={r.id} className={cx("max-w-72 px-4 py-2", res && !res.pass && "bg-danger-soft/40")}>
                            {res ? (
                              <>
                                <Badge tone={res.pass ? "success" : "danger"}>{res.pass ? "pass" : "fail"}</Badge>{" "}
                                <span className="text-xs text-muted">{res.latency_ms} ms</span>
                                {res.failures.length > 0 && <p className="mt-1 text-xs text-danger">{res.failures.join("; ")}</p>}
                                <p className="mt-1 line-clamp-4 text-xs text-muted">{res.output}</p>
                              </>
                            ) : (
                              "—"
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
      </div>
      <EvalCaseDialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        existing={editing === "new" || editing === null ? undefined : editing}
      />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        size="sm"
        title="Delete this case?"
        description="Past runs keep their results."
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete
            </Button>
          </>
        }
      />
    </>
  );
}
