import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import type { Workflow, WorkflowDefinition } from "./types";

export type SaveState = "saved" | "unsaved" | "saving" | "error";
const DEBOUNCE_MS = 800;

/**
 * Saves the draft (PATCH /workflows/{id}) a moment after the last edit; `flush()` saves now (before
 * publishing or running). A tab closed with unsaved changes asks first.
 */
export function useAutosave(
  id: string,
  draft: { name: string; definition: WorkflowDefinition },
  opts: { enabled: boolean; onSaved: (w: Workflow) => void },
) {
  const json = JSON.stringify(draft);
  const saved = useRef(json);
  const inflight = useRef<Promise<void> | null>(null);
  const [state, setState] = useState<SaveState>("saved");
  const [error, setError] = useState<string>();
  const latest = useRef({ json, draft, onSaved: opts.onSaved });
  latest.current = { json, draft, onSaved: opts.onSaved };

  const save = useCallback(async (): Promise<void> => {
    if (inflight.current) await inflight.current.catch(() => undefined);
    const { json: body, draft: d } = latest.current;
    if (body === saved.current) return;
    setState("saving");
    const p = api("PATCH /api/v1/workflows/{id}", {
      params: { id },
      body: { name: d.name.trim() || "Untitled workflow", definition: d.definition },
    })
      .then((w) => {
        saved.current = body;
        setError(undefined);
        setState(latest.current.json === body ? "saved" : "unsaved");
        latest.current.onSaved(w);
      })
      .catch((e) => {
        setError(errorMessage(e));
        setState("error");
        throw e;
      })
      .finally(() => {
        inflight.current = null;
      });
    inflight.current = p;
    return p;
  }, [id]);

  useEffect(() => {
    if (!opts.enabled || json === saved.current) return;
    setState((s) => (s === "saving" ? s : "unsaved"));
    const t = setTimeout(() => save().catch(() => undefined), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [json, opts.enabled, save]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (latest.current.json !== saved.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  return { state, error, flush: save };
}
