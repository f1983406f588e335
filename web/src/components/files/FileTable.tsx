import { useRef } from "react";
import { formatRelative } from "../../lib/format";
import { Badge } from "../ui/Badge";
import { cx } from "../ui/cx";
import { FileThumb } from "./FileThumb";
import { formatBytes, typeLabel } from "./format";
import { FolderIcon } from "./icons";
import type { ItemViewProps } from "./item-view";
import { useItemKeys } from "./keyboard";
import type { SortKey } from "./types";

export interface SortState {
  key: SortKey;
  order: "asc" | "desc";
}

/** The list view: a table whose headers sort on the server (the whole folder, not just the loaded page). */
export function FileTable(props: ItemViewProps & { sort: SortState; onSort: (s: SortState) => void }) {
  const { folders, files, selected, activeId, onOpenFolder, onOpenFile, onToggle, onDelete, onSelectAll, trash, sort, onSort } = props;
  const ref = useRef<HTMLTableSectionElement>(null);
  const keys = [...folders.map((f) => `folder:${f.id}`), ...files.map((f) => `file:${f.id}`)];
  const { onKeyDown, itemProps } = useItemKeys(ref, keys, { onToggle, onDelete, onSelectAll });
  const header = (key: SortKey, label: string, className?: string) => {
    const active = sort.key === key;
    return (
      <th
        scope="col"
        aria-sort={active ? (sort.order === "asc" ? "ascending" : "descending") : "none"}
        className={cx("px-3 py-2.5 font-medium", className)}
      >
        <button
          type="button"
          className="inline-flex items-center gap-1 uppercase hover:text-fg"
          onClick={() => onSort({ key, order: active && sort.order === "asc" ? "desc" : active ? "asc" : key === "name" ? "asc" : "desc" })}
        >
          {label}
          <span aria-hidden="true" className="text-[10px]">
            {active ? (sort.order === "asc" ? "▲" : "▼") : "↕"}
          </span>
        </button>
      </th>
    );
  };
  const allSelected = files.length > 0 && files.every((f) => selected.has(f.id));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{trash ? "Files in the trash" : "Folders and files"}</caption>
        <thead className="border-b border-line text-xs font-medium tracking-wide text-muted uppercase">
          <tr>
            <th scope="col" className="w-10 px-3 py-2.5">
              <input
                type="checkbox"
                checked={allSelected}
                disabled={files.length === 0}
                onChange={onSelectAll}
                aria-label="Select all files shown"
                className="size-4 accent-[var(--accent)]"
              />
            </th>
            {header("name", "Name", "w-full")}
            {header("size", "Size", "hidden @sm:table-cell")}
            <th scope="col" className="hidden px-3 py-2.5 font-medium @2xl:table-cell">
              Type
            </th>
            {header("created_at", "Uploaded", "hidden @md:table-cell")}
            <th scope="col" className="hidden px-3 py-2.5 font-medium @3xl:table-cell">
              Tags
            </th>
          </tr>
        </thead>
        <tbody ref={ref} onKeyDown={onKeyDown} className="divide-y divide-line">
          {folders.map((folder, i) => (
            <tr key={folder.id} className="hover:bg-subtle/60">
              <td className="px-3 py-2" />
              <td className="px-3 py-2" colSpan={5}>
                <button
                  type="button"
                  {...itemProps(`folder:${folder.id}`, i)}
                  onClick={() => onOpenFolder(folder.id)}
                  aria-label={`Folder ${folder.name}`}
                  className="inline-flex items-center gap-2 font-medium hover:underline"
                >
                  <FolderIcon className="size-5 text-accent" />
                  {folder.name}
                </button>
              </td>
            </tr>
          ))}
          {files.map((file, j) => {
            const isSel = selected.has(file.id);
            return (
              <tr key={file.id} className={cx("hover:bg-subtle/60", (isSel || activeId === file.id) && "bg-accent-soft/60")}>
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    checked={isSel}
                    onChange={() => onToggle(`file:${file.id}`)}
                    aria-label={`Select ${file.name}`}
                    className="size-4 accent-[var(--accent)]"
                  />
                </td>
                <td className="w-full max-w-0 px-3 py-2">
                  <button
                    type="button"
                    {...itemProps(`file:${file.id}`, folders.length + j)}
                    onClick={() => onOpenFile(file.id)}
                    aria-pressed={activeId === file.id}
                    className="flex w-full min-w-0 items-center gap-2 text-left font-medium hover:underline"
                  >
                    <FileThumb file={file} className="size-8 shrink-0 rounded" iconClassName="size-4" />
                    <span className="truncate">{file.name}</span>
                    {isSel && <span className="sr-only">, selected</span>}
                  </button>
                </td>
                <td className="hidden px-3 py-2 whitespace-nowrap text-muted tabular-nums @sm:table-cell">{formatBytes(file.size)}</td>
                <td className="hidden px-3 py-2 whitespace-nowrap text-muted @2xl:table-cell">{typeLabel(file.content_type)}</td>
                <td className="hidden px-3 py-2 whitespace-nowrap text-muted @md:table-cell">
                  <time dateTime={file.created_at}>{formatRelative(file.created_at)}</time>
                </td>
                <td className="hidden px-3 py-2 @3xl:table-cell">
                  <span className="flex flex-wrap gap-1">
                    {file.tags.map((t) => (
                      <Badge key={t}>{t}</Badge>
                    ))}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
