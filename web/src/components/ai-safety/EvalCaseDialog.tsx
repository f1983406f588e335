import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { EvalCase, EvalExpectation } from "./types";

const KINDS: { key: EvalExpectation["kind"]; label: string; value: "text" | "number" | "none" }[] = [
  { key: "must_cite", label: "Must cite a source", value: "none" },
  { key: "must_include", label: "Must include", value: "text" },
  { key: "must_not_include", label: "Must not mention", value: "text" },
  { key: "max_words", label: "At most (words)", value: "number" },
  { key: "min_words", label: "At least (words)", value: "number" },
  { key: "tone", label: "Tone", value: "text" },
];

/** Create or edit an evaluation case: a prompt and the properties its answer must have. */
export function EvalCaseDialog({ open, onClose, existing }: { open: boolean; onClose: () => void; existing?: EvalCase }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [prompt, setPrompt] = useState("");
  const [grounded, setGrounded] = useState(false);
  const [exp, setExp] = useState<EvalExpectation[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens
  useEffect(() => {
    if (!open) return;
    setName(existing?.name ?? "");
    setPrompt(existing?.prompt ?? "");
    setGrounded(existing?.grounded ?? false);
    setExp(existing?.expectations ?? [{ kind: "max_words", value: 120 }]);
  }, [open]);
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), prompt: prompt.trim(), grounded, expectations: exp };
      return existing ? call("PATCH", `/ai/evals/cases/${existing.id}`, { body }) : call("POST", "/ai/evals/cases", { body });
    },
    onSuccess: () => {
      toast.success("Case saved.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "ai-safety", "evals") });
      onClose();
    },
  });
  const err = (k: string) => (save.error instanceof ApiError ? save.error.field(k) : undefined);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={existing ? "Edit case" : "New evaluation case"}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!name.trim() || !prompt.trim()} loading={save.isPending} onClick={() => save.mutate()}>
            Save
          </Button>
        </>
      }
    >
      <div className="space-y-3">
        <Field label="Name" error={err("name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Prompt" error={err("prompt")}>
          <Textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={grounded} onChange={(e) => setGrounded(e.target.checked)} /> Answer from the knowledge base
        </label>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Expected properties</legend>
          {exp.map((x, i) => {
            const kind = KINDS.find((k) => k.key === x.kind);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: expectations have no ids; the inputs are controlled, so a removed row cannot leave stale state
              <div key={`${i}-${x.kind}`} className="grid grid-cols-[1fr_1fr_auto] items-end gap-2">
                <Field label="Property" hideLabel>
                  <Select
                    value={x.kind}
                    onChange={(e) =>
                      setExp((l) =>
                        l.map((y, j) =>
                          j === i
                            ? { kind: e.target.value as EvalExpectation["kind"], value: e.target.value === "tone" ? "neutral" : undefined }
                            : y,
                        ),
                      )
                    }
                  >
                    {KINDS.map((k) => (
                      <option key={k.key} value={k.key}>
                        {k.label}
                      </option>
                    ))}
                  </Select>
                </Field>
                {kind?.value === "none" ? (
                  <span />
                ) : x.kind === "tone" ? (
                  <Field label="Tone" hideLabel>
                    <Select
                      value={String(x.value ?? "neutral")}
                      onChange={(e) => setExp((l) => l.map((y, j) => (j === i ? { ...y, value: e.target.value } : y)))}
                    >
                      <option value="neutral">Neutral</option>
                      <option value="friendly">Friendly</option>
                      <option value="formal">Formal</option>
                    </Select>
                  </Field>
                ) : (
                  <Field label="Value" hideLabel error={err(`expectations.${i}.value`)}>
                    <Input
                      type={kind?.value === "number" ? "number" : "text"}
                      value={x.value ?? ""}
                      onChange={(e) =>
                        setExp((l) =>
                          l.map((y, j) =>
                            j === i ? { ...y, value: kind?.value === "number" ? Number(e.target.value) : e.target.value } : y,
                          ),
                        )
                      }
                    />
                  </Field>
                )}
                <Button variant="ghost" size="sm" onClick={() => setExp((l) => l.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              </div>
            );
          })}
          <Button size="sm" variant="secondary" onClick={() => setExp((l) => [...l, { kind: "must_not_include", value: "" }])}>
            Add a property
          </Button>
        </fieldset>
        {save.isError && !(save.error instanceof ApiError && save.error.problem.errors?.length) && (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(save.error)}
          </p>
        )}
      </div>
    </Dialog>
  );
}
