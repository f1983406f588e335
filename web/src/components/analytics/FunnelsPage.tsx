import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { FunnelBuilder } from "./FunnelBuilder";
import { draftProblem, emptyDraft, type FunnelDraft, fromDefinition, toDefinition } from "./funnelDraft";
import { FunnelBars, FunnelBreakdownTable } from "./FunnelResults";
import { useRange } from "./RangePicker";
import { SavedFunnels } from "./SavedFunnels";
import { useDebounced } from "./useDebounced";

export function FunnelsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canEdit = ws.can("analytics:edit");
  const { from, to } = useRange();
  const [draft, setDraft] = useState<FunnelDraft>(emptyDraft);
  const [name, setName] = useState("");
  const [currentId, setCurrentId] = useState<string | null>(null);

  const problem = draftProblem(draft);
  const body = useDebounced(problem ? null : { ...toDefinition(draft), from, to });
  const res = useQuery({
    queryKey: tkey(ws.id, "analytics", "funnel-query", body),
    queryFn: () => (body ? api("POST /api/v1/analytics/funnels/query", { body }) : Promise.reject(new Error("incomplete funnel"))),
    enabled: !!body,
    placeholderData: keepPreviousData,
  });

  const save = useMutation({
    mutationFn: (asNew: boolean) => {
      const payload = { name: name.trim(), definition: toDefinition(draft) };
      return currentId && !asNew
        ? api("PATCH /api/v1/analytics/funnels/{id}", { params: { id: currentId }, body: payload })
        : api("POST /api/v1/analytics/funnels", { body: payload });
    },
    onSuccess: (f) => {
      toast.success(`Saved “${f.name}”.`);
      setCurrentId(f.id);
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "analytics", "funnels") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });

  const load = (n: string, def: Parameters<typeof fromDefinition>[0], id: string | null) => {
    setDraft(fromDefinition(def));
    setName(n);
    setCurrentId(id);
    document.getElementById("funnel-builder")?.focus();
  };

  return (
    <div className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="order-2 min-w-0 space-y-6 2xl:order-1">
        <section id="funnel-builder" tabIndex={-1} aria-label="Funnel builder" className="focus-visible:outline-none">
          <Card
            title={currentId ? name || "Funnel" : "New funnel"}
            description="People who do these steps, in order, within the window."
            actions={
              currentId ? (
                <Button variant="ghost" size="sm" onClick={() => load("", emptyDraft(), null)}>
                  New funnel
                </Button>
              ) : undefined
            }
          >
            <FunnelBuilder draft={draft} onChange={setDraft} />
            {canEdit && (
              <form
                className="mt-6 flex flex-col gap-3 border-t border-line pt-5 sm:flex-row sm:items-end"
                onSubmit={(e) => {
                  e.preventDefault();
                  save.mutate(false);
                }}
              >
                <Field label="Funnel name" className="min-w-0 flex-1">
                  <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="Sign-up to activation" />
                </Field>
                <div className="flex gap-2">
                  <Button type="submit" loading={save.isPending && !save.variables} disabled={!name.trim() || !!problem}>
                    {currentId ? "Save changes" : "Save funnel"}
                  </Button>
                  {currentId && (
                    <Button variant="secondary" disabled={!name.trim() || !!problem || save.isPending} onClick={() => save.mutate(true)}>
                      Save as new
                    </Button>
                  )}
                </div>
              </form>
            )}
          </Card>
        </section>

        <Card title="Result" actions={res.isFetching && res.data ? <span className="text-xs text-muted">Updating…</span> : undefined}>
          {problem ? (
            <EmptyState title="Finish the funnel">{problem}</EmptyState>
          ) : res.isError ? (
            <p role="alert" className="text-sm text-danger">
              {errorMessage(res.error)}
            </p>
          ) : !res.data ? (
            <div className="space-y-4" role="status" aria-label="Loading">
              <Skeleton className="h-10" />
              <Skeleton className="h-10" />
              <Skeleton className="h-10" />
            </div>
          ) : (res.data.steps[0]?.count ?? 0) === 0 ? (
            <EmptyState title="Nobody entered this funnel">
              No one did the first step in this range. Check the event name or pick a longer range.
            </EmptyState>
          ) : (
            <div className={res.isPlaceholderData ? "space-y-6 opacity-60" : "space-y-6"} aria-live="polite">
              <FunnelBars steps={res.data.steps} />
              {res.data.breakdown && body?.breakdown && (
                <div>
                  <h3 className="mb-2 text-sm font-semibold">Breakdown</h3>
                  <FunnelBreakdownTable result={res.data} breakdown={body.breakdown} />
                </div>
              )}
            </div>
          )}
        </Card>
      </div>
      <SavedFunnels
        currentId={currentId}
        onOpen={(f) => load(f.name, f.definition, f.id)}
        onTemplate={(n, d) => load(n, d, null)}
        onDeleted={(id) => id === currentId && setCurrentId(null)}
        onRenamed={(f) => f.id === currentId && setName(f.name)}
      />
    </div>
  );
}
