import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, redirect } from "@tanstack/react-router";
import { ChainCard, KeysCard } from "../../components/knowledge/AiSettingsParts";
import { CallsCard, UsageCard } from "../../components/knowledge/AiUsageCards";
import { kapi, type AiSettings } from "../../components/knowledge/client";
import { PageHeader } from "../../components/ui/Card";
import { PageSkeleton } from "../../components/ui/Skeleton";
import { errorMessage } from "../../lib/api";
import { resolveWorkspace, tkey, useWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/ai")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "ai:read")) throw redirect({ to: "/knowledge" });
  },
  component: AiSettingsPage,
});

function AiSettingsPage() {
  const ws = useWorkspace();
  const s = useQuery({ queryKey: tkey(ws.id, "ai", "settings"), queryFn: () => kapi<AiSettings>("GET", "/ai/settings") });
  return (
    <>
      <PageHeader
        title="AI settings"
        description={
          <>
            Providers, keys, persona and usage for answers from your{" "}
            <Link to="/knowledge" className="text-accent underline">
              knowledge base
            </Link>
            .
          </>
        }
      />
      {s.isPending ? (
        <PageSkeleton />
      ) : s.isError ? (
        <p role="alert" className="text-danger">
          {errorMessage(s.error)}
        </p>
      ) : (
        <div className="space-y-6">
          <ChainCard key={s.data.updated_at ?? "default"} s={s.data} />
          <KeysCard s={s.data} />
          <UsageCard />
          <CallsCard />
        </div>
      )}
    </>
  );
}
