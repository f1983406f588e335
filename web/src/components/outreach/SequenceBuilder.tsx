import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { EnrollmentsPanel } from "./EnrollmentsPanel";
import { newVariant, StepEditor } from "./StepEditor";
import { type Mailbox, type Sequence, STATUS_TONE, type Step } from "./types";
import { VariantStats } from "./VariantStats";

type Action = "activate" | "pause" | "archive";

/** The sequence builder: name, mailbox, auto-send, steps (delays, conditions, A/B variants), lifecycle, enrolments, bandit figures. */
export function SequenceBuilder({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("sales:manage");
  const seq = useQuery({
    queryKey: tkey(ws.id, "outreach", "sequence", id),
    queryFn: () => call<Sequence>("GET", `/outreach/sequences/${id}`),
  });
  const mailboxes = useQuery({
    queryKey: tkey(ws.id, "outreach", "mailboxes"),
    queryFn: () => call<Page<Mailbox>>("GET", "/outreach/mailboxes", { query: { limit: 100 } }),
  });
  const [name, setName] = useState("");
  const [mailboxId, setMailboxId] = useState("");
  const [autoSend, setAutoSend] = useState(false);
  const [trackOpens, setTrackOpens] = useState(true);
  const [steps, setSteps] = useState<Step[]>([]);
  const [confirmAuto, setConfirmAuto] = useState(false);
  const [confirmArchive, setConfirmArchive] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the server copy once (and after a save), not on every refetch while editing
  useEffect(() => {
    if (!seq.data) return;
    setName(seq.data.name);
    setMailboxId(seq.data.mailbox_id ?? "");
    setAutoSend(seq.data.auto_send);
    setTrackOpens(seq.data.track_opens);
    setSteps(seq.data.steps);
  }, [seq.data?.updated_at]);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
  const save = useMutation({
    mutationFn: () =>
      call<Sequence>("PATCH", `/outreach/sequences/${id}`, {
        body: {
          name: name.trim(),
          mailbox_id: mailboxId || null,
          auto_send: autoSend,
          track_opens: trackOpens,
          steps: steps.map((s) => ({
            id: s.id,
            kind: s.kind,
            delay_minutes: s.delay_minutes,
            condition: s.condition,
            task_title: s.kind === "task" ? s.task_title || undefined : undefined,
            variants:
              s.kind === "email"
                ? s.variants.map((v) => ({
                    id: v.id,
                    label: v.label,
                    subject: v.subject,
                    body: v.body,
                    instructions: v.instructions,
                    active: v.active,
                  }))
                : undefined,
          })),
        },
      }),
    onSuccess: () => {
      toast.success("Sequence saved.");
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const lifecycle = useMutation({
    mutationFn: (a: Action) => call<Sequence>("POST", `/outreach/sequences/${id}/${a}`),
    onSuccess: (_s, a) => {
      toast.success(
        a === "activate"
          ? "Sequence active: enrolled leads start at their next sending window."
          : a === "pause"
            ? "Sequence paused."
            : "Sequence archived.",
      );
      setConfirmArchive(false);
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (seq.isPending) return <PageSkeleton />;
  if (seq.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(seq.error)}
      </p>
    );
  const s = seq.data;
  const stepErr = (i: number) =>
    save.error instanceof ApiError
      ? save.error.problem.errors?.filter((e) => e.path.startsWith(`steps.${i}`)).map((e) => e.message)
      : undefined;
  const move = (i: number, dir: -1 | 1) =>
    setSteps((list) => {
      const n = [...list];
      const [x] = n.splice(i, 1);
      if (x) n.splice(i + dir, 0, x);
      return n;
    });
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/outreach/sequences" className="text-muted hover:text-fg">
          ← Sequences
        </Link>
      </p>
      <PageHeader
        title={s.name}
        description={
          <span className="inline-flex items-center gap-2">
            <Badge tone={STATUS_TONE[s.status]}>{s.status}</Badge> {s.counts.enrolled} enrolled · {s.counts.active} active ·{" "}
            {s.counts.replied} replied
          </span>
        }
        actions={
          canManage && (
            <>
              {(s.status === "draft" || s.status === "paused") && (
                <Button
                  variant="secondary"
                  loading={lifecycle.isPending && lifecycle.variables === "activate"}
                  onClick={() => lifecycle.mutate("activate")}
                >
                  Activate
                </Button>
              )}
              {s.status === "active" && (
                <Button
                  variant="secondary"
                  loading={lifecycle.isPending && lifecycle.variables === "pause"}
                  onClick={() => lifecycle.mutate("pause")}
                >
                  Pause
                </Button>
              )}
              {s.status !== "archived" && (
                <Button variant="ghost" onClick={() => setConfirmArchive(true)}>
                  Archive
                </Button>
              )}
              <Button loading={save.isPending} onClick={() => save.mutate()}>
                Save
              </Button>
            </>
          )
        }
      />
      <div className="space-y-6">
        <Card title="Settings">
          <fieldset disabled={!canManage} className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" error={save.error instanceof ApiError ? save.error.field("name") : undefined}>
              <Input value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field
              label="Send from"
              hint={
                mailboxes.data?.data.length === 0 ? "Add a mailbox under Mailboxes first." : "Its sending window and daily limit apply."
              }
            >
              <Select value={mailboxId} onChange={(e) => setMailboxId(e.target.value)}>
                <option value="">Choose a mailbox…</option>
                {mailboxes.data?.data.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.from_name} &lt;{m.from_email}&gt; · {m.window_start}–{m.window_end} {m.timezone}
                  </option>
                ))}
              </Select>
            </Field>
            <label className="flex items-start gap-2 text-sm sm:col-span-2">
              <input
                type="checkbox"
                className="mt-0.5"
                checked={autoSend}
                onChange={(e) => (e.target.checked ? setConfirmAuto(true) : setAutoSend(false))}
              />
              <span>
                <span className="font-medium">Auto-send</span> — send drafts without a person's approval.{" "}
                {autoSend && <span className="text-warning">On: drafts go out unless an AI safety rule holds them.</span>}
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm sm:col-span-2">
              <input type="checkbox" className="mt-0.5" checked={trackOpens} onChange={(e) => setTrackOpens(e.target.checked)} />
              <span>
                <span className="font-medium">Track opens</span> — a tiny image in each email. Approximate: Apple Mail and security scanners
                load it without anyone reading.
              </span>
            </label>
          </fieldset>
        </Card>
        <section aria-label="Steps" className="space-y-4">
          {steps.map((st, i) => (
            <div key={st.id ?? `new-${i}`}>
              <StepEditor
                step={st}
                index={i}
                count={steps.length}
                disabled={!canManage}
                onChange={(n) => setSteps((list) => list.map((x, j) => (j === i ? n : x)))}
                onRemove={() => setSteps((list) => list.filter((_, j) => j !== i))}
                onMove={(d) => move(i, d)}
              />
              {stepErr(i)?.length ? (
                <p role="alert" className="mt-1 text-xs text-danger">
                  {stepErr(i)?.join("; ")}
                </p>
              ) : null}
            </div>
          ))}
          {canManage && (
            <div className="flex gap-2">
              <Button
                variant="secondary"
                onClick={() =>
                  setSteps((l) => [
                    ...l,
                    {
                      kind: "email",
                      delay_minutes: l.length ? 3 * 1440 : 0,
                      condition: l.length ? "no_reply" : "always",
                      task_title: null,
                      variants: [newVariant(0)],
                    },
                  ])
                }
              >
                Add email step
              </Button>
              <Button
                variant="secondary"
                onClick={() =>
                  setSteps((l) => [
                    ...l,
                    { kind: "task", delay_minutes: 1440, condition: "no_reply", task_title: "Call the lead", variants: [] },
                  ])
                }
              >
                Add task step
              </Button>
            </div>
          )}
        </section>
        <VariantStats sequenceId={id} />
        <EnrollmentsPanel sequence={s} />
      </div>
      <Dialog
        open={confirmAuto}
        onClose={() => setConfirmAuto(false)}
        size="sm"
        title="Turn on auto-send?"
        description="Drafts for this sequence will be sent without anyone reading them first. The AI safety rules still hold anything they flag, and the workspace's daily send cap applies."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmAuto(false)}>
              Keep approval
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                setAutoSend(true);
                setConfirmAuto(false);
              }}
            >
              Turn on (save to apply)
            </Button>
          </>
        }
      />
      <Dialog
        open={confirmArchive}
        onClose={() => setConfirmArchive(false)}
        size="sm"
        title="Archive this sequence?"
        description="Active enrolments stop and pending drafts are cancelled. Its figures stay visible."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmArchive(false)}>
              Cancel
            </Button>
            <Button variant="danger" loading={lifecycle.isPending} onClick={() => lifecycle.mutate("archive")}>
              Archive
            </Button>
          </>
        }
      />
    </>
  );
}
