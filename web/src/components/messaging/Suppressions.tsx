import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { toast } from "../ui/Toast";

const REASON: Record<string, string> = {
  hard_bounce: "hard bounce",
  complaint: "spam complaint",
  unreachable: "number unreachable",
  opted_out: "opted out at the carrier",
};

/** Addresses the providers reported as undeliverable: sends to them are skipped until removed here. */
export function Suppressions() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: tkey(ws.id, "messaging", "suppressions"),
    queryFn: () => api("GET /api/v1/messaging/suppressions"),
    enabled: ws.can("messages:read"),
  });
  const remove = useMutation({
    mutationFn: (s: { channel: "email" | "sms"; recipient: string }) =>
      api("DELETE /api/v1/messaging/suppressions/{channel}/{recipient}", { params: s }),
    onSuccess: () => (
      toast.success("Removed: sends to this address resume"), qc.invalidateQueries({ queryKey: tkey(ws.id, "messaging", "suppressions") })
    ),
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (!list.data?.data.length) return null;
  return (
    <Card
      title="Suppressed addresses"
      description="Hard bounces, spam complaints and unreachable numbers reported by the providers. Later messages to them are logged as suppressed."
      className="mt-6"
    >
      <ul className="divide-y divide-line text-sm">
        {list.data.data.map((s) => (
          <li key={`${s.channel}:${s.recipient}`} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <span className="font-medium">{s.recipient}</span>{" "}
              <span className="text-muted">
                · {s.channel} · {REASON[s.reason] ?? s.reason}
                {s.provider ? ` (${s.provider})` : ""} · {formatDateTime(s.created_at)}
              </span>
            </span>
            {ws.can("messaging:manage") && (
              <Button
                size="sm"
                variant="secondary"
                loading={remove.isPending && remove.variables?.recipient === s.recipient}
                onClick={() => remove.mutate({ channel: s.channel, recipient: s.recipient })}
              >
                Remove<span className="sr-only">: {s.recipient}</span>
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
