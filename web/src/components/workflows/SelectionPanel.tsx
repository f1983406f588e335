import type { Ref } from "react";
import { Button } from "../ui/Button";
import { portOf, updateNode } from "./graph";
import { PropertiesPanel } from "./PropertiesPanel";
import type { DefinitionError, EventType, NodeTypeInfo, Secret, WorkflowDefinition } from "./types";
import { variablesFor } from "./variables";

/**
 * The builder's side panel, by what is selected: one node's properties, a connection, several
 * nodes, or (nothing selected) how to get started.
 */
export function SelectionPanel({
  def,
  selection,
  types,
  errorsOf,
  events,
  secrets,
  webhookUrl,
  readOnly,
  nameRef,
  change,
  remove,
}: {
  def: WorkflowDefinition;
  selection: Set<string>;
  types: Map<string, NodeTypeInfo>;
  errorsOf: (id: string) => DefinitionError[];
  events: EventType[];
  secrets: Secret[];
  webhookUrl?: string;
  readOnly: boolean;
  /** The selected node's name field: Enter on a canvas node focuses it. */
  nameRef: Ref<HTMLInputElement>;
  change: (next: WorkflowDefinition, key?: string) => void;
  remove: (ids: string[]) => void;
}) {
  const selectedNodes = def.nodes.filter((n) => selection.has(n.id));
  const selectedEdge = def.edges.find((e) => selection.has(`edge:${e.id}`));
  const single = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const nodeName = (id: string) => def.nodes.find((n) => n.id === id)?.name ?? id;

  return (
    <aside aria-label="Properties" className="max-h-[min(72vh,680px)] overflow-y-auto rounded-xl border border-line bg-surface p-4">
      {single ? (
        <PropertiesPanel
          ref={nameRef}
          node={single}
          info={types.get(single.type)}
          trigger={def.trigger}
          errors={errorsOf(single.id)}
          variables={variablesFor(def, single.id, events, secrets)}
          events={events}
          webhookUrl={webhookUrl}
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
  );
}
