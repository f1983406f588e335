import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { Draft } from "./types";

/** Local stack only: reply to a sent email as if you were the lead (the dev inbox), to see reply detection stop the sequence. */
export function DevInboxReply({ draft }: { draft: Draft }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [text, setText] = useState("Thanks, this sounds interesting. Can we talk next week?");
  const reply = useMutation({
    mutationFn: () =>
      call<{ matched: boolean; sentiment: string | null; enrollment_stopped: boolean }>("POST", "/outreach/dev-inbox/reply", {
        body: { draft_id: draft.id, text: text.trim() },
      }),
    onSuccess: (r) => {
      toast.success(
        r.matched
          ? `Reply recorded (${r.sentiment ?? "neutral"})${r.enrollment_stopped ? ": the lead's sequence stopped." : "."}`
          : "The reply did not match a thread.",
      );
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <Card title="Reply as the lead" description="Dev inbox (local stack only): sends an inbound reply to this email's thread.">
      <Field label="Reply text">
        <Textarea value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <div className="mt-3 flex justify-end">
        <Button variant="secondary" disabled={!text.trim()} loading={reply.isPending} onClick={() => reply.mutate()}>
          Send reply
        </Button>
      </div>
    </Card>
  );
}
