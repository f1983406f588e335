import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError, api, errorMessage } from "../../../lib/api";
import { useWorkspace } from "../../../lib/workspace";
import { FormError } from "../../AuthLayout";
import { PlusIcon } from "../../icons";
import { Button } from "../../ui/Button";
import { Dialog } from "../../ui/Dialog";
import { Skeleton } from "../../ui/Skeleton";
import { toast } from "../../ui/Toast";
import { Field, Input } from "../../ui/Field";
import { useEventNameList } from "../QueryInputs";
import { type ActivationSettings, gq, MAX_MILESTONES } from "./client";
import { MilestoneRow } from "./MilestoneRow";
import { type ActivationDraft, type DraftErrors, newMilestone, toConfig, toDraft, validate } from "./milestoneDraft";

/** The sign-up event and up to 10 milestones, in a dialog (analytics:manage). */
export function ActivationEditor({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ws = useWorkspace();
  const config = useQuery({ ...gq.config(ws.id), enabled: open });
  const formId = useId();
  const [saving, setSaving] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="Activation milestones"
      description="A person is activated when they reach every milestone, each within its number of days of signing up."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={saving} disabled={!config.data}>
            Save milestones
          </Button>
        </>
      }
    >
      {config.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(config.error)}
        </p>
      ) : !config.data ? (
        <div className="space-y-3" role="status" aria-label="Loading">
          <Skeleton className="h-16" />
          <Skeleton className="h-28" />
        </div>
      ) : (
        <EditorForm formId={formId} initial={config.data.config} onSaving={setSaving} onSaved={onClose} />
      )}
    </Dialog>
  );
}

function EditorForm({
  formId,
  initial,
  onSaving,
  onSaved,
}: {
  formId: string;
  initial: ActivationSettings | null;
  onSaving: (v: boolean) => void;
  onSaved: () => void;
}) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const { listId, datalist } = useEventNameList();
  const [draft, setDraft] = useState<ActivationDraft>(() => toDraft(initial));
  const [submitted, setSubmitted] = useState(false);
  const local: DraftErrors = submitted ? validate(draft) : {};
  const save = useMutation({
    mutationFn: () => api("PUT /api/v1/analytics/growth/activation-config", { body: toConfig(draft) }),
    onMutate: () => onSaving(true),
    onSettled: () => onSaving(false),
    onSuccess: (res) => {
      qc.setQueryData(gq.config(ws.id).queryKey, res);
      void qc.invalidateQueries({ queryKey: gq.all(ws.id) });
      toast.success("Activation milestones saved.");
      onSaved();
    },
  });
  const server = save.error instanceof ApiError ? save.error : undefined;
  const error = (path: string) => local[path] ?? server?.field(path);
  // A problem that is not about one field (e.g. "Milestone names must be unique.") shows above the form.
  const fieldless = save.error && !server?.problem.errors?.length ? errorMessage(save.error) : null;
  const ms = draft.milestones;
  const setMs = (milestones: ActivationDraft["milestones"]) => {
    setDraft({ ...draft, milestones });
    save.reset();
  };
  const move = (i: number, by: -1 | 1) => {
    const next = [...ms];
    const [m] = next.splice(i, 1);
    if (!m) return;
    next.splice(i + by, 0, m);
    setMs(next);
    // Keep focus on the moved milestone: its button of the same direction, or the other one at an edge.
    requestAnimationFrame(() => {
      const same = document.getElementById(`${m.id}-${by < 0 ? "up" : "down"}`) as HTMLButtonElement | null;
      const other = document.getElementById(`${m.id}-${by < 0 ? "down" : "up"}`) as HTMLButtonElement | null;
      (same && !same.disabled ? same : other)?.focus();
    });
  };
  const add = () => {
    const m = newMilestone();
    setMs([...ms, m]);
    requestAnimationFrame(() => (document.querySelector(`[data-milestone-name="${m.id}"]`) as HTMLInputElement | null)?.focus());
  };
  return (
    <form
      id={formId}
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (Object.keys(validate(draft)).length === 0) save.mutate();
      }}
    >
      {datalist}
      <FormError message={fieldless} />
      {server?.problem.errors?.length ? <FormError message="Some fields need a look — see the messages below." /> : null}
      <Field
        label="Sign-up event"
        hint="The first time a person does it starts their clock."
        error={error("signup_event")}
        className="max-w-sm"
      >
        <Input
          list={listId}
          value={draft.signup}
          onChange={(e) => {
            setDraft({ ...draft, signup: e.target.value });
            save.reset();
          }}
          placeholder="signed_up"
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      {ms.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line p-4 text-center text-sm text-muted">
          No milestones: the report will count sign-ups only.
        </p>
      ) : (
        <ol className="space-y-3" aria-label="Milestones">
          {ms.map((m, i) => (
            <MilestoneRow
              key={m.id}
              m={m}
              index={i}
              count={ms.length}
              listId={listId}
              error={(f) => error(`milestones.${i}.${f}`)}
              onChange={(patch) => setMs(ms.map((x) => (x.id === m.id ? { ...x, ...patch } : x)))}
              onMove={(by) => move(i, by)}
              onRemove={() => setMs(ms.filter((x) => x.id !== m.id))}
            />
          ))}
        </ol>
      )}
      {ms.length < MAX_MILESTONES ? (
        <Button variant="secondary" size="sm" onClick={add}>
          <PlusIcon className="size-4" /> Add milestone
        </Button>
      ) : (
        <p className="text-xs text-muted">That's the most milestones there can be ({MAX_MILESTONES}).</p>
      )}
    </form>
  );
}
