import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import type { Wizard } from "../../lib/api-types";
import { Button, buttonClass } from "../ui/Button";
import { Card } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { FinishSummary } from "./FinishSummary";
import { StepRail } from "./StepRail";
import { STEP_COMPONENTS } from "./steps";
import { useRestartWizard, useWizard, wizardKeys } from "./wizardApi";

type Answers = Record<string, Record<string, unknown>>;

/**
 * One wizard: the step rail, the shown step's title and body (from STEP_COMPONENTS), Back / Next /
 * Finish. Resumes at the run's current step; Enter submits; focus moves to the step's heading on
 * each step; a 422's messages land on their fields; other problems show above the buttons.
 */
export function WizardFrame({ kind }: { kind: string }) {
  const wizard = useWizard(kind);
  if (wizard.isPending) return <Skeleton className="h-80" />;
  if (wizard.isError) {
    return (
      <Card>
        <p role="alert" className="text-sm text-danger">
          {errorMessage(wizard.error)}
        </p>
        <Link to="/wizards" className={buttonClass("secondary", "md", "mt-4")}>
          All set-up guides
        </Link>
      </Card>
    );
  }
  return <LoadedWizard key={`${kind}:${wizard.data.run.started_at ?? "new"}`} wizard={wizard.data} />;
}

function LoadedWizard({ wizard }: { wizard: Wizard }) {
  const qc = useQueryClient();
  const kind = wizard.kind;
  const run = wizard.run;
  const [shown, setShown] = useState(run.status === "in_progress" ? run.current_step : (wizard.steps[0]?.id ?? ""));
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [reveal, setReveal] = useState<Record<string, unknown> | undefined>(undefined);
  const heading = useRef<HTMLDivElement>(null);
  const restart = useRestartWizard();

  const index = Math.max(
    0,
    wizard.steps.findIndex((s) => s.id === shown),
  );
  const step = wizard.steps[index];
  const isLast = index === wizard.steps.length - 1;
  const done = run.completed_steps;
  const firstOpen = wizard.steps.findIndex((s) => !done.includes(s.id));
  const reachable = (id: string) => {
    const i = wizard.steps.findIndex((s) => s.id === id);
    return done.includes(id) || i === (firstOpen < 0 ? wizard.steps.length - 1 : firstOpen);
  };

  // Focus the step heading whenever the shown step changes (and on the summary).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the shown step and the run status are the triggers, not inputs
  useEffect(() => {
    heading.current?.querySelector<HTMLElement>("[data-wizard-heading]")?.focus();
  }, [shown, run.status]);

  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: wizardKeys.one(kind) }), qc.invalidateQueries({ queryKey: wizardKeys.list() })]);
  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.status === 422 && e.problem.errors?.length) {
      setErrors(Object.fromEntries(e.problem.errors.map((x) => [x.path, x.message])));
      setProblem("Check the highlighted fields.");
    } else {
      setErrors({});
      setProblem(errorMessage(e));
    }
  };

  const value = answers[shown] ?? (run.state[shown] as Record<string, unknown> | undefined) ?? {};
  const onChange = useCallback((v: Record<string, unknown>) => setAnswers((a) => ({ ...a, [shown]: v })), [shown]);

  const next = useMutation({
    mutationFn: async () => {
      const result = await api("POST /api/v1/wizards/{kind}/steps/{stepId}", { params: { kind, stepId: shown }, body: value });
      if (!isLast) return { result, finished: null };
      return { result, finished: await api("POST /api/v1/wizards/{kind}/complete", { params: { kind } }) };
    },
    onSuccess: async ({ result }) => {
      setErrors({});
      setProblem(null);
      if (result.reveal) setReveal(result.reveal);
      qc.setQueryData(wizardKeys.one(kind), { ...wizard, run: result.run });
      await refresh();
      if (!isLast) setShown(result.run.current_step);
    },
    onError: fail,
  });
  const back = useMutation({
    mutationFn: () => api("POST /api/v1/wizards/{kind}/back", { params: { kind } }),
    onSuccess: async (r) => {
      setErrors({});
      setProblem(null);
      setShown(wizard.steps[Math.max(0, index - 1)]?.id ?? r.current_step);
      await refresh();
    },
    onError: fail,
  });

  if (run.status === "completed") {
    return (
      <Card>
        <div ref={heading}>
          <FinishSummary
            title={wizard.title}
            objects={run.objects}
            onRunAgain={() => restart.mutate(kind)}
            restarting={restart.isPending}
          />
        </div>
      </Card>
    );
  }
  if (!step) return null;
  const Body = STEP_COMPONENTS[kind]?.[step.id];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!next.isPending) next.mutate();
  };

  return (
    <div className="grid gap-6 sm:grid-cols-[14rem_1fr]">
      <StepRail
        steps={wizard.steps}
        done={done}
        current={shown}
        reachable={reachable}
        onPick={(id) => {
          setErrors({});
          setProblem(null);
          setShown(id);
        }}
      />
      <Card>
        <form onSubmit={submit} noValidate aria-busy={next.isPending || undefined}>
          <div ref={heading} className="mb-5">
            <p className="text-xs font-medium uppercase tracking-wide text-muted">
              Step {index + 1} of {wizard.steps.length}
            </p>
            <h2 tabIndex={-1} data-wizard-heading className="mt-1 text-lg font-semibold outline-none">
              {step.title}
            </h2>
            <p className="mt-1 text-sm text-muted">{step.description}</p>
          </div>
          {Body ? (
            <Body kind={kind} stepId={step.id} state={run.state} value={value} onChange={onChange} errors={errors} reveal={reveal} />
          ) : (
            <p className="text-sm text-muted">Nothing to fill in here: continue.</p>
          )}
          {problem && (
            <p role="alert" className="mt-5 rounded-lg border border-danger/40 bg-danger/5 px-3 py-2 text-sm text-danger">
              {problem}
            </p>
          )}
          <div className="mt-6 flex flex-wrap items-center justify-between gap-2 border-t border-line pt-4">
            <div className="flex gap-2">
              {index > 0 && (
                <Button variant="secondary" onClick={() => back.mutate()} loading={back.isPending} disabled={next.isPending}>
                  Back
                </Button>
              )}
              <Link to="/wizards" className={buttonClass("ghost")}>
                Save and exit
              </Link>
            </div>
            <Button type="submit" loading={next.isPending}>
              {next.isPending ? "Saving…" : isLast ? "Finish" : "Next"}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
