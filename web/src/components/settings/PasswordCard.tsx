import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { FormError } from "../AuthLayout";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input } from "../ui/Field";
import { toast } from "../ui/Toast";

export function PasswordCard() {
  const empty = { current: "", next: "", confirm: "" };
  const [f, setF] = useState(empty);
  const mismatch = f.confirm.length > 0 && f.confirm !== f.next;
  const change = useMutation({
    mutationFn: () => api("POST /api/v1/me/password", { body: { current_password: f.current, new_password: f.next } }),
    onSuccess: () => (setF(empty), toast.success("Password changed. Your other sessions were signed out.")),
  });
  const err = change.error instanceof ApiError ? change.error : null;
  const submit = (e: FormEvent) => (e.preventDefault(), !mismatch && change.mutate());
  return (
    <Card title="Password" description="Changing it signs you out everywhere else.">
      <form onSubmit={submit} className="max-w-md space-y-4">
        <FormError
          message={change.error && !err?.field("new_password") && !err?.field("current_password") ? errorMessage(change.error) : null}
        />
        <Field label="Current password" error={err?.field("current_password")}>
          <Input
            type="password"
            value={f.current}
            onChange={(e) => setF({ ...f, current: e.target.value })}
            autoComplete="current-password"
            required
          />
        </Field>
        <Field label="New password" hint="At least 10 characters." error={err?.field("new_password")}>
          <Input
            type="password"
            value={f.next}
            onChange={(e) => setF({ ...f, next: e.target.value })}
            autoComplete="new-password"
            required
            minLength={10}
          />
        </Field>
        <Field label="Confirm new password" error={mismatch ? "The passwords don't match." : undefined}>
          <Input
            type="password"
            value={f.confirm}
            onChange={(e) => setF({ ...f, confirm: e.target.value })}
            autoComplete="new-password"
            required
          />
        </Field>
        <Button type="submit" loading={change.isPending} disabled={mismatch}>
          Change password
        </Button>
      </form>
    </Card>
  );
}
