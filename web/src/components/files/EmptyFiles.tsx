import { Button } from "../ui/Button";
import { EmptyState } from "../ui/EmptyState";
import { FolderIcon, TrashIcon, UploadIcon } from "./icons";

export function EmptyFiles({
  trash,
  filtering,
  inFolder,
  canWrite,
  onUpload,
}: {
  trash: boolean;
  filtering: boolean;
  inFolder: boolean;
  canWrite: boolean;
  onUpload: () => void;
}) {
  if (trash)
    return (
      <EmptyState icon={<TrashIcon />} title="The trash is empty">
        Deleted files wait here for 30 days before they are removed for good.
      </EmptyState>
    );
  if (filtering)
    return <EmptyState title="No files match">Try another name or tag. Search looks at file names in every folder.</EmptyState>;
  return (
    <EmptyState
      icon={inFolder ? <FolderIcon /> : <UploadIcon />}
      title={inFolder ? "This folder is empty" : "No files yet"}
      action={
        canWrite ? (
          <Button onClick={onUpload}>
            <UploadIcon className="size-4" />
            Upload files
          </Button>
        ) : undefined
      }
    >
      {canWrite
        ? "Drop files anywhere in this box, or choose them. Images get thumbnails; large files upload in parts and resume if the connection drops."
        : "Files your team uploads appear here."}
    </EmptyState>
  );
}
