import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { useWorkspace } from "../../lib/workspace";
import { useMediaQuery } from "../files/hooks";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { PageSkeleton } from "../ui/Skeleton";
import { Canvas } from "./Canvas";
import { wfq } from "./data";
import { addNode, connect, NODE_W, portOf, portsOf, removeEdge, removeNodes, updateNode } from "./graph";
import { autoLayout } from "./layout";
import { PropertiesPanel } from "./PropertiesPanel";
import { NodePalette } from "./NodePalette";
import { PublishDialog } from "./PublishDialog";
import type { DefinitionError, NodeTypeInfo, Workflow, WorkflowDefinition } from "./types";
import { type SaveState, useAutosave } from "./useAutosave";
import { useHistory } from "./useHistory";
import { variablesFor } from "./variables";

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

const SAVE_LABEL: Record<SaveState, string> = {
  saved: "All changes saved",
  unsaved: "Unsaved changes",
  saving: "Saving…",
  error: "Not saved",
};
const SAVE_TONE: Record<SaveState, "success" | "neutral" | "accent" | "danger"> = {
  saved: "success",
  unsaved: "neutral",
  saving: "accent",
  error: "danger",
};

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

  // Undo / redo anywhere in the builder, except while typing in a field (the field has its own undo).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || readOnly) return;
      const el = e.target as HTMLElement;
      if (el.closest("input, textarea, select, [contenteditable=true]")) return;
      const k = e.key.toLowerCase();
      if (k === "z" && !e.shiftKey) history.undo();
      else if ((k === "z" && e.shiftKey) || k === "y") history.redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [history.undo, history.redo, readOnly]);

  const runNow = useMutation({
    mutationFn: async () => {
      await autosave.flush();
      return api("POST /api/v1/workflows/{id}/runs", { params: { id: workflow.id }, body: { input: {} } });
    },
    onSuccess: (r) => navigate({ to: "/workflows/runs/$runId", params: { runId: r.id } }),
  });

  const selectedNodes = def.nodes.filter((n) => selection.has(n.id));
  const selectedEdge = def.edges.find((e) => selection.has(`edge:${e.id}`));
  const single = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const errorsOf = (id: string) =>
    errors.filter(
      (e) =>
        e.node_id === id ||
        (e.node_id === null && e.field.startsWith("trigger.") && def.nodes.find((n) => n.id === id)?.type === "trigger"),
    );
  const nodeName = (id: string) => def.nodes.find((n) => n.id === id)?.name ?? id;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <Link to="/workflows" className="text-sm text-muted hover:text-fg">
          ← Workflows
        </Link>
        <h1 className="sr-only">{name}</h1>
        <input
          aria-label="Workflow name"
          value={name}
          readOnly={readOnly}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          className="min-w-0 flex-1 rounded-lg border border-transparent bg-transparent px-2 py-1 text-xl font-semibold text-fg hover:border-line focus-visible:border-accent focus-visible:outline-none"
        />
        <Badge tone={workflow.published_version ? "success" : "neutral"}>
          {workflow.published_version ? `v${workflow.published_version} live` : "Draft"}
        </Badge>
        {!readOnly && (
          <span role="status" title={autosave.error} className="text-xs">
            <Badge tone={SAVE_TONE[autosave.state]}>{SAVE_LABEL[autosave.state]}</Badge>
          </span>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {!readOnly && (
          <>
            <Button variant="secondary" size="sm" onClick={history.undo} disabled={!history.canUndo} title="Undo (Ctrl/⌘-Z)">
              Undo
            </Button>
            <Button variant="secondary" size="sm" onClick={history.redo} disabled={!history.canRedo} title="Redo (Ctrl/⌘-Shift-Z)">
              Redo
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => {
                change(autoLayout(def, types));
                setFitKey((k) => k + 1);
              }}
            >
              Auto-layout
            </Button>
          </>
        )}
        <span className="flex-1" />
        <span className="text-xs text-muted" aria-live="polite">
          {errors.length ? `${errors.length} problem${errors.length === 1 ? "" : "s"}` : "No problems"}
        </span>
        <Link to="/workflows/$id/runs" params={{ id: workflow.id }} className={buttonClass("secondary", "sm")}>
          Runs
        </Link>
        {canWrite && workflow.published_version !== null && (
          <Button variant="secondary" size="sm" onClick={() => runNow.mutate()} loading={runNow.isPending}>
            Run now
          </Button>
        )}
        {canPublish && !phone && (
          <Button
            size="sm"
            onClick={() => {
              autosave
                .flush()
                .then(validate)
                .catch(() => undefined);
              setPublishing(true);
            }}
          >
            Publish…
          </Button>
        )}
      </div>
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
        <aside aria-label="Properties" className="max-h-[min(72vh,680px)] overflow-y-auto rounded-xl border border-line bg-surface p-4">
          {single ? (
            <PropertiesPanel
              ref={nameRef}
              node={single}
              info={types.get(single.type)}
              trigger={def.trigger}
              errors={errorsOf(single.id)}
              variables={variablesFor(def, single.id, events.data ?? [], secrets.data ?? [])}
              events={events.data ?? []}
              webhookUrl={workflow.webhook_url}
              readOnly={readOnly}
              onChange={(patch, key) => change(updateNode(def, single.id, patch), key)}
              onTrigger={(trigger) => change({ ...def, trigger }, "trigger")}
              onDelete={() => remove([single.id])}
            />
          ) : selectedEdge ? (
            <div className="space-y-3 text-sm">
              <p>
                Connection from <strong>{nodeName(selectedEdge.from)}</strong>
                {portOf(selectedEdge) !== "next" && <> ({portOf(selectedEdge)})</>} to <strong>{nodeName(selectedEdge.to)}</strong>.
              </p>
              {!readOnly && (
                <Button variant="secondary" size="sm" className="text-danger" onClick={() => remove([`edge:${selectedEdge.id}`])}>
                  Delete connection
                </Button>
              )}
            </div>
          ) : selectedNodes.length > 1 ? (
            <div className="space-y-3 text-sm">
              <p>{selectedNodes.length} nodes selected. Arrow keys move them together.</p>
              {!readOnly && (
                <Button variant="secondary" size="sm" className="text-danger" onClick={() => remove([...selection])}>
                  Delete {selectedNodes.length} nodes…
                </Button>
              )}
            </div>
          ) : (
            <div className="space-y-2 text-sm text-muted">
              <p className="font-medium text-fg">Nothing selected</p>
              <p>
                Select a node to edit it.{" "}
                {readOnly
                  ? ""
                  : "Add steps from the strip above the canvas (a click adds one after the selected node; or drag one onto the canvas); drag from an output port to a node to connect."}
              </p>
              <p>Keys: Tab between nodes · arrows move · Enter edits · Delete removes · Ctrl/⌘-Z undo · Ctrl/⌘-scroll zooms.</p>
            </div>
          )}
        </aside>
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
