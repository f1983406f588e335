import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "../../lib/api";
import { LOCAL_STACK } from "../../lib/local-stack";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Button } from "../ui/Button";
import { toast } from "../ui/Toast";

/**
 * Local stack only: runs what the cron runs every minute — due steps drafted, approved drafts scheduled,
 * due ones sent — for this workspace now, so a sequence can be tried without waiting.
 */
export function RunDueButton() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () => call<{ drafted: number; sent: number }>("POST", "/outreach/dev/run-due"),
    onSuccess: (r) => {
      toast.success(`Due steps run: ${r.drafted} drafted, ${r.sent} sent.`);
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (!LOCAL_STACK || !ws.can("sales:manage")) return null;
  return (
    <Button variant="secondary" loading={run.isPending} onClick={() => run.mutate()}>
      Run due steps now
    </Button>
  );
}
