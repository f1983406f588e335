import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import { PROVIDER_LABEL, type SubscriptionDetail } from "./subscription-status";

interface Props {
  open: boolean;
  sub: SubscriptionDetail;
  onClose: () => void;
  onDone: (after: SubscriptionDetail) => void;
}

/**
 * Cancel through the provider: at the period's end (the customer keeps what they paid for and is
 * not charged again) or now (it ends at once, nothing is refunded). Once it is already set to end,
 * only "now" is left.
 */
export function CancelSubscriptionDialog({ open, sub, onClose, onDone }: Props) {
  const ending = sub.cancel_at_period_end;
  const [mode, setMode] = useState<"period_end" | "now">(ending ? "now" : "period_end");
  const [reason, setReason] = useState("");
  const periodEnd = sub.current_period_end ? formatDate(sub.current_period_end) : null;
  const close = () => {
    setReason("");
    setMode(ending ? "now" : "period_end");
    onClose();
  };
  const cancel = useMutation({
    mutationFn: () =>
      api("POST /api/v1/commerce/subscriptions/{id}/cancel", {
        params: { id: sub.id },
        body: { mode, reason: reason.trim() || undefined },
      }),
    onSuccess: (after) => {
      toast.success(mode === "now" ? "Subscription cancelled" : `Subscription ends ${periodEnd ?? "at the period's end"}`);
      onDone(after);
      close();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Cancel ${sub.email}'s subscription?`}
      description={`${sub.title} through ${PROVIDER_LABEL[sub.provider]}. The customer is emailed about the change.`}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Keep subscription
          </Button>
          <Button variant="danger" loading={cancel.isPending} onClick={() => cancel.mutate()}>
            {mode === "now" ? "Cancel now" : "Cancel at period end"}
          </Button>
        </>
      }
    >
      <div className="grid gap-4">
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">When</legend>
          {!ending && (
            <label className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="cancel-mode"
                className="mt-0.5 size-4 accent-accent"
                checked={mode === "period_end"}
                onChange={() => setMode("period_end")}
              />
              <span>
                At the end of the current period{periodEnd && ` (${periodEnd})`}
                <span className="block text-xs text-muted">It runs until then and is not charged again. You can resume it before.</span>
              </span>
            </label>
          )}
          <label className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="cancel-mode"
              className="mt-0.5 size-4 accent-accent"
              checked={mode === "now"}
              onChange={() => setMode("now")}
            />
            <span>
              Now
              <span className="block text-xs text-muted">It ends at once and cannot be resumed. Nothing is refunded.</span>
            </span>
          </label>
        </fieldset>
        <Field label="Reason (optional)" hint="Kept with the subscription and in the audit log.">
          <Textarea value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </Field>
      </div>
    </Dialog>
  );
}
