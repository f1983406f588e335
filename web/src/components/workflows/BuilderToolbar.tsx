import { Link } from "@tanstack/react-router";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import type { Workflow } from "./types";
import type { SaveState } from "./useAutosave";

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

/** The builder's title row: back to the list, the editable name, live version or draft, and the save state. */
export function BuilderTitleBar({
  workflow,
  name,
  onName,
  readOnly,
  saveState,
  saveError,
}: {
  workflow: Workflow;
  name: string;
  onName: (name: string) => void;
  readOnly: boolean;
  saveState: SaveState;
  saveError?: string;
}) {
  return (
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
        onChange={(e) => onName(e.target.value)}
        className="min-w-0 flex-1 rounded-lg border border-transparent bg-transparent px-2 py-1 text-xl font-semibold text-fg hover:border-line focus-visible:border-accent focus-visible:outline-none"
      />
      <Badge tone={workflow.published_version ? "success" : "neutral"}>
        {workflow.published_version ? `v${workflow.published_version} live` : "Draft"}
      </Badge>
      {!readOnly && (
        <span role="status" title={saveError} className="text-xs">
          <Badge tone={SAVE_TONE[saveState]}>{SAVE_LABEL[saveState]}</Badge>
        </span>
      )}
    </div>
  );
}

/** The builder's actions: undo, redo, auto-layout (editors), the problem count, runs, run now and publish. */
export function BuilderToolbar({
  workflow,
  readOnly,
  history,
  onAutoLayout,
  problems,
  canRun,
  onRunNow,
  running,
  canPublish,
  onPublish,
}: {
  workflow: Workflow;
  readOnly: boolean;
  history: { undo: () => void; redo: () => void; canUndo: boolean; canRedo: boolean };
  onAutoLayout: () => void;
  problems: number;
  canRun: boolean;
  onRunNow: () => void;
  running: boolean;
  canPublish: boolean;
  onPublish: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      {!readOnly && (
        <>
          <Button variant="secondary" size="sm" onClick={history.undo} disabled={!history.canUndo} title="Undo (Ctrl/⌘-Z)">
            Undo
          </Button>
          <Button variant="secondary" size="sm" onClick={history.redo} disabled={!history.canRedo} title="Redo (Ctrl/⌘-Shift-Z)">
            Redo
          </Button>
          <Button variant="secondary" size="sm" onClick={onAutoLayout}>
            Auto-layout
          </Button>
        </>
      )}
      <span className="flex-1" />
      <span className="text-xs text-muted" aria-live="polite">
        {problems ? `${problems} problem${problems === 1 ? "" : "s"}` : "No problems"}
      </span>
      <Link to="/workflows/$id/runs" params={{ id: workflow.id }} className={buttonClass("secondary", "sm")}>
        Runs
      </Link>
      {canRun && (
        <Button variant="secondary" size="sm" onClick={onRunNow} loading={running}>
          Run now
        </Button>
      )}
      {canPublish && (
        <Button size="sm" onClick={onPublish}>
          Publish…
        </Button>
      )}
    </div>
  );
}
