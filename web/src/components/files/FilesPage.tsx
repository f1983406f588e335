import { useNavigate } from "@tanstack/react-router";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { errorMessage } from "../../lib/api";
import { useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import { Dialog } from "../ui/Dialog";
import { Menu } from "../ui/Menu";
import { TableSkeleton } from "../ui/Skeleton";
import { useFileActions } from "./actions";
import { BulkBar } from "./BulkBar";
import { DetailsPane } from "./DetailsPane";
import { FileDialogs, useDialogs } from "./FileDialogs";
import { FileGrid } from "./FileGrid";
import { FileTable, type SortState } from "./FileTable";
import { EmptyFiles } from "./EmptyFiles";
import { FilesHeader } from "./FilesHeader";
import { UploadRulesDialog } from "./UploadRulesDialog";
import { PreviewDialog } from "./Preview";
import { useFileList, useFolderPath, useFolders, useInvalidateFiles } from "./queries";
import { Breadcrumb, Toolbar, ViewToggle, type ViewMode } from "./Toolbar";
import { UploadPanel } from "./UploadPanel";
import { enqueueUploads, onUploaded } from "./uploads";
import { useDebounced, useMediaQuery, useStoredState } from "./hooks";
import type { FileItem } from "./types";

const DEFAULT_SORT: SortState = { key: "created_at", order: "desc" };

export interface FilesSearch {
  folder?: string;
  view?: "trash";
  /** A file whose details are open (links from the command palette). */
  file?: string;
}

/** The file manager: folders, grid/list, search, tags, uploads, details, trash. */
export function FilesPage({ search }: { search: FilesSearch }) {
  const ws = useWorkspace();
  const navigate = useNavigate();
  const canWrite = ws.can("files:write");
  const trash = search.view === "trash";
  const folderId = trash ? null : (search.folder ?? null);
  const [view, setView] = useStoredState<ViewMode>("weft.files.view", "grid", (v) => v === "grid" || v === "list");
  const [searchText, setSearchText] = useState("");
  const q = useDebounced(searchText.trim(), 250);
  const [tag, setTag] = useState("");
  const [rulesOpen, setRulesOpen] = useState(false);
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  const sortIsDefault = sort.key === DEFAULT_SORT.key && sort.order === DEFAULT_SORT.order;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [activeId, setActiveId] = useState<string | null>(search.file ?? null);
  const [preview, setPreview] = useState<FileItem | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const wide = useMediaQuery("(min-width: 1024px)");
  const invalidate = useInvalidateFiles();
  const dialogs = useDialogs();
  const { bulk } = useFileActions();
  const restore = (ids: string[]) =>
    bulk.mutate(
      { action: "restore", ids },
      {
        onSuccess: () => {
          setSelected(new Set());
          if (activeId && ids.includes(activeId)) setActiveId(null);
        },
      },
    );

  // A name search covers every folder (the API ignores folder_id with q); a tag filter stays in the folder.
  const filtering = Boolean(q || tag);
  const list = useFileList({
    folder_id: q || trash ? undefined : (folderId ?? undefined),
    q: q || undefined,
    tag: tag || undefined,
    // The trash's own default order is newest trashed first: ask for another order only when one is picked.
    sort: trash && sortIsDefault ? undefined : sort.key,
    order: trash && sortIsDefault ? undefined : sort.order,
    trashed: trash || undefined,
  });
  const folders = useFolders(folderId, !trash && !filtering);
  const path = useFolderPath(folderId);
  const files = list.data?.pages.flatMap((p) => p.data) ?? [];
  const shownFolders = trash || filtering ? [] : (folders.data?.data ?? []);

  // A new place or filter starts with nothing selected.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the place or the filter changes
  useEffect(() => setSelected(new Set()), [folderId, trash, q, tag]);
  useEffect(() => {
    if (search.file) setActiveId(search.file);
  }, [search.file]);
  useEffect(() => {
    const off = onUploaded(() => void invalidate());
    return () => {
      off();
    };
  }, [invalidate]);

  const openFolder = (id: string) => navigate({ to: "/files", search: { folder: id } });
  const toggle = (key: string) => {
    if (!key.startsWith("file:")) return;
    const id = key.slice(5);
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  };
  const selectAll = () => setSelected((s) => (files.every((f) => s.has(f.id)) ? new Set() : new Set(files.map((f) => f.id))));
  const onDeleteKey = (key: string) => {
    if (!canWrite) return;
    const [kind, id = ""] = key.split(":");
    if (kind === "folder") {
      const folder = shownFolders.find((f) => f.id === id);
      if (folder) dialogs.open({ kind: "delete-folder", folder });
      return;
    }
    const ids = selected.has(id) ? [...selected] : [id];
    dialogs.open({ kind: trash ? "forever" : "trash", ids });
  };
  const upload = (fs: FileList | File[]) => {
    if (!canWrite || trash) return;
    enqueueUploads(Array.from(fs), { folderId });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) upload(e.dataTransfer.files);
  };
  const fileActions = {
    onPreview: setPreview,
    onRename: (f: FileItem) => dialogs.open({ kind: "rename-file", file: f }),
    onMove: (f: FileItem) => dialogs.open({ kind: "move", ids: [f.id] }),
    onTrash: (f: FileItem) => dialogs.open({ kind: "trash", ids: [f.id] }),
    onRestore: (f: FileItem) => restore([f.id]),
    onDeleteForever: (f: FileItem) => dialogs.open({ kind: "forever", ids: [f.id] }),
    onOpenFile: setActiveId,
  };
  const viewProps = {
    folders: shownFolders,
    files,
    selected,
    activeId,
    onOpenFolder: openFolder,
    onOpenFile: setActiveId,
    onToggle: toggle,
    onDelete: onDeleteKey,
    onSelectAll: selectAll,
    trash,
  };
  const currentFolder = path.data?.data.at(-1);

  return (
    <>
      <FilesHeader
        trash={trash}
        canWrite={canWrite}
        onNewFolder={() => dialogs.open({ kind: "new-folder", parentId: folderId })}
        onRules={() => setRulesOpen(true)}
        onUpload={upload}
        fileInput={fileInput}
      />
      <div className={cx("gap-6", wide && "grid grid-cols-[minmax(0,1fr)_20rem] items-start")}>
        <section
          aria-label={trash ? "Trash" : currentFolder ? `Folder ${currentFolder.name}` : "All files"}
          onDragOver={(e) => {
            if (!canWrite || trash) return;
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
          }}
          onDrop={onDrop}
          data-testid="file-dropzone"
          className={cx(
            "@container relative min-h-80 rounded-xl border bg-surface shadow-sm",
            dragging ? "border-accent ring-2 ring-accent" : "border-line",
          )}
        >
          <Toolbar search={searchText} onSearch={setSearchText} tag={tag} onTag={setTag} sort={sort} onSort={setSort} />
          <div className="flex flex-wrap items-center justify-between gap-3 px-4 pt-3">
            {trash && !filtering ? (
              <p className="text-sm text-muted">{sortIsDefault ? "Newest trashed first" : "In the trash"}</p>
            ) : filtering ? (
              <p className="text-sm text-muted" aria-live="polite">
                {list.isFetching
                  ? "Searching…"
                  : `${files.length}${list.hasNextPage ? "+" : ""} matching file${files.length === 1 ? "" : "s"} ${q ? "in all folders" : "in this folder"}`}
              </p>
            ) : (
              <span className="flex min-w-0 items-center gap-1">
                <Breadcrumb path={path.data?.data ?? []} />
                {folderId && currentFolder && canWrite && (
                  <Menu
                    label="Folder actions"
                    buttonLabel={`Actions for folder ${currentFolder.name}`}
                    button={<span aria-hidden="true">⋯</span>}
                    buttonClassName="inline-flex size-7 items-center justify-center rounded-md text-muted hover:bg-subtle"
                    align="start"
                    items={[
                      { label: "Rename folder…", onSelect: () => dialogs.open({ kind: "rename-folder", folder: currentFolder }) },
                      {
                        label: "Delete folder…",
                        danger: true,
                        onSelect: () => dialogs.open({ kind: "delete-folder", folder: currentFolder }),
                      },
                    ]}
                  />
                )}
              </span>
            )}
            <ViewToggle view={view} onView={setView} />
          </div>
          <p className="sr-only">
            Arrow keys move between items, Space selects a file, Enter opens it, Delete moves the selection to the trash.
          </p>
          <UploadPanel />
          <BulkBar
            count={selected.size}
            trash={trash}
            canWrite={canWrite}
            onClear={() => setSelected(new Set())}
            onAction={(a) => {
              const ids = [...selected];
              if (a === "restore") restore(ids);
              else dialogs.open({ kind: a === "delete" ? "forever" : a, ids });
            }}
          />
          {list.isPending ? (
            <TableSkeleton rows={4} />
          ) : list.isError ? (
            <p role="alert" className="p-4 text-sm text-danger">
              {errorMessage(list.error)}
            </p>
          ) : files.length === 0 && shownFolders.length === 0 ? (
            <EmptyFiles
              trash={trash}
              filtering={filtering}
              inFolder={Boolean(folderId)}
              canWrite={canWrite}
              onUpload={() => fileInput.current?.click()}
            />
          ) : view === "grid" ? (
            <FileGrid {...viewProps} />
          ) : (
            <FileTable {...viewProps} sort={sort} onSort={setSort} />
          )}
          {list.hasNextPage && (
            <div className="border-t border-line p-3 text-center">
              <Button variant="secondary" size="sm" loading={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
                Load more
              </Button>
            </div>
          )}
          {dragging && (
            <div className="pointer-events-none absolute inset-0 flex items-center justify-center rounded-xl bg-accent-soft/80 text-base font-medium text-accent">
              Drop to upload{currentFolder ? ` to ${currentFolder.name}` : ""}
            </div>
          )}
        </section>
        {wide && (
          <aside aria-label="File details" className="sticky top-4 rounded-xl border border-line bg-surface shadow-sm">
            {activeId ? (
              <DetailsPane id={activeId} canWrite={canWrite} actions={fileActions} onClose={() => setActiveId(null)} />
            ) : (
              <p className="p-5 text-sm text-muted">Select a file to see its details, preview it and share a link.</p>
            )}
          </aside>
        )}
      </div>
      {!wide && activeId && (
        <Dialog
          open
          onClose={() => setActiveId(null)}
          title={files.find((f) => f.id === activeId)?.name ?? "File details"}
          footer={
            <Button variant="secondary" onClick={() => setActiveId(null)}>
              Close
            </Button>
          }
        >
          <div className="-mx-6">
            <DetailsPane id={activeId} canWrite={canWrite} actions={fileActions} hideHeading />
          </div>
        </Dialog>
      )}
      {preview && <PreviewDialog file={preview} onClose={() => setPreview(null)} />}
      {rulesOpen && <UploadRulesDialog onClose={() => setRulesOpen(false)} />}
      <FileDialogs
        state={dialogs.state}
        onClose={dialogs.close}
        folderId={folderId}
        onDone={(kind, ids) => {
          setSelected(new Set());
          if (activeId && ids.includes(activeId) && (kind === "trash" || kind === "forever")) setActiveId(null);
          if (kind === "delete-folder" && currentFolder && ids.includes(currentFolder.id))
            navigate({ to: "/files", search: currentFolder.parent_id ? { folder: currentFolder.parent_id } : {} });
        }}
      />
    </>
  );
}
