import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate } from "@tanstack/react-router";
import { useEffect, useState, type ReactNode } from "react";
import { ApiError } from "../../lib/api";
import { q } from "../../lib/queries";
import { signOut } from "../../lib/auth";
import { getTenantId } from "../../lib/session";
import { ShieldIcon } from "../icons";
import { Button, buttonClass } from "../ui/Button";

/**
 * The workspace's security policy, as the SPA meets it (platform/security-policy.ts): a member
 * without two-factor gets 403 `mfa-required` on every workspace call, a session older than the
 * workspace allows gets 401 `session-expired-for-workspace`. Instead of each page's generic error,
 * the app shows one clear page for either — except on the account's own security page, where
 * two-factor is turned on.
 */
type Refusal = "mfa-required" | "session-expired-for-workspace";
const PROBLEM_BASE = "https://weft.dev/problems/";
const OPEN_PATHS = ["/settings/security", "/settings/profile"];

function refusalOf(e: unknown): Refusal | null {
  if (!(e instanceof ApiError)) return null;
  if (e.problem.type === `${PROBLEM_BASE}mfa-required`) return "mfa-required";
  if (e.problem.type === `${PROBLEM_BASE}session-expired-for-workspace`) return "session-expired-for-workspace";
  return null;
}

export function PolicyGate({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const { pathname } = useLocation();
  const tenant = getTenantId();
  const [seen, setSeen] = useState<Refusal | null>(null);
  // One cheap workspace call tells at once (a page may make none); any later refusal also counts.
  // (The workspace query pages already use, so the probe is shared, not an extra request.)
  const probe = useQuery({ ...q.tenant(tenant ?? ""), enabled: Boolean(tenant), retry: false, staleTime: 60_000 });
  useEffect(() => {
    const check = (e: unknown) => {
      const r = refusalOf(e);
      if (r) setSeen(r);
    };
    const offQueries = qc.getQueryCache().subscribe((ev) => {
      if (ev.type === "updated" && ev.action.type === "error") check(ev.action.error);
    });
    const offMutations = qc.getMutationCache().subscribe((ev) => {
      if (ev.type === "updated" && ev.action.type === "error") check(ev.action.error);
    });
    return () => {
      offQueries();
      offMutations();
    };
  }, [qc]);
  // Cleared when the probe succeeds again (e.g. after turning on two-factor).
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new successful answer (dataUpdatedAt) clears it
  useEffect(() => {
    if (probe.isSuccess) setSeen(null);
  }, [probe.isSuccess, probe.dataUpdatedAt]);

  // Moving to another page after a refusal asks again (two-factor may have just been turned on).
  const blocked = Boolean(seen) || probe.isError;
  const { refetch } = probe;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page (pathname) is the trigger
  useEffect(() => {
    if (blocked) void refetch();
  }, [pathname, blocked, refetch]);

  const refusal = refusalOf(probe.error) ?? seen;
  if (!refusal || (refusal === "mfa-required" && OPEN_PATHS.includes(pathname))) return <>{children}</>;
  return refusal === "mfa-required" ? <MfaRequired /> : <SessionExpired />;
}

function MfaRequired() {
  return (
    <div role="alert" className="mx-auto flex max-w-lg flex-col items-center px-6 py-16 text-center">
      <span aria-hidden="true" className="flex size-12 items-center justify-center rounded-full bg-accent-soft text-accent">
        <ShieldIcon className="size-6" />
      </span>
      <h1 className="mt-4 text-2xl font-semibold">Two-factor authentication required</h1>
      <p className="mt-2 text-sm text-muted">
        This workspace requires two-factor authentication for every member. Turn it on for your account — it takes a minute with an
        authenticator app — and the workspace opens again.
      </p>
      <div className="mt-6 flex flex-wrap justify-center gap-2">
        <Link to="/settings/security" className={buttonClass("primary")}>
          Set up two-factor authentication
        </Link>
      </div>
    </div>
  );
}

function SessionExpired() {
  const navigate = useNavigate();
  const { href } = useLocation();
  return (
    <div role="alert" className="mx-auto flex max-w-lg flex-col items-center px-6 py-16 text-center">
      <h1 className="text-2xl font-semibold">Sign in again</h1>
      <p className="mt-2 text-sm text-muted">
        This workspace limits how long a sign-in lasts, and yours is older than that. Sign in again to continue where you were.
      </p>
      <Button
        className="mt-6"
        onClick={async () => {
          await signOut();
          await navigate({ to: "/login", search: { redirect: href } });
        }}
      >
        Sign in again
      </Button>
    </div>
  );
}
