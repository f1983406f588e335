import { createFileRoute } from "@tanstack/react-router";
import { useState } from "react";
import { PlusIcon } from "../../components/icons";
import { InvitationsTable } from "../../components/team/InvitationsTable";
import { InviteDialog } from "../../components/team/InviteDialog";
import { MembersTable } from "../../components/team/MembersTable";
import { Button } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { Tabs } from "../../components/ui/Tabs";
import { useWorkspace } from "../../lib/workspace";
import { TeamBuddies } from "../../components/wizards/TeamBuddies";

type Tab = "members" | "invitations";

export const Route = createFileRoute("/_app/team")({
  validateSearch: (s: Record<string, unknown>): { tab?: Tab } => (s.tab === "invitations" ? { tab: "invitations" } : {}),
  component: TeamPage,
});

function TeamPage() {
  const ws = useWorkspace();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const [inviting, setInviting] = useState(false);
  const canInvite = ws.can("members:invite");
  const tab: Tab = canInvite && search.tab === "invitations" ? "invitations" : "members";
  return (
    <>
      <PageHeader
        title="Team"
        description={
          canInvite
            ? `Manage who has access to ${ws.name} and what they can do.`
            : `People in ${ws.name}. Only owners and admins can invite or change roles.`
        }
        actions={
          canInvite && (
            <Button onClick={() => setInviting(true)}>
              <PlusIcon className="size-4" />
              Invite teammate
            </Button>
          )
        }
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {canInvite ? (
          <div className="px-4 pt-2">
            <Tabs
              label="Team"
              value={tab}
              onChange={(t) => navigate({ search: t === "members" ? {} : { tab: t } })}
              items={[
                { key: "members", label: "Members" },
                { key: "invitations", label: "Invitations" },
              ]}
            >
              <div className="-mx-4">{tab === "members" ? <MembersTable /> : <InvitationsTable onInvite={() => setInviting(true)} />}</div>
            </Tabs>
          </div>
        ) : (
          <MembersTable />
        )}
      </section>
      <TeamBuddies />
      {canInvite && <InviteDialog open={inviting} onClose={() => setInviting(false)} />}
    </>
  );
}
