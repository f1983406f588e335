import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { AppShell } from "../components/AppShell";
import { DemoBanner } from "../components/DemoBanner";
import { PolicyGate } from "../components/wizards/PolicyGate";
import { loadMe } from "../lib/auth";
import { resolveWorkspace } from "../lib/workspace";

/** The signed-in area: needs a session and a workspace (else sign-in / onboarding). */
export const Route = createFileRoute("/_app")({
  beforeLoad: async ({ location }) => {
    const me = await loadMe();
    if (!me) throw redirect({ to: "/login", search: { redirect: location.href } });
    const ws = resolveWorkspace(me);
    if (!ws?.tenant) throw redirect({ to: "/onboarding" });
    return { me, tenantId: ws.tenant.id };
  },
  component: () => (
    <AppShell>
      <DemoBanner />
      <PolicyGate>
        <Outlet />
      </PolicyGate>
    </AppShell>
  ),
});
