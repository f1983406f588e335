import { createFileRoute, Link, redirect, useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { AuthLayout, FormError } from "../components/AuthLayout";
import { Button } from "../components/ui/Button";
import { Field, Input } from "../components/ui/Field";
import { api, ApiError, errorMessage } from "../lib/api";
import { loadMe, startSession } from "../lib/auth";
import { setTenantId } from "../lib/session";

export const Route = createFileRoute("/signup")({
  beforeLoad: async () => {
    if (await loadMe()) throw redirect({ to: "/" });
  },
  component: SignupPage,
});

export function SignupForm({
  inviteToken,
  inviteEmail,
  onDone,
}: {
  inviteToken?: string;
  inviteEmail?: string;
  onDone: (hasInvite: boolean) => void;
}) {
  const [form, setForm] = useState({ name: "", email: inviteEmail ?? "", password: "", workspace_name: "" });
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const fieldError = (k: string) => (error instanceof ApiError ? error.field(k) : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api("POST /api/v1/auth/signup", {
        anonymous: true,
        body: {
          name: form.name,
          email: form.email,
          password: form.password,
          ...(inviteToken
            ? { invite_token: inviteToken }
            : form.workspace_name.trim()
              ? { workspace_name: form.workspace_name.trim() }
              : {}),
        },
      });
      startSession(res);
      const first = res.tenant ?? res.memberships[0]?.tenant;
      if (first) setTenantId(first.id);
      onDone(Boolean(inviteToken));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-4">
      <FormError message={error && !(error instanceof ApiError && error.problem.errors?.length) ? errorMessage(error) : null} />
      <Field label="Your name" error={fieldError("name")}>
        <Input value={form.name} onChange={set("name")} autoComplete="name" required autoFocus maxLength={100} />
      </Field>
      <Field label="Work email" error={fieldError("email")} hint={inviteEmail ? "The invitation was sent to this address." : undefined}>
        <Input type="email" value={form.email} onChange={set("email")} autoComplete="email" required readOnly={Boolean(inviteEmail)} />
      </Field>
      <Field label="Password" hint="At least 10 characters. A passphrase works well." error={fieldError("password")}>
        <Input type="password" value={form.password} onChange={set("password")} autoComplete="new-password" required minLength={10} />
      </Field>
      {!inviteToken && (
        <Field label="Workspace name" hint="Optional: you can name it in the next step." error={fieldError("workspace_name")}>
          <Input value={form.workspace_name} onChange={set("workspace_name")} autoComplete="organization" maxLength={100} />
        </Field>
      )}
      <Button type="submit" className="w-full" loading={busy}>
        {inviteToken ? "Create account and join" : "Create account"}
      </Button>
      <p className="text-center text-xs text-muted">We'll send a link to confirm your email address.</p>
    </form>
  );
}

function SignupPage() {
  const navigate = useNavigate();
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Start a workspace for your team in under a minute."
      footer={
        <>
          Already have an account?{" "}
          <Link to="/login" className="font-medium text-accent hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignupForm onDone={() => navigate({ to: "/onboarding" })} />
    </AuthLayout>
  );
}
