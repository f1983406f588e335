import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, errorMessage } from "../lib/api";
import { meQuery, useMe } from "../lib/auth";
import { switchWorkspace, useWorkspace } from "../lib/workspace";
import { ChevronDownIcon, PlusIcon } from "./icons";
import { Badge, roleTone } from "./ui/Badge";
import { Button } from "./ui/Button";
import { Dialog } from "./ui/Dialog";
import { Field, Input } from "./ui/Field";
import { Menu } from "./ui/Menu";
import { toast } from "./ui/Toast";

/** The workspace menu; `compact` (the collapsed sidebar rail) shows only the workspace's initial. */
export function WorkspaceSwitcher({ compact = false }: { compact?: boolean }) {
  const ws = useWorkspace();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const memberships = me?.memberships ?? [];
  return (
    <>
      <Menu
        label="Switch workspace"
        align="start"
        buttonClassName={
          compact
            ? "mx-auto flex size-10 items-center justify-center rounded-lg hover:bg-subtle"
            : "flex w-full items-center gap-3 rounded-lg border border-line bg-surface px-3 py-2 text-left hover:bg-subtle"
        }
        button={
          <>
            <span
              aria-hidden="true"
              className="flex size-8 shrink-0 items-center justify-center rounded-md bg-accent-soft text-sm font-semibold text-accent"
            >
              {ws.name.charAt(0).toUpperCase()}
            </span>
            <span className={compact ? "sr-only" : "min-w-0 flex-1"}>
              <span className="block truncate text-sm font-medium">{ws.name}</span>
              <span className="block text-xs capitalize text-muted">
                {ws.role}
                <span className="sr-only"> · switch workspace</span>
              </span>
            </span>
            {!compact && <ChevronDownIcon className="size-4 text-muted" />}
          </>
        }
        items={[
          ...memberships
            .filter((m) => m.tenant)
            .map((m) => ({
              label: (
                <span className="flex items-center justify-between gap-3">
                  <span className="truncate">{m.tenant!.name}</span>
                  <Badge tone={roleTone(m.role)}>{m.role}</Badge>
                </span>
              ),
              checked: m.tenant!.id === ws.id,
              onSelect: () => {
                switchWorkspace(m.tenant!.id);
                navigate({ to: "/" });
              },
            })),
          "separator" as const,
          {
            label: (
              <span className="inline-flex items-center gap-2">
                <PlusIcon className="size-4" />
                Create workspace
              </span>
            ),
            onSelect: () => setCreating(true),
          },
        ]}
      />
      <CreateWorkspaceDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState("");
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () => api("POST /api/v1/tenants", { body: { name } }),
    onSuccess: async (t) => {
      await qc.invalidateQueries({ queryKey: meQuery.queryKey });
      switchWorkspace(t.id);
      toast.success(`Created ${t.name}`);
      setName("");
      onClose();
      navigate({ to: "/" });
    },
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create a workspace"
      description="A workspace has its own members, keys and data. You will be its owner."
    >
      <form onSubmit={(e) => (e.preventDefault(), create.mutate())} className="space-y-4">
        <Field label="Workspace name" error={create.error ? errorMessage(create.error) : undefined}>
          <Input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create workspace
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
