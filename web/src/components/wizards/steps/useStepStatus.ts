import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api } from "../../../lib/api";
import { wizardKeys } from "../wizardApi";

/** A step's live status (GET …/steps/{stepId}/status); polled every `everyMs` until it is ready (0 = once). */
export function useStepStatus(kind: string, stepId: string, everyMs = 0) {
  return useQuery({
    queryKey: wizardKeys.status(kind, stepId),
    queryFn: () => api("GET /api/v1/wizards/{kind}/steps/{stepId}/status", { params: { kind, stepId } }),
    refetchInterval: (q) => (everyMs && !q.state.data?.ready ? everyMs : false),
  });
}

/**
 * The step's answers with defaults for what was never answered; hands them to the frame once, so
 * Next submits what the form shows even when nothing was touched.
 */
export function useAnswers<T extends Record<string, unknown>>(
  value: Record<string, unknown>,
  defaults: T | null,
  onChange: (v: Record<string, unknown>) => void,
): T {
  const merged = { ...(defaults ?? {}), ...value } as T;
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current || !defaults) return;
    sent.current = true;
    onChange({ ...defaults, ...value });
  }, [defaults, value, onChange]);
  return merged;
}
