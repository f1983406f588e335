import { useRef } from "react";
import { formatRelative } from "../../lib/format";
import { cx } from "../ui/cx";
import { FileThumb } from "./FileThumb";
import { formatBytes } from "./format";
import { FolderIcon } from "./icons";
import type { ItemViewProps } from "./item-view";
import { useItemKeys } from "./keyboard";

/** Tiles: folders first (open on Enter/click), then files (select with Space or the checkbox, open the details with Enter/click). */
export function FileGrid({
  folders,
  files,
  selected,
  activeId,
  onOpenFolder,
  onOpenFile,
  onToggle,
  onDelete,
  onSelectAll,
  trash,
}: ItemViewProps) {
  const ref = useRef<HTMLDivElement>(null);
  const keys = [...folders.map((f) => `folder:${f.id}`), ...files.map((f) => `file:${f.id}`)];
  const { onKeyDown, itemProps } = useItemKeys(ref, keys, { onToggle, onDelete, onSelectAll });
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the arrow keys move between the buttons inside (roving focus)
    <div ref={ref} onKeyDown={onKeyDown} className="space-y-3 p-4">
      {folders.length > 0 && (
        <ul aria-label="Folders" className="grid grid-cols-2 gap-3 @lg:grid-cols-3 @3xl:grid-cols-4">
          {folders.map((folder, i) => (
            <li key={folder.id}>
              <button
                type="button"
                {...itemProps(`folder:${folder.id}`, i)}
                onClick={() => onOpenFolder(folder.id)}
                aria-label={`Folder ${folder.name}`}
                className="flex w-full items-center gap-3 rounded-lg border border-line bg-surface p-3 text-left text-sm font-medium hover:bg-subtle"
              >
                <FolderIcon className="size-6 shrink-0 text-accent" />
                <span className="truncate">{folder.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul aria-label={trash ? "Files in the trash" : "Files"} className="grid grid-cols-2 gap-3 @lg:grid-cols-3 @3xl:grid-cols-4">
          {files.map((file, j) => {
            const isSel = selected.has(file.id);
            return (
              <li
                key={file.id}
                className={cx(
                  "group relative overflow-hidden rounded-lg border bg-surface",
                  isSel || activeId === file.id ? "border-accent ring-1 ring-accent" : "border-line",
                )}
              >
                <input
                  type="checkbox"
                  tabIndex={-1}
                  checked={isSel}
                  onChange={() => onToggle(`file:${file.id}`)}
                  aria-label={`Select ${file.name}`}
                  className={cx(
                    "absolute top-2 left-2 z-10 size-4 accent-[var(--accent)]",
                    isSel ? "opacity-100" : "opacity-0 group-hover:opacity-100 focus:opacity-100",
                  )}
                />
                <button
                  type="button"
                  {...itemProps(`file:${file.id}`, folders.length + j)}
                  onClick={() => onOpenFile(file.id)}
                  aria-pressed={activeId === file.id}
                  aria-describedby={`file-meta-${file.id}`}
                  className="block w-full text-left focus-visible:outline-offset-[-2px]"
                >
                  <FileThumb file={file} className="aspect-[4/3] w-full" />
                  <span className="block truncate px-3 pt-2 text-sm font-medium" title={file.name}>
                    {file.name}
                  </span>
                  <span id={`file-meta-${file.id}`} className="block px-3 pb-2 text-xs text-muted">
                    {formatBytes(file.size)} · {trash ? `trashed ${formatRelative(file.trashed_at)}` : formatRelative(file.created_at)}
                    {isSel ? " · selected" : ""}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
