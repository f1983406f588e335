import { Button } from "../ui/Button";

/** Appears while files are selected: what can be done to all of them at once. */
export function BulkBar({
  count,
  trash,
  canWrite,
  onClear,
  onAction,
}: {
  count: number;
  trash: boolean;
  canWrite: boolean;
  onClear: () => void;
  onAction: (a: "trash" | "move" | "tag" | "untag" | "restore" | "delete") => void;
}) {
  if (count === 0) return null;
  return (
    <section aria-label="Selection" className="flex flex-wrap items-center gap-2 border-b border-line bg-accent-soft/50 px-4 py-2 text-sm">
      <span className="font-medium" aria-live="polite">
        {count} selected
      </span>
      {canWrite && !trash && (
        <>
          <Button size="sm" variant="secondary" onClick={() => onAction("move")}>
            Move…
          </Button>
          <Button size="sm" variant="secondary" onClick={() => onAction("tag")}>
            Add tags…
          </Button>
          <Button size="sm" variant="secondary" onClick={() => onAction("untag")}>
            Remove tags…
          </Button>
          <Button size="sm" variant="secondary" className="text-danger" onClick={() => onAction("trash")}>
            Move to trash
          </Button>
        </>
      )}
      {canWrite && trash && (
        <>
          <Button size="sm" variant="secondary" onClick={() => onAction("restore")}>
            Restore
          </Button>
          <Button size="sm" variant="danger" onClick={() => onAction("delete")}>
            Delete forever
          </Button>
        </>
      )}
      <Button size="sm" variant="ghost" onClick={onClear}>
        Clear selection
      </Button>
    </section>
  );
}
