import { useMutation } from "@tanstack/react-query";
import { errorMessage } from "../../lib/api";
import { toast } from "../ui/Toast";
import { filesApi } from "./files-api";
import { useInvalidateFiles } from "./queries";
import type { BulkAction } from "./types";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** The writes of the file manager, each with its toast and a refresh of every files query. */
export function useFileActions() {
  const invalidate = useInvalidateFiles();
  const onError = (e: unknown) => toast.error(errorMessage(e));

  const bulk = useMutation({
    mutationFn: async (v: { action: BulkAction; ids: string[]; folder_id?: string | null; tags?: string[] }) => {
      // One file goes through its own endpoint; several through /bulk (one request, one D1 batch).
      if (v.ids.length === 1) {
        const id = v.ids[0] ?? "";
        if (v.action === "trash") return void (await filesApi.trash(id));
        if (v.action === "restore") return void (await filesApi.restore(id));
        if (v.action === "delete") return void (await filesApi.deleteForever(id));
        if (v.action === "move") return void (await filesApi.update(id, { folder_id: v.folder_id ?? null }));
      }
      await filesApi.bulk(v);
    },
    onSuccess: (_, v) => {
      const n = plural(v.ids.length, "file");
      const said = {
        trash: `${n} moved to the trash`,
        restore: `${n} restored`,
        delete: `${n} deleted for good`,
        move: `${n} moved`,
        tag: `Tags added to ${n}`,
        untag: `Tags removed from ${n}`,
      }[v.action];
      toast.success(said);
      void invalidate();
    },
    onError,
  });

  const update = useMutation({
    mutationFn: (v: { id: string; name?: string; tags?: string[]; public?: boolean }) => {
      const { id, ...body } = v;
      return filesApi.update(id, body);
    },
    onSuccess: (f, v) => {
      if (v.name !== undefined) toast.success(`Renamed to ${f.name}`);
      else if (v.public !== undefined)
        toast.success(f.public ? "Anyone with the public link can now open this file" : "The file is private again");
      void invalidate();
    },
    onError,
  });

  const createFolder = useMutation({
    mutationFn: (v: { name: string; parent_id: string | null }) => filesApi.createFolder(v),
    onSuccess: (f) => {
      toast.success(`Folder ${f.name} created`);
      void invalidate();
    },
    onError,
  });
  const renameFolder = useMutation({
    mutationFn: (v: { id: string; name: string }) => filesApi.updateFolder(v.id, { name: v.name }),
    onSuccess: (f) => {
      toast.success(`Folder renamed to ${f.name}`);
      void invalidate();
    },
    onError,
  });
  const deleteFolder = useMutation({
    mutationFn: (v: { id: string; recursive: boolean }) => filesApi.deleteFolder(v.id, v.recursive),
    onSuccess: () => {
      toast.success("Folder deleted; its files are in the trash");
      void invalidate();
    },
    onError,
  });

  return { bulk, update, createFolder, renameFolder, deleteFolder };
}
