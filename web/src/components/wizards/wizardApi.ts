import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";
import type { WizardRun } from "../../lib/api-types";
import { getTenantId } from "../../lib/session";

/** Query keys of the wizards (under "t", tenant, so switching workspace drops them). */
export const wizardKeys = {
  list: () => ["t", getTenantId(), "wizards"] as const,
  one: (kind: string) => ["t", getTenantId(), "wizards", kind] as const,
  status: (kind: string, stepId: string) => ["t", getTenantId(), "wizard-status", kind, stepId] as const,
};

export function useWizardList() {
  return useQuery({ queryKey: wizardKeys.list(), queryFn: () => api("GET /api/v1/wizards") });
}

export function useWizard(kind: string) {
  return useQuery({ queryKey: wizardKeys.one(kind), queryFn: () => api("GET /api/v1/wizards/{kind}", { params: { kind } }) });
}

/** Starts a run over (Run again / Start after abandoning) and refreshes the list and the run. */
export function useRestartWizard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (kind: string): Promise<WizardRun> => api("POST /api/v1/wizards/{kind}/restart", { params: { kind } }),
    onSuccess: async (_run, kind) => {
      await Promise.all([qc.invalidateQueries({ queryKey: wizardKeys.list() }), qc.invalidateQueries({ queryKey: wizardKeys.one(kind) })]);
    },
  });
}
