import { Link } from "@tanstack/react-router";
import { formatBytes } from "./format";
import { useFilesUsage } from "./queries";

/** "1.2 MB of 1 GB stored · 3 MB of 5 GB served this month · 14 files" under the page title. */
export function UsageLine() {
  const usage = useFilesUsage();
  if (!usage.data) return <span aria-hidden="true">&nbsp;</span>;
  const u = usage.data;
  const of = (used: number, limit: number | null) => (limit === null ? formatBytes(used) : `${formatBytes(used)} of ${formatBytes(limit)}`);
  return (
    <span data-testid="files-usage">
      {of(u.storage_bytes, u.storage_limit)} stored · {of(u.bandwidth_bytes, u.bandwidth_limit)} served this month ·{" "}
      {u.files.toLocaleString("en-US")} file{u.files === 1 ? "" : "s"}
      {u.trashed_files > 0 && ` (${u.trashed_files.toLocaleString("en-US")} in the trash)`} ·{" "}
      <Link to="/settings/billing" search={{ checkout: undefined }} className="text-accent underline">
        Usage and limits
      </Link>
    </span>
  );
}
