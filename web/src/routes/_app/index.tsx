import { useMutation, useQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { Checklist } from "../../components/home/Checklist";
import { GrowthHeadline } from "../../components/home/GrowthHeadline";
import { RecentActivity } from "../../components/home/RecentActivity";
import { HomeSuggestions } from "../../components/insights/HomeSuggestions";
import { buttonClass, Button } from "../../components/ui/Button";
import { Card, PageHeader } from "../../components/ui/Card";
import { Skeleton } from "../../components/ui/Skeleton";
import { toast } from "../../components/ui/Toast";
import { api, errorMessage } from "../../lib/api";
import { useMe } from "../../lib/auth";
import { countLabel, q } from "../../lib/queries";
import { useWorkspace } from "../../lib/workspace";

// The chart library loads only when the chart scrolls into the page, never on first paint.
const ActivityChart = lazy(() => import("../../components/home/ActivityChart"));

export const Route = createFileRoute("/_app/")({ component: HomePage });

function Stat({ label, value, to, loading }: { label: string; value: string; to?: string; loading?: boolean }) {
  const body = (
    <>
      <p className="text-sm text-muted">{label}</p>
      {loading ? <Skeleton className="mt-2 h-8 w-16" /> : <p className="mt-1 text-3xl font-semibold tracking-tight">{value}</p>}
    </>
  );
  const cls = "block rounded-xl border border-line bg-surface p-5 shadow-sm";
  return to ? (
    <Link to={to} className={`${cls} hover:border-accent/50`}>
      {body}
    </Link>
  ) : (
    <div className={cls}>{body}</div>
  );
}

function HomePage() {
  const ws = useWorkspace();
  const { data: me } = useMe();
  const canInvite = ws.can("members:invite");
  const canAudit = ws.can("audit:read");
  const members = useQuery(q.members(ws.id, { limit: 100 }));
  const invites = useQuery({ ...q.invitations(ws.id, { status: "pending", limit: 100 }), enabled: canInvite });
  // 14 calendar days including today.
  const since = new Date();
  since.setHours(0, 0, 0, 0);
  since.setDate(since.getDate() - 13);
  const audit = useQuery({ ...q.audit(ws.id, { limit: 100, from: since.toISOString() }), enabled: canAudit });
  const onboarding = useQuery({ ...q.onboarding(ws.id), enabled: ws.can("tenant:update") });
  const resend = useMutation({
    mutationFn: () => api("POST /api/v1/auth/verify-email/resend"),
    onSuccess: () => toast.success("Verification email sent"),
    onError: (e) => toast.error(errorMessage(e)),
  });

  return (
    <>
      <PageHeader
        title={`Welcome${me ? `, ${me.user.name.split(" ")[0]}` : ""}`}
        description={
          <>
            Here's what's happening in <strong className="text-fg">{ws.name}</strong>.
          </>
        }
      />
      <div className="space-y-6">
        {me && !me.user.email_verified && (
          <div
            role="status"
            className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-warning/40 bg-warning-soft px-4 py-3 text-sm text-warning"
          >
            <span>
              Confirm your email address <strong>{me.user.email}</strong> to keep your account secure.
            </span>
            <Button size="sm" variant="secondary" loading={resend.isPending} onClick={() => resend.mutate()}>
              Resend email
            </Button>
          </div>
        )}
        {onboarding.data && !onboarding.data.completed && (
          <div className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-accent/30 bg-accent-soft px-4 py-3 text-sm">
            <span>
              <strong>Finish setting up {ws.name}.</strong> You're on step{" "}
              {["workspace", "invite", "focus"].indexOf(onboarding.data.step) + 1} of 3.
            </span>
            <Link to="/onboarding" className={buttonClass("primary", "sm")}>
              Resume setup
            </Link>
          </div>
        )}
        <div className="grid gap-4 sm:grid-cols-3">
          <Stat label="Members" value={countLabel(members.data)} to="/team" loading={members.isPending} />
          {canInvite ? (
            <Stat label="Pending invitations" value={countLabel(invites.data)} to="/team" loading={invites.isPending} />
          ) : (
            <Stat label="Workspaces you're in" value={String(me?.memberships.length ?? "—")} />
          )}
          <Stat label="Your role" value={ws.role.charAt(0).toUpperCase() + ws.role.slice(1)} />
        </div>
        {ws.can("insights:read") && <HomeSuggestions />}
        {ws.can("analytics:read") && <GrowthHeadline />}
        <div className="grid gap-6 lg:grid-cols-5">
          <div className="min-w-0 space-y-6 lg:col-span-3">
            {canAudit && (
              <Card title="Activity" description="Audit events per day, last 14 days">
                {audit.isPending ? (
                  <Skeleton className="h-48" />
                ) : (
                  <Suspense fallback={<Skeleton className="h-48" />}>
                    <ActivityChart events={audit.data?.data ?? []} since={since} truncated={Boolean(audit.data?.next_cursor)} />
                  </Suspense>
                )}
              </Card>
            )}
            <RecentActivity canAudit={canAudit} audit={audit.data?.data} auditLoading={canAudit && audit.isPending} />
          </div>
          <div className="min-w-0 lg:col-span-2">
            <Checklist
              focus={onboarding.data?.focus ?? null}
              memberCount={members.data?.data.length ?? 0}
              pendingInvites={invites.data?.data.length ?? 0}
            />
          </div>
        </div>
      </div>
    </>
  );
}
