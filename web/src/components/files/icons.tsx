import { strokeIcon } from "../icons";

/** Icons of the file manager (same stroke style as ../icons.tsx). */
export const FolderIcon = strokeIcon("M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z");
export const FileIcon = strokeIcon("M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9zM14 3v6h6");
export const ImageIcon = strokeIcon("M4 4h16v16H4zM4 16l5-5 4 4 3-3 4 4M15.5 8.5h.01");
export const VideoIcon = strokeIcon("M3 6h13v12H3zM16 10l5-3v10l-5-3");
export const TextIcon = strokeIcon("M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9zM14 3v6h6M8 13h8M8 17h6");
export const PdfIcon = strokeIcon("M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9zM14 3v6h6M8 15h1.5a1.5 1.5 0 0 0 0-3H8v5");
export const UploadIcon = strokeIcon("M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3");
export const GridIcon = strokeIcon("M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z");
export const TrashIcon = strokeIcon("M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3");
export const LinkIcon = strokeIcon("M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1");
export const FolderPlusIcon = strokeIcon("M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zM12 10v6M9 13h6");
