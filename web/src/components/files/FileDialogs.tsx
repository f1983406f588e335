import { useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { useFileActions } from "./actions";
import { MoveDialog, NameDialog, TagsDialog } from "./dialogs";
import type { FileItem, Folder } from "./types";

export type DialogState =
  | { kind: "new-folder"; parentId: string | null }
  | { kind: "rename-file"; file: FileItem }
  | { kind: "rename-folder"; folder: Folder }
  | { kind: "delete-folder"; folder: Folder }
  | { kind: "move" | "tag" | "untag" | "trash" | "forever"; ids: string[] }
  | null;

export function useDialogs() {
  const [state, setState] = useState<DialogState>(null);
  return { state, open: setState, close: () => setState(null) };
}

const files = (n: number) => (n === 1 ? "this file" : `these ${n} files`);

/** The dialogs of the file manager, one at a time; destructive ones ask first. */
export function FileDialogs({
  state,
  onClose,
  folderId,
  onDone,
}: {
  state: DialogState;
  onClose: () => void;
  folderId: string | null;
  /** After a change succeeded: what was done and to which ids (files, or the folder). */
  onDone: (kind: NonNullable<DialogState>["kind"], ids: string[]) => void;
}) {
  const { bulk, update, createFolder, renameFolder, deleteFolder } = useFileActions();
  const [recursive, setRecursive] = useState(false);
  if (!state) return null;
  const finish = (ids: string[]) => () => {
    onDone(state.kind, ids);
    setRecursive(false);
    onClose();
  };
  const fieldError = (e: unknown) => (e instanceof ApiError ? (e.field("name") ?? errorMessage(e)) : e ? errorMessage(e) : undefined);

  switch (state.kind) {
    case "new-folder":
      return (
        <NameDialog
          title="New folder"
          label="Folder name"
          initial=""
          submitLabel="Create folder"
          busy={createFolder.isPending}
          error={fieldError(createFolder.error)}
          onClose={() => {
            createFolder.reset();
            onClose();
          }}
          onSubmit={(name) => createFolder.mutate({ name, parent_id: state.parentId }, { onSuccess: finish([]) })}
        />
      );
    case "rename-file":
      return (
        <NameDialog
          title="Rename file"
          label="File name"
          initial={state.file.name}
          submitLabel="Rename"
          busy={update.isPending}
          error={fieldError(update.error)}
          onClose={() => {
            update.reset();
            onClose();
          }}
          onSubmit={(name) => update.mutate({ id: state.file.id, name }, { onSuccess: finish([state.file.id]) })}
        />
      );
    case "rename-folder":
      return (
        <NameDialog
          title="Rename folder"
          label="Folder name"
          initial={state.folder.name}
          submitLabel="Rename"
          busy={renameFolder.isPending}
          error={fieldError(renameFolder.error)}
          onClose={() => {
            renameFolder.reset();
            onClose();
          }}
          onSubmit={(name) => renameFolder.mutate({ id: state.folder.id, name }, { onSuccess: finish([state.folder.id]) })}
        />
      );
    case "delete-folder":
      return (
        <ConfirmDialog
          open
          title={`Delete the folder ${state.folder.name}?`}
          confirmLabel="Delete folder"
          busy={deleteFolder.isPending}
          onClose={onClose}
          onConfirm={() => deleteFolder.mutate({ id: state.folder.id, recursive }, { onSuccess: finish([state.folder.id]) })}
        >
          <span className="block">Its files move to the trash, where they can be restored for 30 days.</span>
          <label className="mt-3 flex items-center gap-2 text-fg">
            <input
              type="checkbox"
              checked={recursive}
              onChange={(e) => setRecursive(e.target.checked)}
              className="size-4 accent-[var(--accent)]"
            />
            Also delete its subfolders
          </label>
        </ConfirmDialog>
      );
    case "move":
      return (
        <MoveDialog
          count={state.ids.length}
          startFolder={folderId}
          busy={bulk.isPending}
          onClose={onClose}
          onMove={(to) => bulk.mutate({ action: "move", ids: state.ids, folder_id: to }, { onSuccess: finish(state.ids) })}
        />
      );
    case "tag":
    case "untag":
      return (
        <TagsDialog
          count={state.ids.length}
          mode={state.kind}
          busy={bulk.isPending}
          onClose={onClose}
          onSubmit={(tags) =>
            bulk.mutate({ action: state.kind as "tag" | "untag", ids: state.ids, tags }, { onSuccess: finish(state.ids) })
          }
        />
      );
    case "trash":
      return (
        <ConfirmDialog
          open
          title={state.ids.length === 1 ? "Move this file to the trash?" : `Move ${state.ids.length} files to the trash?`}
          confirmLabel="Move to trash"
          busy={bulk.isPending}
          onClose={onClose}
          onConfirm={() => bulk.mutate({ action: "trash", ids: state.ids }, { onSuccess: finish(state.ids) })}
        >
          Links to {files(state.ids.length)} stop working. You can restore {state.ids.length === 1 ? "it" : "them"} from the trash for 30
          days.
        </ConfirmDialog>
      );
    case "forever":
      return (
        <ConfirmDialog
          open
          title={state.ids.length === 1 ? "Delete this file forever?" : `Delete ${state.ids.length} files forever?`}
          confirmLabel="Delete forever"
          busy={bulk.isPending}
          onClose={onClose}
          onConfirm={() => bulk.mutate({ action: "delete", ids: state.ids }, { onSuccess: finish(state.ids) })}
        >
          The bytes of {files(state.ids.length)} are erased and the storage is freed. This cannot be undone.
        </ConfirmDialog>
      );
  }
}
