import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { useEffect } from "react";
import { AuthLayout } from "../components/AuthLayout";
import { buttonClass } from "../components/ui/Button";
import { Spinner } from "../components/ui/Spinner";
import { api, errorMessage } from "../lib/api";
import { meQuery } from "../lib/auth";

export const Route = createFileRoute("/verify-email")({
  validateSearch: (s: Record<string, unknown>): { token?: string } => (typeof s.token === "string" ? { token: s.token } : {}),
  component: VerifyPage,
});

function VerifyPage() {
  const { token } = Route.useSearch();
  const qc = useQueryClient();
  const verify = useQuery({
    queryKey: ["verify-email", token],
    queryFn: () => api("POST /api/v1/auth/verify-email", { body: { token: token! }, anonymous: true }),
    enabled: Boolean(token),
    retry: false,
    staleTime: Infinity,
  });
  useEffect(() => {
    if (verify.isSuccess) qc.invalidateQueries({ queryKey: meQuery.queryKey });
  }, [verify.isSuccess, qc]);

  if (!token || verify.isError) {
    return (
      <AuthLayout title="We couldn't confirm your email" subtitle={token ? errorMessage(verify.error) : "The link is missing its token."}>
        <p className="mb-4 text-sm text-muted">
          Links expire after 24 hours and work once. Sign in and send a new one from your dashboard.
        </p>
        <Link to="/" className={buttonClass("primary", "md", "w-full")}>
          Go to the dashboard
        </Link>
      </AuthLayout>
    );
  }
  if (verify.isPending) {
    return (
      <AuthLayout title="Confirming your email…">
        <div role="status" className="flex items-center gap-3 text-sm text-muted">
          <Spinner className="size-5" /> One moment.
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Email confirmed"
      subtitle={
        <>
          Thanks, <strong className="text-fg">{verify.data.email}</strong> is confirmed.
        </>
      }
    >
      <Link to="/" className={buttonClass("primary", "md", "w-full")}>
        Continue to Weft
      </Link>
    </AuthLayout>
  );
}
