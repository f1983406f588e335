import { useState } from "react";
import { cx } from "../ui/cx";
import { fileKind } from "./format";
import { FileIcon, ImageIcon, PdfIcon, TextIcon, VideoIcon } from "./icons";
import type { FileItem } from "./types";

const KIND_ICON = { image: ImageIcon, pdf: PdfIcon, video: VideoIcon, audio: VideoIcon, text: TextIcon, other: FileIcon };

/** The image thumbnail (a signed URL from the API) or an icon for the file's kind. */
export function FileThumb({ file, className, iconClassName }: { file: FileItem; className?: string; iconClassName?: string }) {
  const [broken, setBroken] = useState(false);
  const Icon = KIND_ICON[fileKind(file.content_type)];
  if (file.thumbnail_url && !broken)
    return (
      <img
        src={file.thumbnail_url}
        alt=""
        loading="lazy"
        decoding="async"
        onError={() => setBroken(true)}
        className={cx("object-cover", className)}
        data-testid="file-thumbnail"
      />
    );
  return (
    <span className={cx("flex items-center justify-center bg-subtle text-muted", className)} aria-hidden="true">
      <Icon className={iconClassName ?? "size-8"} />
    </span>
  );
}
