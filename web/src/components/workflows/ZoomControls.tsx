/** The canvas's zoom bar: out, the zoom level, in, and fit the graph into view. */
export function ZoomControls({ k, onZoomBy, onFit }: { k: number; onZoomBy: (factor: number) => void; onFit: () => void }) {
  return (
    <div className="absolute bottom-2 left-2 flex items-center gap-1 rounded-lg border border-line bg-surface p-1 text-sm shadow-sm">
      <ZoomButton label="Zoom out" onClick={() => onZoomBy(1 / 1.2)}>
        −
      </ZoomButton>
      <span className="w-12 text-center text-xs tabular-nums text-muted" aria-live="polite">
        {Math.round(k * 100)}%
      </span>
      <ZoomButton label="Zoom in" onClick={() => onZoomBy(1.2)}>
        +
      </ZoomButton>
      <ZoomButton label="Fit to view" onClick={onFit}>
        Fit
      </ZoomButton>
    </div>
  );
}

function ZoomButton({ label, onClick, children }: { label: string; onClick: () => void; children: string }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="h-7 min-w-7 rounded-md px-1.5 text-fg hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent"
    >
      {children}
    </button>
  );
}
