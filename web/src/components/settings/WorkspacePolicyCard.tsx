import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import type { SecurityPolicyInput } from "../../lib/api-types";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Select } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";

const LIFETIMES: [number | null, string][] = [
  [1, "1 hour"],
  [8, "8 hours"],
  [24, "1 day"],
  [168, "7 days"],
  [720, "30 days"],
  [null, "No workspace limit"],
];

/** The workspace's security policy (the security wizard writes the same one), for owners and admins to change later. */
export function WorkspacePolicyCard() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "security-policy");
  const policy = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/security-policy") });
  const [form, setForm] = useState<SecurityPolicyInput | null>(null);
  useEffect(() => {
    if (policy.data && !form) {
      setForm({
        mfa_required: policy.data.mfa_required,
        session_lifetime_hours: policy.data.session_lifetime_hours,
        api_keys_allowed: policy.data.api_keys_allowed,
      });
    }
  }, [policy.data, form]);
  const save = useMutation({
    mutationFn: (body: SecurityPolicyInput) => api("PUT /api/v1/security-policy", { body }),
    onSuccess: async () => {
      toast.success("Workspace security policy saved");
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const canEdit = ws.can("tenant:update");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form) save.mutate(form);
  };
  const problem = save.error instanceof ApiError ? save.error : null;
  return (
    <Card
      title={`Workspace security — ${ws.name}`}
      description={
        <>
          Rules for everyone in this workspace, enforced on every request.{" "}
          <Link to="/wizards/$kind" params={{ kind: "security" }} className="text-accent underline underline-offset-2">
            Guided set-up
          </Link>
        </>
      }
    >
      {!form ? (
        policy.isError ? (
          <p className="text-sm text-muted">{errorMessage(policy.error)}</p>
        ) : (
          <Skeleton className="h-32" />
        )
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <fieldset disabled={!canEdit} className="space-y-4">
            <label className="flex items-start gap-3 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 accent-accent"
                checked={form.mfa_required}
                onChange={(e) => setForm({ ...form, mfa_required: e.target.checked })}
              />
              <span>
                <span className="font-medium">Require two-factor authentication</span>
                <span className="block text-muted">Members without it are asked to turn it on before they can use this workspace.</span>
              </span>
            </label>
            <Field label="Sign in again after" error={problem?.field("session_lifetime_hours")} className="max-w-xs">
              <Select
                value={form.session_lifetime_hours === null ? "none" : String(form.session_lifetime_hours)}
                onChange={(e) => setForm({ ...form, session_lifetime_hours: e.target.value === "none" ? null : Number(e.target.value) })}
              >
                {LIFETIMES.map(([h, label]) => (
                  <option key={String(h)} value={h === null ? "none" : String(h)}>
                    {label}
                  </option>
                ))}
              </Select>
            </Field>
            <label className="flex items-start gap-3 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 accent-accent"
                checked={form.api_keys_allowed}
                onChange={(e) => setForm({ ...form, api_keys_allowed: e.target.checked })}
              />
              <span>
                <span className="font-medium">Allow secret API keys</span>
                <span className="block text-muted">Off: every key of this workspace stops working (401) until allowed again.</span>
              </span>
            </label>
          </fieldset>
          {save.isError && (
            <p role="alert" className="text-sm text-danger">
              {errorMessage(save.error)}
            </p>
          )}
          {canEdit ? (
            <Button type="submit" loading={save.isPending}>
              Save policy
            </Button>
          ) : (
            <p className="text-xs text-muted">Only owners and admins can change these.</p>
          )}
        </form>
      )}
    </Card>
  );
}
