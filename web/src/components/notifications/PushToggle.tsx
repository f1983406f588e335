import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { disablePush, enablePush, pushState, type PushState } from "../../lib/push";
import { useWorkspace } from "../../lib/workspace";

/** "Enable push notifications" for this browser and workspace (the notification centre's footer). */
export function PushToggle() {
  const ws = useWorkspace();
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    pushState(ws.id).then(
      (s) => live && setState(s),
      () => live && setState("unsupported"),
    );
    return () => void (live = false);
  }, [ws.id]);

  const run = async (on: boolean) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await (on ? enablePush(ws.id) : disablePush(ws.id));
      setNote(on ? "Push notifications are on for this browser." : "Push notifications are off for this browser.");
    } catch (e) {
      setError(e instanceof Error && !("status" in e) ? e.message : errorMessage(e));
    } finally {
      setState(await pushState(ws.id).catch(() => "unsupported" as const));
      setBusy(false);
    }
  };

  if (state === null) return null;
  return (
    <div className="space-y-1 text-xs" data-testid="push-toggle">
      {state === "unsupported" ? (
        <p className="text-muted">Push notifications aren't supported in this browser.</p>
      ) : state === "denied" ? (
        <p className="text-muted">Push notifications are blocked for this site in the browser's settings.</p>
      ) : (
        <button
          type="button"
          disabled={busy}
          aria-pressed={state === "enabled"}
          onClick={() => run(state !== "enabled")}
          className="rounded px-2 py-1 font-medium text-accent hover:bg-subtle disabled:text-muted"
        >
          {busy ? "Working…" : state === "enabled" ? "Disable push notifications" : "Enable push notifications"}
        </button>
      )}
      <p role="status" className="text-muted">
        {note}
      </p>
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
