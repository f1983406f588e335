import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { FolderIcon } from "./icons";
import { useFolderPath, useFolders } from "./queries";

/** A one-field dialog: new folder, rename a file or a folder. */
export function NameDialog({
  title,
  label,
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  initial: string;
  submitLabel: string;
  busy?: boolean;
  error?: string;
  onSubmit: (name: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="files-name-form" loading={busy} disabled={!name.trim()}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        id="files-name-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onSubmit(name.trim());
        }}
      >
        <Field label={label} error={error}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={255} required autoFocus />
        </Field>
      </form>
    </Dialog>
  );
}

/** Pick a destination folder by browsing (root → subfolders), then "Move here". */
export function MoveDialog({
  count,
  startFolder,
  busy,
  onMove,
  onClose,
}: {
  count: number;
  startFolder: string | null;
  busy?: boolean;
  onMove: (folderId: string | null) => void;
  onClose: () => void;
}) {
  const [at, setAt] = useState<string | null>(startFolder);
  const folders = useFolders(at);
  const path = useFolderPath(at);
  return (
    <Dialog
      open
      onClose={onClose}
      title={count === 1 ? "Move file" : `Move ${count} files`}
      description="Open the folder to move into, then choose Move here."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => onMove(at)}>
            Move here
          </Button>
        </>
      }
    >
      <nav aria-label="Destination" className="mb-3 flex flex-wrap items-center gap-1 text-sm">
        <Button size="sm" variant="ghost" onClick={() => setAt(null)} aria-current={at === null ? "location" : undefined}>
          All files
        </Button>
        {path.data?.data.map((f) => (
          <span key={f.id} className="flex items-center gap-1">
            <span aria-hidden="true" className="text-muted">
              /
            </span>
            <Button size="sm" variant="ghost" onClick={() => setAt(f.id)} aria-current={at === f.id ? "location" : undefined}>
              {f.name}
            </Button>
          </span>
        ))}
      </nav>
      {folders.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(folders.error)}
        </p>
      ) : (
        <ul className="max-h-64 space-y-1 overflow-y-auto rounded-lg border border-line p-1" aria-label="Subfolders">
          {folders.data?.data.length === 0 && <li className="px-3 py-2 text-sm text-muted">No subfolders here.</li>}
          {folders.data?.data.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                onClick={() => setAt(f.id)}
                className="flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm hover:bg-subtle"
              >
                <FolderIcon className="size-4 text-accent" />
                {f.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

/** Comma-separated tags to add to (or remove from) the selected files. */
export function TagsDialog({
  count,
  mode,
  busy,
  onSubmit,
  onClose,
}: {
  count: number;
  mode: "tag" | "untag";
  busy?: boolean;
  onSubmit: (tags: string[]) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState("");
  const tags = parseTags(text);
  return (
    <Dialog
      open
      onClose={onClose}
      size="sm"
      title={mode === "tag" ? `Tag ${count} file${count === 1 ? "" : "s"}` : `Remove tags from ${count} file${count === 1 ? "" : "s"}`}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="files-tags-form" loading={busy} disabled={tags.length === 0}>
            {mode === "tag" ? "Add tags" : "Remove tags"}
          </Button>
        </>
      }
    >
      <form
        id="files-tags-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (tags.length) onSubmit(tags);
        }}
      >
        <Field label="Tags" hint="Separate tags with commas, e.g. invoices, 2026.">
          <Input value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        </Field>
      </form>
    </Dialog>
  );
}

export const parseTags = (s: string) => [
  ...new Set(
    s
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  ),
];
