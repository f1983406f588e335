import { useEffect, useRef, useState } from "react";

/** What the wizard frame gives a step body (steps/index.ts `StepProps`). */
export type { StepProps as SetupStepProps } from "../index";
/** GET …/steps/{stepId}/status, polled every `everyMs` until it reports ready (0 = once). */
export { useStepStatus } from "../useStepStatus";

/** The saved answers of a step, with defaults for what was never answered. */
export function answers<T extends Record<string, unknown>>(value: Record<string, unknown> | undefined, defaults: T): T {
  return { ...defaults, ...(value ?? {}) } as T;
}

/** Stable React keys for an editable list of rows (rows have no ids of their own). */
export function useRowKeys(count: number) {
  const [keys, setKeys] = useState<string[]>(() => Array.from({ length: count }, () => crypto.randomUUID()));
  const all = keys.length >= count ? keys : [...keys, ...Array.from({ length: count - keys.length }, () => crypto.randomUUID())];
  return {
    keys: all,
    add: () => setKeys([...all, crypto.randomUUID()]),
    remove: (i: number) => setKeys(all.filter((_, j) => j !== i)),
    reset: (n: number) => setKeys(Array.from({ length: n }, () => crypto.randomUUID())),
  };
}

/**
 * Hands the frame the step's starting answers once (saved ones, else `defaults` — which may wait for
 * the step's status), so Next submits what the form shows even when nothing was edited.
 */
export function useInitialAnswers(
  value: Record<string, unknown> | undefined,
  defaults: Record<string, unknown> | null,
  onChange: (v: Record<string, unknown>) => void,
) {
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current || !defaults) return;
    sent.current = true;
    onChange({ ...defaults, ...(value ?? {}) });
  }, [defaults, value, onChange]);
}
