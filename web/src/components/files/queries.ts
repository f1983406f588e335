import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { tkey, useWorkspace } from "../../lib/workspace";
import { filesApi, type ListQuery } from "./files-api";

const PAGE = 48;

/** One folder's files (or the search results, or the trash), page by page ("Load more"). */
export function useFileList(query: Omit<ListQuery, "cursor" | "limit">) {
  const ws = useWorkspace();
  return useInfiniteQuery({
    queryKey: tkey(ws.id, "files", "list", query),
    queryFn: ({ pageParam }) => filesApi.list({ ...query, limit: PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useFolders(parentId: string | null, enabled = true) {
  const ws = useWorkspace();
  return useQuery({
    queryKey: tkey(ws.id, "files", "folders", parentId),
    queryFn: () => filesApi.folders(parentId),
    enabled,
  });
}

/** Breadcrumb of a folder: root first. */
export function useFolderPath(folderId: string | null) {
  const ws = useWorkspace();
  return useQuery({
    queryKey: tkey(ws.id, "files", "path", folderId),
    queryFn: () => (folderId ? filesApi.folderPath(folderId) : Promise.resolve({ data: [] })),
  });
}

export function useFile(id: string | null) {
  const ws = useWorkspace();
  return useQuery({
    queryKey: tkey(ws.id, "files", "file", id),
    queryFn: () => filesApi.get(id ?? ""),
    enabled: Boolean(id),
  });
}

export function useFilesUsage() {
  const ws = useWorkspace();
  return useQuery({ queryKey: tkey(ws.id, "files", "usage"), queryFn: filesApi.usage });
}

/** A signed inline link for previews, kept for most of its hour. */
export function usePreviewLink(id: string | null, enabled = true) {
  const ws = useWorkspace();
  return useQuery({
    queryKey: tkey(ws.id, "files", "preview-link", id),
    queryFn: () => filesApi.link(id ?? "", { expires_in: 3600, disposition: "inline" }),
    enabled: Boolean(id) && enabled,
    staleTime: 45 * 60_000,
  });
}

export function useInvalidateFiles() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: tkey(ws.id, "files") });
}
