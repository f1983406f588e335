import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Button } from "../ui/Button";
import { copyText } from "./clipboard";
import { filesApi } from "./files-api";
import { EXPIRY_OPTIONS } from "./format";
import { LinkIcon } from "./icons";
import type { FileItem, LinkResult } from "./types";

/** Make a signed link with a chosen expiry and disposition, copy it, and show it (with when it stops working). */
export function LinkCopier({ file }: { file: FileItem }) {
  const id = useId();
  const [expires, setExpires] = useState<number>(86_400);
  const [disposition, setDisposition] = useState<"inline" | "attachment">("inline");
  const [link, setLink] = useState<LinkResult | null>(null);
  const make = useMutation({
    mutationFn: () => filesApi.link(file.id, { expires_in: expires, disposition }),
    onSuccess: (l) => {
      setLink(l);
      void copyText(l.url, "Signed link");
    },
  });
  const select = "h-8 rounded-lg border border-line bg-surface px-2 text-sm";
  return (
    <section aria-labelledby={`${id}-h`} className="space-y-2">
      <h4 id={`${id}-h`} className="text-sm font-medium">
        Share a signed link
      </h4>
      <div className="flex flex-wrap gap-2">
        <label className="sr-only" htmlFor={`${id}-exp`}>
          Link expires after
        </label>
        <select id={`${id}-exp`} value={expires} onChange={(e) => setExpires(Number(e.target.value))} className={select}>
          {EXPIRY_OPTIONS.map((o) => (
            <option key={o.seconds} value={o.seconds}>
              Expires in {o.label}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor={`${id}-disp`}>
          When opened
        </label>
        <select
          id={`${id}-disp`}
          value={disposition}
          onChange={(e) => setDisposition(e.target.value as "inline" | "attachment")}
          className={select}
        >
          <option value="inline">Opens in the browser</option>
          <option value="attachment">Downloads</option>
        </select>
      </div>
      <Button size="sm" onClick={() => make.mutate()} loading={make.isPending}>
        <LinkIcon className="size-4" />
        Copy signed link
      </Button>
      {make.isError && (
        <p role="alert" className="text-xs text-danger">
          {errorMessage(make.error)}
        </p>
      )}
      {link && (
        <div className="space-y-1">
          <input
            readOnly
            value={link.url}
            aria-label="Signed link"
            onFocus={(e) => e.target.select()}
            className="h-8 w-full rounded-lg border border-line bg-subtle px-2 font-mono text-xs"
          />
          <p className="text-xs text-muted">Works until {formatDateTime(link.expires_at)}.</p>
        </div>
      )}
    </section>
  );
}
