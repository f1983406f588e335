import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, redirect, useNavigate, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import { AuthLayout } from "../components/AuthLayout";
import { FocusStep, InviteStep, WorkspaceStep } from "../components/onboarding/Steps";
import { Skeleton } from "../components/ui/Skeleton";
import { cx } from "../components/ui/cx";
import { api } from "../lib/api";
import type { OnboardingProgress, UpdateOnboardingProgress } from "../lib/api-types";
import { loadMe } from "../lib/auth";
import { getTenantId } from "../lib/session";
import { resolveWorkspace, tkey } from "../lib/workspace";
import { roleHas } from "../../../workers/platform/rbac";

type Step = OnboardingProgress["step"];
const STEPS: { key: Step; label: string }[] = [
  { key: "workspace", label: "Name your workspace" },
  { key: "invite", label: "Invite teammates" },
  { key: "focus", label: "Pick what to set up" },
];
export const FOCUS_ROUTES = {
  team: "/team",
  api: "/settings/api-keys",
  widget: "/settings/publishable-keys",
  security: "/settings/security",
} as const;

/** First-run wizard. Progress is saved on the server after every step, so it resumes anywhere. */
export const Route = createFileRoute("/onboarding")({
  beforeLoad: async ({ location }) => {
    const me = await loadMe();
    if (!me) throw redirect({ to: "/login", search: { redirect: location.href } });
    const ws = resolveWorkspace(me);
    // Invited members join a workspace someone else set up: nothing to do here.
    if (ws?.tenant && !roleHas(ws.role, "tenant:update")) throw redirect({ to: "/" });
    return { me, tenantId: ws?.tenant?.id ?? null };
  },
  component: OnboardingPage,
});

function OnboardingPage() {
  const { tenantId } = Route.useRouteContext();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const progress = useQuery({
    queryKey: tkey(tenantId ?? "none", "onboarding"),
    queryFn: () => api("GET /api/v1/onboarding"),
    enabled: Boolean(tenantId),
  });
  const [override, setOverride] = useState<Step | null>(null);
  const save = useMutation({
    mutationFn: (body: UpdateOnboardingProgress) => api("PATCH /api/v1/onboarding", { body }),
    onSuccess: async (p) => {
      // Key by the workspace the save went to (step 1 may just have created it).
      qc.setQueryData(tkey(getTenantId() ?? "none", "onboarding"), p);
      if (!tenantId) await router.invalidate(); // pick up the new workspace in the route context
      setOverride(null);
    },
  });

  const step: Step = override ?? (tenantId ? (progress.data?.step ?? "workspace") : "workspace");
  const index = STEPS.findIndex((s) => s.key === step);
  const finish = async (focus: keyof typeof FOCUS_ROUTES | null) => {
    await save.mutateAsync({ completed: true, completed_steps: ["focus"], ...(focus ? { focus } : {}) });
    navigate({ to: focus ? FOCUS_ROUTES[focus] : "/" });
  };

  return (
    <AuthLayout
      title="Set up your workspace"
      subtitle={`Step ${index + 1} of ${STEPS.length}: ${STEPS[index]!.label}. You can come back to this later.`}
    >
      <ol aria-label="Setup progress" className="mb-6 flex gap-2">
        {STEPS.map((s, i) => (
          <li key={s.key} aria-current={i === index ? "step" : undefined} className="flex-1">
            <span className="sr-only">
              {s.label}
              {i < index ? " (done)" : ""}
            </span>
            <span aria-hidden="true" className={cx("block h-1.5 rounded-full", i <= index ? "bg-accent" : "bg-subtle")} />
          </li>
        ))}
      </ol>
      {tenantId && progress.isPending ? (
        <div role="status" aria-label="Loading" className="space-y-3">
          <Skeleton className="h-10" />
          <Skeleton className="h-10 w-1/2" />
        </div>
      ) : step === "workspace" ? (
        <WorkspaceStep tenantId={tenantId} onDone={() => save.mutateAsync({ step: "invite", completed_steps: ["workspace"] })} />
      ) : step === "invite" ? (
        <InviteStep
          onBack={() => setOverride("workspace")}
          onDone={(sent) => save.mutateAsync({ step: "focus", completed_steps: ["invite"], invites_sent: sent })}
        />
      ) : (
        <FocusStep initial={progress.data?.focus ?? null} onBack={() => setOverride("invite")} onDone={finish} busy={save.isPending} />
      )}
      {tenantId && (
        <div className="mt-6 border-t border-line pt-4 text-center">
          <button type="button" className="text-sm text-muted hover:text-fg" onClick={() => finish(null)}>
            Skip setup and go to the dashboard
          </button>
        </div>
      )}
    </AuthLayout>
  );
}
