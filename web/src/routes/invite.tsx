import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import { AuthLayout, FormError } from "../components/AuthLayout";
import { Badge, roleTone } from "../components/ui/Badge";
import { Button, buttonClass } from "../components/ui/Button";
import { Skeleton } from "../components/ui/Skeleton";
import { api, errorMessage } from "../lib/api";
import { loadMe, meQuery, signOut } from "../lib/auth";
import { formatDate } from "../lib/format";
import { switchWorkspace } from "../lib/workspace";
import { SignupForm } from "./signup";

/** Accept-invite page, for people who already have an account and for new ones. */
export const Route = createFileRoute("/invite")({
  validateSearch: (s: Record<string, unknown>): { token?: string } => (typeof s.token === "string" ? { token: s.token } : {}),
  beforeLoad: async () => ({ me: await loadMe() }),
  component: InvitePage,
});

function InvitePage() {
  const { token } = Route.useSearch();
  const { me } = Route.useRouteContext();
  const navigate = useNavigate();
  const router = useRouter();
  const qc = useQueryClient();
  const [mode, setMode] = useState<"choose" | "signup">("choose");
  const lookup = useQuery({
    queryKey: ["invite", token],
    queryFn: () => api("GET /api/v1/invitations/lookup", { query: { token: token! }, anonymous: true }),
    enabled: Boolean(token),
    retry: false,
  });
  const accept = useMutation({
    mutationFn: () => api("POST /api/v1/invitations/accept", { body: { token: token! } }),
    onSuccess: async (res) => {
      await qc.invalidateQueries({ queryKey: meQuery.queryKey });
      switchWorkspace(res.tenant.id);
      navigate({ to: "/" });
    },
  });

  if (!token || lookup.isError) {
    return (
      <AuthLayout title="This invitation can't be used" subtitle={token ? errorMessage(lookup.error) : "The link is missing its token."}>
        <Link to="/" className={buttonClass("primary", "md", "w-full")}>
          Go to Weft
        </Link>
      </AuthLayout>
    );
  }
  if (lookup.isPending) {
    return (
      <AuthLayout title="Loading your invitation…">
        <div role="status" aria-label="Loading" className="space-y-3">
          <Skeleton className="h-5 w-3/4" />
          <Skeleton className="h-10" />
        </div>
      </AuthLayout>
    );
  }
  const inv = lookup.data;
  const summary = (
    <>
      {inv.inviter_name ? (
        <>
          <strong className="text-fg">{inv.inviter_name}</strong> invited you
        </>
      ) : (
        "You're invited"
      )}{" "}
      to join <strong className="text-fg">{inv.workspace.name}</strong> as <Badge tone={roleTone(inv.role)}>{inv.role}</Badge>
    </>
  );
  if (inv.status !== "pending") {
    const why = { accepted: "It has already been accepted.", revoked: "It was revoked by the workspace.", expired: "It has expired." }[
      inv.status
    ];
    return (
      <AuthLayout title="This invitation is no longer valid" subtitle={`${why} Ask a workspace admin to send a new one.`}>
        <Link to="/" className={buttonClass("primary", "md", "w-full")}>
          Go to Weft
        </Link>
      </AuthLayout>
    );
  }
  const here = `/invite?token=${encodeURIComponent(token)}`;

  if (me) {
    const sameEmail = me.user.email.toLowerCase() === inv.email.toLowerCase();
    return (
      <AuthLayout title={`Join ${inv.workspace.name}`} subtitle={summary}>
        <div className="space-y-4">
          <FormError message={accept.error ? errorMessage(accept.error) : null} />
          {sameEmail ? (
            <Button className="w-full" loading={accept.isPending} onClick={() => accept.mutate()}>
              Accept invitation
            </Button>
          ) : (
            <>
              <p className="text-sm text-muted">
                This invitation is for <strong className="text-fg">{inv.email}</strong>, but you're signed in as{" "}
                <strong className="text-fg">{me.user.email}</strong>.
              </p>
              <Button
                className="w-full"
                onClick={async () => {
                  await signOut();
                  await router.invalidate();
                }}
              >
                Sign out and continue
              </Button>
            </>
          )}
          <p className="text-center text-xs text-muted">Invitation expires {formatDate(inv.expires_at)}.</p>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={`Join ${inv.workspace.name}`} subtitle={summary}>
      {mode === "signup" ? (
        <>
          <SignupForm inviteToken={token} inviteEmail={inv.email} onDone={() => navigate({ to: "/" })} />
          <button type="button" className="mt-4 w-full text-center text-sm text-muted hover:text-fg" onClick={() => setMode("choose")}>
            Back
          </button>
        </>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-muted">
            The invitation was sent to <strong className="text-fg">{inv.email}</strong>.
          </p>
          <Button className="w-full" onClick={() => setMode("signup")}>
            Create an account
          </Button>
          <Link to="/login" search={{ redirect: here }} className={buttonClass("secondary", "md", "w-full")}>
            I already have an account
          </Link>
          <p className="text-center text-xs text-muted">Invitation expires {formatDate(inv.expires_at)}.</p>
        </div>
      )}
    </AuthLayout>
  );
}
