import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";

/** The Team page's buddies (from the team set-up wizard): who helps which newcomer; nothing when there are none. */
export function TeamBuddies() {
  const ws = useWorkspace();
  const buddies = useQuery({ queryKey: tkey(ws.id, "team-buddies"), queryFn: () => api("GET /api/v1/team/buddies") });
  const items = buddies.data?.items ?? [];
  if (!items.length) return null;
  return (
    <section aria-labelledby="team-buddies" className="mt-6 rounded-xl border border-line bg-surface p-5 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="team-buddies" className="text-base font-semibold">
          Buddies
        </h2>
        {ws.can("members:invite") && (
          <Link to="/wizards/$kind" params={{ kind: "team" }} className="text-sm text-accent hover:underline">
            Team set-up guide
          </Link>
        )}
      </div>
      <ul className="mt-3 divide-y divide-line text-sm">
        {items.map((b) => (
          <li key={b.invitation_id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              {b.email} <span className="text-muted">— buddy: {b.buddy.name || b.buddy.email}</span>
            </span>
            {b.newcomer_user_id ? <Badge tone="success">Joined · buddy told</Badge> : <Badge>Invited</Badge>}
          </li>
        ))}
      </ul>
    </section>
  );
}
