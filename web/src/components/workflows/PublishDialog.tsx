import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { toast } from "../ui/Toast";
import { wfq } from "./data";
import { diffDefinitions } from "./graph";
import type { DefinitionError, Workflow, WorkflowDefinition } from "./types";

/** Publish: the version it becomes, what changed against the live version, and the problems that block it. */
export function PublishDialog({
  open,
  onClose,
  workflow,
  definition,
  errors,
  flush,
}: {
  open: boolean;
  onClose: () => void;
  workflow: Workflow;
  definition: WorkflowDefinition;
  errors: DefinitionError[];
  flush: () => Promise<void>;
}) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const versions = useQuery({ ...wfq.versions(ws.id, workflow.id), enabled: open && workflow.published_version !== null });
  const live = versions.data?.reduce<(typeof versions.data)[number] | undefined>(
    (a, v) => (!a || v.version > a.version ? v : a),
    undefined,
  );
  const diff = diffDefinitions(live?.definition ?? null, definition);
  const next = (workflow.published_version ?? 0) + 1;
  const publish = useMutation({
    mutationFn: async () => {
      await flush();
      return api("POST /api/v1/workflows/{id}/publish", { params: { id: workflow.id } });
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: tkey(ws.id, "workflows") });
      toast.success(`Published version ${next}`);
      onClose();
    },
  });
  const nothing = workflow.published_version !== null && !diff.added.length && !diff.removed.length && !diff.changed.length;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Publish version ${next}`}
      description="New runs use the published version; runs already going keep the version they started with."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => publish.mutate()} loading={publish.isPending} disabled={errors.length > 0}>
            Publish version {next}
          </Button>
        </>
      }
    >
      {errors.length > 0 ? (
        <div role="alert" className="space-y-1 text-sm">
          <p className="font-medium text-danger">Fix these first:</p>
          <ul className="list-disc space-y-0.5 pl-5 text-danger">
            {errors.slice(0, 8).map((e) => (
              <li key={`${e.node_id}:${e.field}:${e.message}`}>
                {definition.nodes.find((n) => n.id === e.node_id)?.name ?? "Workflow"} — {e.field}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : versions.isLoading ? (
        <p className="text-sm text-muted">Comparing with the live version…</p>
      ) : (
        <div className="space-y-2 text-sm">
          <p className="font-medium">
            {workflow.published_version === null ? "First version" : `Changes since version ${workflow.published_version}`}
          </p>
          {nothing && <p className="text-muted">No node changed (publishing still records a new version).</p>}
          <ul className="space-y-1">
            <DiffLine label="added" tone="text-success" names={diff.added} />
            <DiffLine label="removed" tone="text-danger" names={diff.removed} />
            <DiffLine label="changed" tone="text-warning" names={diff.changed} />
          </ul>
        </div>
      )}
      {publish.isError && (
        <p role="alert" className="mt-3 text-sm text-danger">
          {errorMessage(publish.error)}
        </p>
      )}
    </Dialog>
  );
}

function DiffLine({ label, tone, names }: { label: string; tone: string; names: string[] }) {
  if (!names.length) return null;
  return (
    <li>
      <span className={`font-medium ${tone}`}>
        {names.length} node{names.length === 1 ? "" : "s"} {label}
      </span>
      : {names.join(", ")}
    </li>
  );
}
