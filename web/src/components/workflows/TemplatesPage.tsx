import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { api } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { triggerLabel, wfq } from "./data";
import { ProblemNote } from "./ProblemNote";
import type { Template } from "./types";

/** The template gallery: each card says what starts it and its steps; "Use" makes a draft and opens the builder. */
export function TemplatesPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const templates = useQuery(wfq.templates(ws.id));
  const canWrite = ws.can("workflows:write");
  const use = useMutation({
    mutationFn: (t: Template) => api("POST /api/v1/workflows/from-template", { body: { template_id: t.id } }),
    onSuccess: (w) => {
      qc.invalidateQueries({ queryKey: tkey(ws.id, "workflows") });
      navigate({ to: "/workflows/$id", params: { id: w.id } });
    },
  });
  return (
    <>
      <PageHeader
        title="Workflow templates"
        description="Ready-made workflows for common jobs. Using one makes a draft you can change before publishing."
      />
      {use.isError && <ProblemNote error={use.error} />}
      {templates.isPending ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {[1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-44" />
          ))}
        </div>
      ) : templates.isError ? (
        <ProblemNote error={templates.error} />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {templates.data.map((t) => {
            const steps = t.definition.nodes.filter((n) => n.type !== "trigger");
            return (
              <li key={t.id} className="flex flex-col rounded-xl border border-line bg-surface p-4 shadow-sm">
                <div className="flex items-start justify-between gap-2">
                  <h2 className="font-semibold">{t.name}</h2>
                  <Badge tone="accent">{t.category}</Badge>
                </div>
                <p className="mt-1 text-sm text-muted">{t.description}</p>
                <p className="mt-3 text-xs font-medium text-fg">{triggerLabel(t.definition.trigger)}</p>
                <p className="mt-1 line-clamp-3 text-xs text-muted">{steps.map((n) => n.name).join(" → ")}</p>
                <div className="mt-auto pt-4">
                  {canWrite && (
                    <Button
                      size="sm"
                      onClick={() => use.mutate(t)}
                      loading={use.isPending && use.variables?.id === t.id}
                      aria-label={`Use template ${t.name}`}
                    >
                      Use template
                    </Button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
