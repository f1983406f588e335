import { useState, type ReactNode } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { CloseIcon, CopyIcon } from "../icons";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Spinner } from "../ui/Spinner";
import { useFileActions } from "./actions";
import { copyText } from "./clipboard";
import { FileThumb } from "./FileThumb";
import { formatBytes, typeLabel } from "./format";
import { LinkCopier } from "./LinkCopier";
import { useFile } from "./queries";
import type { FileItem } from "./types";

export interface DetailsActions {
  onPreview: (f: FileItem) => void;
  onRename: (f: FileItem) => void;
  onMove: (f: FileItem) => void;
  onTrash: (f: FileItem) => void;
  onRestore: (f: FileItem) => void;
  onDeleteForever: (f: FileItem) => void;
  onOpenFile: (id: string) => void;
}

/** Everything about one file: preview, facts (size, type, SHA-256, uploader, duplicate of), tags, public switch, signed link. */
export function DetailsPane({
  id,
  canWrite,
  onClose,
  actions,
  hideHeading = false,
}: {
  id: string;
  canWrite: boolean;
  onClose?: () => void;
  actions: DetailsActions;
  /** In a dialog titled with the file's name. */
  hideHeading?: boolean;
}) {
  const file = useFile(id);
  if (file.isPending)
    return (
      <p className="flex items-center gap-2 p-5 text-sm text-muted" role="status">
        <Spinner className="size-4" /> Loading…
      </p>
    );
  if (file.isError)
    return (
      <p role="alert" className="p-5 text-sm text-danger">
        {errorMessage(file.error)}
      </p>
    );
  const f = file.data;
  const trashed = Boolean(f.trashed_at);
  return (
    <div className={hideHeading ? "space-y-5 px-5 pb-5" : "space-y-5 p-5"} data-testid="file-details">
      {!hideHeading && (
        <div className="flex items-start justify-between gap-2">
          <h2 className="min-w-0 text-base font-semibold break-all">{f.name}</h2>
          {onClose && (
            <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close details" className="shrink-0 px-2">
              <CloseIcon className="size-4" />
            </Button>
          )}
        </div>
      )}
      <button
        type="button"
        onClick={() => actions.onPreview(f)}
        className="block w-full overflow-hidden rounded-lg border border-line"
        aria-label={`Preview ${f.name}`}
      >
        <FileThumb file={f} className="aspect-[4/3] w-full" iconClassName="size-12" />
      </button>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" onClick={() => actions.onPreview(f)}>
          Preview
        </Button>
        {!trashed && canWrite && (
          <>
            <Button size="sm" variant="secondary" onClick={() => actions.onRename(f)}>
              Rename
            </Button>
            <Button size="sm" variant="secondary" onClick={() => actions.onMove(f)}>
              Move
            </Button>
            <Button size="sm" variant="secondary" className="text-danger" onClick={() => actions.onTrash(f)}>
              Move to trash
            </Button>
          </>
        )}
        {trashed && canWrite && (
          <>
            <Button size="sm" variant="secondary" onClick={() => actions.onRestore(f)}>
              Restore
            </Button>
            <Button size="sm" variant="danger" onClick={() => actions.onDeleteForever(f)}>
              Delete forever
            </Button>
          </>
        )}
      </div>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
        <Fact label="Size">
          {formatBytes(f.size)} <span className="text-muted">({f.size.toLocaleString("en-US")} bytes)</span>
        </Fact>
        <Fact label="Type">
          {typeLabel(f.content_type)} <span className="block text-xs text-muted">{f.content_type}</span>
        </Fact>
        <Fact label="Uploaded">
          {formatDateTime(f.created_at)}
          {f.uploaded_by && <span className="block text-xs text-muted">by {f.uploaded_by.name}</span>}
        </Fact>
        {f.updated_at !== f.created_at && <Fact label="Changed">{formatDateTime(f.updated_at)}</Fact>}
        {trashed && <Fact label="Trashed">{formatDateTime(f.trashed_at)}</Fact>}
        <Fact label="SHA-256">
          <span className="flex items-start gap-1">
            <code className="min-w-0 font-mono text-xs break-all" data-testid="file-sha256">
              {f.sha256}
            </code>
            <Button
              size="sm"
              variant="ghost"
              className="h-6 shrink-0 px-1.5"
              onClick={() => copyText(f.sha256, "SHA-256")}
              aria-label="Copy SHA-256"
            >
              <CopyIcon className="size-3.5" />
            </Button>
          </span>
        </Fact>
        {f.duplicate_of && (
          <Fact label="Duplicate">
            Same bytes as{" "}
            <button type="button" className="text-accent underline" onClick={() => f.duplicate_of && actions.onOpenFile(f.duplicate_of)}>
              an earlier file
            </button>
          </Fact>
        )}
      </dl>
      <TagsEditor file={f} canWrite={canWrite && !trashed} />
      {!trashed && <PublicSwitch file={f} canWrite={canWrite} />}
      {!trashed && <LinkCopier file={f} />}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}

function TagsEditor({ file, canWrite }: { file: FileItem; canWrite: boolean }) {
  const { update } = useFileActions();
  const [text, setText] = useState("");
  const setTags = (tags: string[]) => update.mutate({ id: file.id, tags });
  const add = () => {
    const more = text
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
    if (more.length) setTags([...new Set([...file.tags, ...more])]);
    setText("");
  };
  return (
    <section aria-label="Tags" className="space-y-2">
      <h4 className="text-sm font-medium">Tags</h4>
      {file.tags.length === 0 && <p className="text-sm text-muted">No tags.</p>}
      <ul className="flex flex-wrap gap-1.5">
        {file.tags.map((t) => (
          <li key={t}>
            <Badge tone="accent" className="gap-1">
              {t}
              {canWrite && (
                <button
                  type="button"
                  onClick={() => setTags(file.tags.filter((x) => x !== t))}
                  aria-label={`Remove tag ${t}`}
                  className="rounded-full px-0.5 hover:bg-accent hover:text-accent-fg"
                >
                  ×
                </button>
              )}
            </Badge>
          </li>
        ))}
      </ul>
      {canWrite && (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <label className="sr-only" htmlFor={`tag-${file.id}`}>
            Add a tag
          </label>
          <input
            id={`tag-${file.id}`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Add a tag"
            className="h-8 min-w-0 flex-1 rounded-lg border border-line bg-surface px-2 text-sm"
          />
          <Button size="sm" variant="secondary" type="submit" disabled={!text.trim()} loading={update.isPending}>
            Add
          </Button>
        </form>
      )}
    </section>
  );
}

function PublicSwitch({ file, canWrite }: { file: FileItem; canWrite: boolean }) {
  const { update } = useFileActions();
  return (
    <section aria-label="Public access" className="space-y-2">
      <label className="flex items-center justify-between gap-3 text-sm">
        <span>
          <span className="block font-medium">Public link</span>
          <span className="block text-xs text-muted">Anyone with the link can open it; it never expires.</span>
        </span>
        <input
          type="checkbox"
          role="switch"
          aria-checked={file.public}
          checked={file.public}
          disabled={!canWrite || update.isPending}
          onChange={(e) => update.mutate({ id: file.id, public: e.target.checked })}
          className="size-5 shrink-0 accent-[var(--accent)]"
        />
      </label>
      {file.public && file.public_url && (
        <div className="flex gap-2">
          <input
            readOnly
            value={file.public_url}
            aria-label="Public URL"
            onFocus={(e) => e.target.select()}
            className="h-8 min-w-0 flex-1 rounded-lg border border-line bg-subtle px-2 font-mono text-xs"
          />
          <Button size="sm" variant="secondary" onClick={() => file.public_url && copyText(file.public_url, "Public link")}>
            Copy
          </Button>
        </div>
      )}
    </section>
  );
}
