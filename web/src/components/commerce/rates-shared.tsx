import { useMutation } from "@tanstack/react-query";
import { api, errorMessage } from "../../lib/api";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { toast } from "../ui/Toast";

/** Pieces the tax and shipping rate cards share. */
export const pct = (ppm: number) => `${(ppm / 10_000).toLocaleString(undefined, { maximumFractionDigits: 4 })}%`;

export function useDelete(kind: "tax-rates" | "shipping-rates", onDone: () => void) {
  return useMutation({
    mutationFn: (id: string) =>
      kind === "tax-rates"
        ? api("DELETE /api/v1/commerce/tax-rates/{id}", { params: { id } })
        : api("DELETE /api/v1/commerce/shipping-rates/{id}", { params: { id } }),
    onSuccess: () => {
      toast.success("Rate deleted");
      onDone();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
}

export function ConfirmDelete({
  what,
  onCancel,
  onConfirm,
  busy,
}: {
  what: string | null;
  onCancel: () => void;
  onConfirm: () => void;
  busy: boolean;
}) {
  return (
    <Dialog
      open={what !== null}
      onClose={onCancel}
      size="sm"
      title={`Delete ${what ?? ""}?`}
      description="Checkouts from now on no longer use it. Orders already placed keep their amounts."
      footer={
        <>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button variant="danger" loading={busy} onClick={onConfirm}>
            Delete
          </Button>
        </>
      }
    />
  );
}
