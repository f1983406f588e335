import { Link } from "@tanstack/react-router";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import { formatBytes } from "./format";
import { cancelUpload, clearFinished, retryUpload, useUploads, type UploadItem } from "./uploads";

const STATE_LABEL: Record<UploadItem["state"], string> = {
  queued: "Waiting",
  uploading: "Uploading",
  done: "Uploaded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** One row per file being uploaded: progress bar (bytes sent), cancel while it runs, retry after a failure. */
export function UploadPanel() {
  const uploads = useUploads();
  if (uploads.length === 0) return null;
  const active = uploads.filter((u) => u.state === "queued" || u.state === "uploading").length;
  return (
    <section aria-label="Uploads" className="border-b border-line px-4 py-3">
      <div className="mb-2 flex items-center justify-between gap-2 text-sm">
        <h2 className="font-medium" aria-live="polite">
          {active ? `Uploading ${active} file${active === 1 ? "" : "s"}…` : "Uploads finished"}
        </h2>
        {uploads.length > active && (
          <Button size="sm" variant="ghost" onClick={clearFinished}>
            Clear finished
          </Button>
        )}
      </div>
      <ul className="space-y-2.5">
        {uploads.map((u) => {
          const pct = u.size === 0 ? (u.state === "done" ? 100 : 0) : Math.round((u.sent / u.size) * 100);
          const running = u.state === "queued" || u.state === "uploading";
          return (
            <li key={u.key} className="text-sm" data-testid="upload-row">
              <div className="flex items-center justify-between gap-2">
                <span className="min-w-0 truncate font-medium">{u.name}</span>
                <span className="flex shrink-0 items-center gap-2">
                  <span className={cx("text-xs tabular-nums", u.state === "failed" ? "text-danger" : "text-muted")}>
                    {u.state === "uploading" ? `${pct}% of ${formatBytes(u.size)}` : STATE_LABEL[u.state]}
                    {u.multipart && running ? " · in parts" : ""}
                    {u.resumedParts ? ` · resumed (${u.resumedParts} parts stored)` : ""}
                  </span>
                  {running && (
                    <Button size="sm" variant="ghost" onClick={() => cancelUpload(u.key)} aria-label={`Cancel upload of ${u.name}`}>
                      Cancel
                    </Button>
                  )}
                  {(u.state === "failed" || u.state === "cancelled") && (
                    <Button size="sm" variant="ghost" onClick={() => retryUpload(u.key)} aria-label={`Retry upload of ${u.name}`}>
                      Retry
                    </Button>
                  )}
                </span>
              </div>
              <div
                role="progressbar"
                aria-label={`Upload of ${u.name}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={pct}
                className="mt-1 h-1.5 overflow-hidden rounded bg-subtle"
              >
                <div
                  className={cx(
                    "h-full transition-[width]",
                    u.state === "failed" ? "bg-danger" : u.state === "done" ? "bg-success" : "bg-accent",
                  )}
                  style={{ width: `${u.state === "cancelled" ? 0 : pct}%` }}
                />
              </div>
              {u.error && (
                <p className="mt-1 text-xs text-danger">
                  {u.error}
                  {u.overQuota && (
                    <>
                      {" "}
                      <Link to="/settings/billing" search={{ checkout: undefined }} className="font-medium underline">
                        See plans
                      </Link>
                    </>
                  )}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
