import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import { call } from "./request";
import type { Stage } from "./types";

/** A new deal in a stage (amount in major units, sent as minor units). */
export function DealDialog({ open, onClose, stages, leadId }: { open: boolean; onClose: () => void; stages: Stage[]; leadId?: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [stageId, setStageId] = useState("");
  const [close, setClose] = useState("");
  const save = useMutation({
    mutationFn: () =>
      call("POST", "/sales/deals", {
        body: {
          name: name.trim(),
          stage_id: stageId || stages[0]?.id,
          amount_minor: Math.round(Number(amount || 0) * 100),
          currency,
          lead_id: leadId ?? null,
          expected_close_at: close ? new Date(`${close}T00:00:00Z`).toISOString() : null,
        },
      }),
    onSuccess: () => {
      toast.success("Deal created.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "deals") });
      setName("");
      setAmount("");
      onClose();
    },
  });
  const err = (k: string) => (save.error instanceof ApiError ? save.error.field(k) : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} title="New deal">
      <form onSubmit={submit} className="space-y-3" noValidate>
        <Field label="Name" error={err("name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <div className="grid grid-cols-[1fr_6rem] gap-3">
          <Field label="Amount" error={err("amount_minor")}>
            <Input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0" />
          </Field>
          <Field label="Currency" error={err("currency")}>
            <Input value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
          </Field>
        </div>
        <Field label="Stage" error={err("stage_id")}>
          <Select value={stageId || stages[0]?.id} onChange={(e) => setStageId(e.target.value)}>
            {stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Expected close" error={err("expected_close_at")}>
          <Input type="date" value={close} onChange={(e) => setClose(e.target.value)} />
        </Field>
        {save.isError && !(save.error instanceof ApiError && save.error.problem.errors?.length) && (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(save.error)}
          </p>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!name.trim()} loading={save.isPending}>
            Create deal
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
