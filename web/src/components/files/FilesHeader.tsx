import { Link } from "@tanstack/react-router";
import type { RefObject } from "react";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { cx } from "../ui/cx";
import { FolderPlusIcon, TrashIcon, UploadIcon } from "./icons";
import { UsageLine } from "./UsageLine";

/** Title with the usage line, New folder / Upload (with the hidden file input) and the All files / Trash switch. */
export function FilesHeader({
  trash,
  canWrite,
  onNewFolder,
  onRules,
  onUpload,
  fileInput,
}: {
  trash: boolean;
  canWrite: boolean;
  onNewFolder: () => void;
  onRules: () => void;
  onUpload: (files: FileList) => void;
  fileInput: RefObject<HTMLInputElement | null>;
}) {
  const tab = (active: boolean) =>
    cx(
      "inline-flex items-center gap-1.5 rounded-lg px-3 py-1.5",
      active ? "bg-accent-soft font-medium text-accent" : "text-muted hover:bg-subtle",
    );
  return (
    <>
      <PageHeader
        title={trash ? "Trash" : "Files"}
        description={
          trash ? "Files in the trash are deleted for good after 30 days. Restore them before then, or delete them now." : <UsageLine />
        }
        actions={
          canWrite && !trash ? (
            <>
              <Button variant="secondary" onClick={onRules}>
                Upload rules
              </Button>
              <Button variant="secondary" onClick={onNewFolder}>
                <FolderPlusIcon className="size-4" />
                New folder
              </Button>
              <Button onClick={() => fileInput.current?.click()}>
                <UploadIcon className="size-4" />
                Upload files
              </Button>
            </>
          ) : undefined
        }
      />
      <input
        ref={fileInput}
        type="file"
        multiple
        className="sr-only"
        tabIndex={-1}
        aria-label="Choose files to upload"
        onChange={(e) => {
          if (e.target.files) onUpload(e.target.files);
          e.target.value = "";
        }}
      />
      <nav aria-label="File views" className="mb-4 flex gap-2 text-sm">
        <Link to="/files" className={tab(!trash)} aria-current={!trash ? "page" : undefined}>
          All files
        </Link>
        <Link to="/files" search={{ view: "trash" }} className={tab(trash)} aria-current={trash ? "page" : undefined}>
          <TrashIcon className="size-4" />
          Trash
        </Link>
      </nav>
    </>
  );
}
