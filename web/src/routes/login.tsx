import { createFileRoute, Link, redirect, useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { AuthLayout, FormError } from "../components/AuthLayout";
import { Button } from "../components/ui/Button";
import { Field, Input } from "../components/ui/Field";
import { api, ApiError, errorMessage } from "../lib/api";
import type { Tokens } from "../lib/api-types";
import { loadMe, safeRedirect, startSession } from "../lib/auth";

export const Route = createFileRoute("/login")({
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => (typeof s.redirect === "string" ? { redirect: s.redirect } : {}),
  beforeLoad: async ({ search }) => {
    if (await loadMe()) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: LoginPage,
});

function LoginPage() {
  const search = Route.useSearch();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const finish = async (tokens: Tokens) => {
    startSession(tokens);
    const me = await loadMe();
    if (me && me.memberships.length === 0) return navigate({ to: "/onboarding" });
    navigate({ href: safeRedirect(search.redirect) });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (!mfaToken) {
        const res = await api("POST /api/v1/auth/login", { body: { email, password }, anonymous: true });
        if ("mfa_required" in res) setMfaToken(res.mfa_token);
        else await finish(res);
      } else {
        const body = useRecovery
          ? { mfa_token: mfaToken, recovery_code: code.trim() }
          : { mfa_token: mfaToken, code: code.replace(/\s/g, "") };
        await finish(await api("POST /api/v1/auth/login/mfa", { body, anonymous: true }));
      }
    } catch (err) {
      if (err instanceof ApiError && mfaToken && err.status === 401 && /expired|sign in again/i.test(err.message)) {
        setMfaToken(null);
        setCode("");
      }
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (mfaToken) {
    return (
      <AuthLayout
        title="Two-factor authentication"
        subtitle={useRecovery ? "Enter one of your recovery codes." : "Enter the 6-digit code from your authenticator app."}
      >
        <form onSubmit={submit} className="space-y-4" noValidate>
          <FormError message={error} />
          <Field label={useRecovery ? "Recovery code" : "Authentication code"}>
            <Input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="one-time-code"
              inputMode={useRecovery ? "text" : "numeric"}
              autoFocus
              required
              placeholder={useRecovery ? "xxxx-xxxx" : "123456"}
            />
          </Field>
          <Button type="submit" className="w-full" loading={busy}>
            Verify and sign in
          </Button>
          <div className="flex justify-between text-sm">
            <button
              type="button"
              className="text-accent hover:underline"
              onClick={() => (setUseRecovery((v) => !v), setCode(""), setError(null))}
            >
              {useRecovery ? "Use an authenticator code" : "Use a recovery code"}
            </button>
            <button type="button" className="text-muted hover:text-fg" onClick={() => (setMfaToken(null), setCode(""), setError(null))}>
              Back
            </button>
          </div>
        </form>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Sign in to Weft"
      subtitle="Welcome back. Sign in to your workspace."
      footer={
        <>
          New to Weft?{" "}
          <Link to="/signup" className="font-medium text-accent hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4">
        <FormError message={error} />
        <Field label="Email">
          <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" required autoFocus />
        </Field>
        <div className="space-y-1.5">
          <Field label="Password">
            <Input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
            />
          </Field>
          <div className="text-right">
            <Link to="/forgot-password" className="text-sm text-accent hover:underline">
              Forgot your password?
            </Link>
          </div>
        </div>
        <Button type="submit" className="w-full" loading={busy}>
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
