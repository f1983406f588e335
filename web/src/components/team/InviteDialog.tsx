import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { useWorkspace, tkey, type Role } from "../../lib/workspace";
import { FormError } from "../AuthLayout";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";

export const ROLE_HELP: Record<Role, string> = {
  owner: "Full control, including billing and transferring ownership",
  admin: "Manage members, invitations, keys and settings",
  member: "Use the workspace; see members and publishable keys",
  viewer: "Read-only access",
};

/** Roles the current user may grant: never above their own; only owners grant owner. */
export function grantableRoles(mine: Role): Role[] {
  return mine === "owner" ? ["owner", "admin", "member", "viewer"] : ["admin", "member", "viewer"];
}

export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const invite = useMutation({
    mutationFn: () => api("POST /api/v1/invitations", { body: { email: email.trim(), role } }),
    onSuccess: (inv) => {
      toast.success(`Invitation sent to ${inv.email}`);
      qc.invalidateQueries({ queryKey: tkey(ws.id, "invitations") });
      setEmail("");
      onClose();
    },
  });
  const err = invite.error instanceof ApiError ? invite.error : null;
  const submit = (e: FormEvent) => (e.preventDefault(), invite.mutate());
  return (
    <Dialog open={open} onClose={onClose} title="Invite a teammate" description={`They'll get an email with a link to join ${ws.name}.`}>
      <form onSubmit={submit} className="space-y-4">
        <FormError message={invite.error && !err?.field("email") ? errorMessage(invite.error) : null} />
        <Field label="Email address" error={err?.field("email")}>
          <Input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoFocus
            placeholder="teammate@company.com"
          />
        </Field>
        <Field label="Role" hint={ROLE_HELP[role]}>
          <Select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {grantableRoles(ws.role).map((r) => (
              <option key={r} value={r}>
                {r.charAt(0).toUpperCase() + r.slice(1)}
              </option>
            ))}
          </Select>
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={invite.isPending}>
            Send invitation
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
