import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { getAccessToken, getTenantId } from "../../../../lib/session";

/**
 * What the wizard frame gives a step body of the store, campaign, analytics and workflow wizards:
 * the run's state, the answers the frame submits on Next (`value` / `onChange`, controlled), and the
 * last 422's field errors by path ("price", "rates.0.country").
 */
export interface SetupStepProps {
  kind: string;
  stepId: string;
  state: Record<string, unknown>;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors: Record<string, string>;
}

export interface StepStatus {
  ready: boolean;
  detail: Record<string, unknown>;
}

/** GET /api/v1/wizards/{kind}/steps/{stepId}/status, polled every `everyMs` (0 = once) while the step is shown. */
export function useStepStatus(kind: string, stepId: string, everyMs = 0, enabled = true) {
  const tenant = getTenantId();
  return useQuery({
    queryKey: ["t", tenant, "wizard-status", kind, stepId],
    enabled,
    refetchInterval: everyMs || false,
    queryFn: async (): Promise<StepStatus> => {
      const token = getAccessToken();
      const res = await fetch(`/api/v1/wizards/${encodeURIComponent(kind)}/steps/${encodeURIComponent(stepId)}/status`, {
        headers: {
          Accept: "application/json",
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(tenant ? { "X-Tenant-ID": tenant } : {}),
        },
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return (await res.json()) as StepStatus;
    },
  });
}

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
