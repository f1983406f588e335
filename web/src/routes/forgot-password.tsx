import { createFileRoute, Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { AuthLayout, FormError } from "../components/AuthLayout";
import { Button } from "../components/ui/Button";
import { Field, Input } from "../components/ui/Field";
import { api, errorMessage } from "../lib/api";
import { LOCAL_STACK } from "../lib/local-stack";

export const Route = createFileRoute("/forgot-password")({ component: ForgotPage });

function ForgotPage() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api("POST /api/v1/auth/password/forgot", { body: { email }, anonymous: true });
      setSent(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout
      title="Reset your password"
      subtitle={sent ? undefined : "Enter your email and we'll send you a link to choose a new password."}
      footer={
        <Link to="/login" className="font-medium text-accent hover:underline">
          Back to sign in
        </Link>
      }
    >
      {sent ? (
        <div role="status" className="space-y-2 text-sm">
          <p className="font-medium">Check your inbox.</p>
          <p className="text-muted">
            If an account exists for <strong className="text-fg">{email}</strong>, a reset link is on its way. It expires in one hour.
          </p>
          {LOCAL_STACK && (
            <p className="text-muted">
              Running locally? Open the{" "}
              <a className="text-accent underline" href="/dev/mailbox">
                dev mailbox
              </a>
              .
            </p>
          )}
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <FormError message={error} />
          <Field label="Email">
            <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" required autoFocus />
          </Field>
          <Button type="submit" className="w-full" loading={busy}>
            Send reset link
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
