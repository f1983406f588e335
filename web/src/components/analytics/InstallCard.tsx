import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { q } from "../../lib/queries";
import { useWorkspace } from "../../lib/workspace";
import { CopyButton } from "../settings/CopyButton";
import { Card } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";

/** The tracker snippet with the workspace's first active publishable key, and the JS API in short. */
export function InstallCard({ prominent }: { prominent?: boolean }) {
  const ws = useWorkspace();
  const canRead = ws.can("publishable_keys:read");
  const keys = useQuery({ ...q.publishableKeys(ws.id, { limit: 100 }), enabled: canRead });
  const key = (keys.data?.data ?? []).find((k) => !k.revoked_at);
  const snippet = `<script src="${location.origin}/a.js" data-key="${key?.key ?? "pk_live_…"}" defer></script>`;
  const example = `// Custom events and who the visitor is, once the script has loaded:
weft.track("signed_up", { plan: "pro" });
weft.identify(user.id, { email: user.email, plan: user.plan });`;
  return (
    <Card
      title={prominent ? "Install the tracker on your site" : "Install"}
      description="Paste this before </head> on every page: page views (single-page-app navigations too), outbound links and form submits are recorded. About 1 KB, no cookies."
    >
      <div className="space-y-4">
        {canRead && keys.isPending ? (
          <Skeleton className="h-12" />
        ) : !key ? (
          <p className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm">
            {ws.can("publishable_keys:manage") ? (
              <>
                Create a{" "}
                <Link to="/settings/publishable-keys" className="font-medium text-accent underline">
                  publishable key
                </Link>{" "}
                that allows your site's origin; the snippet below then includes it.
              </>
            ) : (
              <>This workspace has no publishable key yet; ask an admin to create one that allows your site's origin.</>
            )}
          </p>
        ) : (
          <p className="text-sm text-muted">
            Using the publishable key <strong className="font-medium text-fg">{key.name}</strong>; events are accepted only from its allowed
            origins ({key.allowed_origins.join(", ") || "none yet"}).{" "}
            <Link to="/settings/publishable-keys" className="text-accent underline">
              Manage keys
            </Link>
          </p>
        )}
        <div>
          <pre className="rounded-lg bg-subtle p-3 text-xs break-all whitespace-pre-wrap">
            <code>{snippet}</code>
          </pre>
          <div className="mt-2 flex justify-end">
            <CopyButton value={snippet} label="Copy snippet" />
          </div>
        </div>
        <div>
          <h3 className="text-sm font-medium">Events and people</h3>
          <pre className="mt-2 rounded-lg bg-subtle p-3 text-xs break-words whitespace-pre-wrap">
            <code>{example}</code>
          </pre>
          <p className="mt-2 text-xs text-muted">
            Servers send events with a secret API key: <code>POST /api/v1/analytics/events</code>. Watch them arrive under{" "}
            <Link to="/analytics/events" className="text-accent underline">
              Events
            </Link>
            .
          </p>
        </div>
      </div>
    </Card>
  );
}
