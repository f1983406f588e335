import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { buttonClass } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Spinner } from "../ui/Spinner";
import { fetchText } from "./client";
import { fileKind } from "./format";
import { usePreviewLink } from "./queries";
import type { FileItem } from "./types";

/**
 * The full preview of a file, on a signed inline link (the browser loads it without the API token):
 * images resized by the server, PDFs in the browser's viewer, video with seeking (range requests),
 * the first 64 KB of text files.
 */
export function PreviewDialog({ file, onClose }: { file: FileItem; onClose: () => void }) {
  const link = usePreviewLink(file.id);
  return (
    <Dialog open onClose={onClose} title={file.name} size="lg" footer={<CloseButton onClose={onClose} href={link.data?.url} />}>
      {link.isPending ? (
        <p className="flex items-center gap-2 text-sm text-muted" role="status">
          <Spinner className="size-4" /> Preparing the preview…
        </p>
      ) : link.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(link.error)}
        </p>
      ) : (
        <PreviewBody file={file} url={link.data.url} />
      )}
    </Dialog>
  );
}

function CloseButton({ onClose, href }: { onClose: () => void; href?: string }) {
  return (
    <>
      {href && (
        <a href={href} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")}>
          Open in a new tab
        </a>
      )}
      <button type="button" onClick={onClose} className={buttonClass("primary")}>
        Close
      </button>
    </>
  );
}

function PreviewBody({ file, url }: { file: FileItem; url: string }) {
  const kind = fileKind(file.content_type);
  if (kind === "image")
    return (
      <img
        src={`${url}&w=1600&h=1200&fit=scale-down`}
        alt={file.name}
        className="mx-auto max-h-[70vh] w-auto rounded-lg bg-subtle object-contain"
        data-testid="preview-image"
      />
    );
  if (kind === "pdf")
    return <iframe src={url} title={`PDF preview of ${file.name}`} className="h-[70vh] w-full rounded-lg border border-line bg-white" />;
  if (kind === "video")
    return (
      // biome-ignore lint/a11y/useMediaCaption: tenant uploads come without caption tracks
      <video src={url} controls preload="metadata" className="max-h-[70vh] w-full rounded-lg bg-black" aria-label={`Video ${file.name}`} />
    );
  if (kind === "audio")
    return (
      // biome-ignore lint/a11y/useMediaCaption: tenant uploads come without caption tracks
      <audio src={url} controls preload="metadata" className="w-full" aria-label={`Audio ${file.name}`} />
    );
  if (kind === "text") return <TextPreview id={file.id} url={url} />;
  return <p className="text-sm text-muted">There is no preview for this type of file. Open it in a new tab or download it.</p>;
}

function TextPreview({ id, url }: { id: string; url: string }) {
  const ws = useWorkspace();
  const text = useQuery({ queryKey: tkey(ws.id, "files", "text", id), queryFn: ({ signal }) => fetchText(url, 64 * 1024, signal) });
  if (text.isPending) return <Spinner className="size-5" />;
  if (text.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(text.error)}
      </p>
    );
  return (
    <>
      <section
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region without focusable content must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
        tabIndex={0}
        aria-label="File contents"
        className="max-h-[60vh] overflow-auto rounded-lg border border-line bg-subtle p-3"
      >
        <pre className="font-mono text-xs whitespace-pre-wrap break-words" data-testid="preview-text">
          {text.data.text}
        </pre>
      </section>
      {text.data.truncated && <p className="mt-2 text-xs text-muted">Showing the first 64 KB.</p>}
    </>
  );
}
