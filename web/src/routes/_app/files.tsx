import { createFileRoute } from "@tanstack/react-router";
import { FilesPage, type FilesSearch } from "../../components/files/FilesPage";

export const Route = createFileRoute("/_app/files")({
  validateSearch: (s: Record<string, unknown>): FilesSearch => ({
    ...(typeof s.folder === "string" && s.folder ? { folder: s.folder } : {}),
    ...(s.view === "trash" ? { view: "trash" as const } : {}),
    ...(typeof s.file === "string" && s.file ? { file: s.file } : {}),
  }),
  component: FilesRoute,
});

function FilesRoute() {
  const search = Route.useSearch();
  return <FilesPage search={search} />;
}
