import type { FileItem, Folder } from "./types";

/** What the grid and the list views both take. Item keys are "folder:<id>" / "file:<id>". */
export interface ItemViewProps {
  folders: Folder[];
  files: FileItem[];
  selected: Set<string>;
  activeId: string | null;
  onOpenFolder: (id: string) => void;
  onOpenFile: (id: string) => void;
  onToggle: (key: string) => void;
  onDelete: (key: string) => void;
  onSelectAll: () => void;
  trash: boolean;
}
