import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Button } from "../ui/Button";
import { toast } from "../ui/Toast";
import { SparkIcon } from "./icons";
import type { FusionRun } from "./types";

/** "Generate from new calls & emails": starts a run and shows its progress until it is done. */
export function GenerateRun() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  // A run started elsewhere (another tab, the API) still shows here.
  const latest = useQuery({
    queryKey: tkey(ws.id, "fusion", "runs", "latest"),
    queryFn: () => call<Page<FusionRun>>("GET", "/sales/fusion/runs", { query: { limit: 1 } }),
  });
  const activeId = runId ?? (latest.data?.data[0] && isActive(latest.data.data[0]) ? latest.data.data[0].id : null);
  const run = useQuery({
    queryKey: tkey(ws.id, "fusion", "run", activeId),
    queryFn: () => call<FusionRun>("GET", `/sales/fusion/runs/${activeId}`),
    enabled: Boolean(activeId),
    refetchInterval: (q) => (q.state.data && !isActive(q.state.data) ? false : 700),
  });
  const finished = run.data && !isActive(run.data) ? run.data : null;
  useEffect(() => {
    if (!finished || finished.id !== runId) return;
    qc.invalidateQueries({ queryKey: tkey(ws.id, "fusion", "documents") });
    if (finished.status === "failed") toast.error(`Generation failed: ${finished.error ?? "unknown error"}`);
    else toast.success(summary(finished));
    setRunId(null);
    qc.invalidateQueries({ queryKey: tkey(ws.id, "fusion", "runs", "latest") });
  }, [finished, runId, qc, ws.id]);
  const start = useMutation({
    mutationFn: () => call<FusionRun>("POST", "/sales/fusion/runs", { body: {} }),
    onSuccess: (r) => setRunId(r.id),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const going = run.data && isActive(run.data) ? run.data : null;
  const last = latest.data?.data[0];
  return (
    <div className="flex flex-col items-end gap-1">
      {ws.can("sales:write") && (
        <Button onClick={() => start.mutate()} disabled={start.isPending || Boolean(going)}>
          <SparkIcon />
          {going ? "Generating…" : "Generate from new calls & emails"}
        </Button>
      )}
      {going ? (
        <div className="w-64" aria-live="polite">
          <div
            role="progressbar"
            aria-label="Generation progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={going.progress}
            className="h-1.5 overflow-hidden rounded-full bg-subtle"
          >
            <div className="h-full bg-accent transition-all" style={{ width: `${Math.max(5, going.progress)}%` }} />
          </div>
          <p className="mt-1 text-xs text-muted">{going.stage}…</p>
        </div>
      ) : (
        last && !isActive(last) && <p className="text-xs text-muted">Last run: {summary(last)}</p>
      )}
    </div>
  );
}

const isActive = (r: FusionRun) => r.status === "queued" || r.status === "running";

function summary(r: FusionRun): string {
  if (r.status === "failed") return `failed (${r.error ?? "unknown error"})`;
  const read = `${r.transcripts} call${r.transcripts === 1 ? "" : "s"}, ${r.threads} email thread${r.threads === 1 ? "" : "s"}`;
  const wrote = [
    r.created ? `${r.created} new` : "",
    r.updated ? `${r.updated} updated` : "",
    r.unchanged ? `${r.unchanged} unchanged` : "",
    r.kept ? `${r.kept} kept as edited` : "",
  ].filter(Boolean);
  return `read ${read}; ${wrote.length ? wrote.join(", ") : "nothing new"}${r.generator === "local-fusion-v1" ? " · offline generator" : ""}.`;
}
