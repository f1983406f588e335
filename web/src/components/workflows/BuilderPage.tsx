import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { useWorkspace } from "../../lib/workspace";
import { useMediaQuery } from "../files/hooks";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { PageSkeleton } from "../ui/Skeleton";
import { BuilderTitleBar, BuilderToolbar } from "./BuilderToolbar";
import { Canvas } from "./Canvas";
import { wfq } from "./data";
import { addNode, connect, NODE_W, portOf, portsOf, removeEdge, removeNodes } from "./graph";
import { autoLayout } from "./layout";
import { NodePalette } from "./NodePalette";
import { PublishDialog } from "./PublishDialog";
import { SelectionPanel } from "./SelectionPanel";
import type { DefinitionError, NodeTypeInfo, Workflow, WorkflowDefinition } from "./types";
import { useAutosave } from "./useAutosave";
import { useHistory } from "./useHistory";
import { useUndoShortcuts } from "./useUndoShortcuts";

/** The builder for one workflow: loads it and the node types, then hands over to the editor. */
export function BuilderPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const wf = useQuery(wfq.workflow(ws.id, id));
  const types = useQuery(wfq.nodeTypes(ws.id));
  if (wf.isPending || types.isPending) return <PageSkeleton />;
  if (wf.isError || types.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(wf.error ?? types.error)}
      </p>
    );
  return <Builder key={wf.data.id} workflow={wf.data} nodeTypes={types.data} />;
}

function Builder({ workflow, nodeTypes }: { workflow: Workflow; nodeTypes: NodeTypeInfo[] }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const phone = useMediaQuery("(max-width: 767px)");
  const canWrite = ws.can("workflows:write");
  const canPublish = ws.can("workflows:publish");
  const readOnly = phone || !canWrite;
  const types = useMemo(() => new Map(nodeTypes.map((t) => [t.type, t])), [nodeTypes]);
  const history = useHistory<WorkflowDefinition>(workflow.definition);
  const def = history.value;
  const [name, setName] = useState(workflow.name);
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [fitKey, setFitKey] = useState(0);
  const [errors, setErrors] = useState<DefinitionError[]>([]);
  const [confirmDelete, setConfirmDelete] = useState<string[] | null>(null);
  const [publishing, setPublishing] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const events = useQuery(wfq.events(ws.id));
  const secrets = useQuery({ ...wfq.secrets(ws.id), enabled: canWrite });

  const validate = useCallback(async () => {
    const v = await api("POST /api/v1/workflows/{id}/validate", { params: { id: workflow.id }, body: {} });
    setErrors(v.errors);
    return v;
  }, [workflow.id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: validate the loaded draft once
  useEffect(() => {
    validate().catch(() => undefined);
  }, []);
  const autosave = useAutosave(
    workflow.id,
    { name, definition: def },
    {
      enabled: !readOnly,
      onSaved: (w) => {
        qc.setQueryData(wfq.workflow(ws.id, workflow.id).queryKey, w);
        validate().catch(() => undefined);
      },
    },
  );

  const change = useCallback((next: WorkflowDefinition, key?: string) => history.set(next, key), [history.set]);
  const focusNode = (id: string) =>
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"]`)?.focus());

  /** Adds a node after the selected one (from its first free output) or at the end of the graph. */
  const add = (info: NodeTypeInfo, at?: { x: number; y: number }) => {
    const sel = [...selection].filter((s) => !s.startsWith("edge:"));
    const from = sel.length === 1 ? def.nodes.find((n) => n.id === sel[0]) : undefined;
    let connectFrom: { node: string; port: string } | undefined;
    let position = at;
    if (from) {
      const used = new Set(def.edges.filter((e) => e.from === from.id).map(portOf));
      const port = portsOf(from, types).find((p) => p !== "error" && !used.has(p));
      if (port) connectFrom = { node: from.id, port };
      position ??= { x: from.position.x + NODE_W + 72, y: from.position.y + used.size * 96 };
    }
    if (!position) {
      const right = Math.max(0, ...def.nodes.map((n) => n.position.x + NODE_W));
      position = { x: right + 72, y: def.nodes.at(-1)?.position.y ?? 0 };
    }
    const r = addNode(def, info, position, at ? undefined : connectFrom);
    change(r.def);
    setSelection(new Set([r.id]));
    focusNode(r.id);
  };
  const remove = (ids: string[]) => {
    const edges = ids.filter((s) => s.startsWith("edge:")).map((s) => s.slice(5));
    const nodes = ids.filter((s) => !s.startsWith("edge:") && def.nodes.find((n) => n.id === s)?.type !== "trigger");
    if (nodes.length > 1 && !confirmDelete) return setConfirmDelete(ids);
    let next = removeNodes(def, nodes);
    for (const e of edges) next = removeEdge(next, e);
    change(next);
    setSelection(new Set());
    setConfirmDelete(null);
  };

  useUndoShortcuts(history.undo, history.redo, !readOnly);

  const runNow = useMutation({
    mutationFn: async () => {
      await autosave.flush();
      return api("POST /api/v1/workflows/{id}/runs", { params: { id: workflow.id }, body: { input: {} } });
    },
    onSuccess: (r) => navigate({ to: "/workflows/runs/$runId", params: { runId: r.id } }),
  });

  const errorsOf = (id: string) =>
    errors.filter(
      (e) =>
        e.node_id === id ||
        (e.node_id === null && e.field.startsWith("trigger.") && def.nodes.find((n) => n.id === id)?.type === "trigger"),
    );

  return (
    <div className="space-y-3">
      <BuilderTitleBar
        workflow={workflow}
        name={name}
        onName={setName}
        readOnly={readOnly}
        saveState={autosave.state}
        saveError={autosave.error}
      />
      <BuilderToolbar
        workflow={workflow}
        readOnly={readOnly}
        history={history}
        onAutoLayout={() => {
          change(autoLayout(def, types));
          setFitKey((k) => k + 1);
        }}
        problems={errors.length}
        canRun={canWrite && workflow.published_version !== null}
        onRunNow={() => runNow.mutate()}
        running={runNow.isPending}
        canPublish={canPublish && !phone}
        onPublish={() => {
          autosave
            .flush()
            .then(validate)
            .catch(() => undefined);
          setPublishing(true);
        }}
      />
      {runNow.isError && (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(runNow.error)}
        </p>
      )}
      {autosave.state === "error" && (
        <p role="alert" className="text-sm text-danger">
          Saving failed: {autosave.error}
        </p>
      )}
      {phone && (
        <p className="rounded-lg bg-subtle px-3 py-2 text-sm text-muted">
          The builder is read-only on a small screen: open it on a wider one to edit. Pan with a finger, pinch to zoom, tap a node for its
          settings.
        </p>
      )}
      {!readOnly && <NodePalette types={nodeTypes.filter((t) => t.type !== "trigger")} onAdd={(t) => add(t)} />}
      <div className="grid gap-3 md:grid-cols-[minmax(0,1fr)_18rem]">
        <Canvas
          label={`${name} workflow canvas: Tab moves between nodes, arrow keys move the selected node, Enter opens its properties, Delete removes it; an output port's menu connects it`}
          className={readOnly ? "h-[60vh]" : "h-[min(72vh,680px)]"}
          def={def}
          types={types}
          selection={selection}
          onSelect={setSelection}
          onChange={readOnly ? undefined : change}
          onConnect={(from, port, to) => change(connect(def, from, port, to))}
          onDisconnect={(from, port) => change({ ...def, edges: def.edges.filter((e) => !(e.from === from && portOf(e) === port)) })}
          onOpen={(id) => {
            setSelection(new Set([id]));
            requestAnimationFrame(() => nameRef.current?.focus());
          }}
          onDelete={readOnly ? undefined : remove}
          onDropType={(type, at) => {
            const info = types.get(type as NodeTypeInfo["type"]);
            if (info) add(info, at);
          }}
          errorsOf={(id) => errorsOf(id).length}
          fitKey={fitKey}
        />
        <SelectionPanel
          def={def}
          selection={selection}
          types={types}
          errorsOf={errorsOf}
          events={events.data ?? []}
          secrets={secrets.data ?? []}
          webhookUrl={workflow.webhook_url}
          readOnly={readOnly}
          nameRef={nameRef}
          change={change}
          remove={remove}
        />
      </div>
      <Dialog
        open={confirmDelete !== null}
        onClose={() => setConfirmDelete(null)}
        title={`Delete ${confirmDelete?.filter((s) => !s.startsWith("edge:")).length ?? 0} nodes?`}
        description="Their connections go too. Undo (Ctrl/⌘-Z) brings them back."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmDelete(null)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => confirmDelete && remove(confirmDelete)}>
              Delete
            </Button>
          </>
        }
      />
      <PublishDialog
        open={publishing}
        onClose={() => setPublishing(false)}
        workflow={workflow}
        definition={def}
        errors={errors}
        flush={autosave.flush}
      />
    </div>
  );
}
