import { createFileRoute, Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { AuthLayout, FormError } from "../components/AuthLayout";
import { buttonClass, Button } from "../components/ui/Button";
import { Field, Input } from "../components/ui/Field";
import { api, ApiError, errorMessage } from "../lib/api";
import { clearTokens } from "../lib/session";

export const Route = createFileRoute("/reset-password")({
  validateSearch: (s: Record<string, unknown>): { token?: string } => (typeof s.token === "string" ? { token: s.token } : {}),
  component: ResetPage,
});

function ResetPage() {
  const { token } = Route.useSearch();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm.length > 0 && confirm !== password;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch || !token) return;
    setBusy(true);
    setError(null);
    try {
      await api("POST /api/v1/auth/password/reset", { body: { token, password }, anonymous: true });
      clearTokens(); // every session was signed out by the reset
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <AuthLayout title="Reset link missing" subtitle="Open the link from your email again, or ask for a new one.">
        <Link to="/forgot-password" className={buttonClass("primary", "md", "w-full")}>
          Request a new link
        </Link>
      </AuthLayout>
    );
  }
  if (done) {
    return (
      <AuthLayout title="Password updated" subtitle="Your password was changed and other devices were signed out.">
        <Link to="/login" className={buttonClass("primary", "md", "w-full")}>
          Sign in
        </Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Choose a new password"
      footer={
        <Link to="/login" className="font-medium text-accent hover:underline">
          Back to sign in
        </Link>
      }
    >
      <form onSubmit={submit} className="space-y-4">
        <FormError message={error && !(error instanceof ApiError && error.field("password")) ? errorMessage(error) : null} />
        <Field label="New password" hint="At least 10 characters." error={error instanceof ApiError ? error.field("password") : undefined}>
          <Input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            required
            minLength={10}
            autoFocus
          />
        </Field>
        <Field label="Confirm new password" error={mismatch ? "The passwords don't match." : undefined}>
          <Input type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" required />
        </Field>
        <Button type="submit" className="w-full" loading={busy} disabled={mismatch}>
          Set new password
        </Button>
        {error instanceof ApiError && error.status !== 400 && (
          <p className="text-center text-sm">
            <Link to="/forgot-password" className="text-accent hover:underline">
              Request a new reset link
            </Link>
          </p>
        )}
      </form>
    </AuthLayout>
  );
}
