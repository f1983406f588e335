import { useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { TableSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { ConnectDialog } from "./ConnectDialog";
import { type CrmConnection, type CrmProvider, PROVIDER_BLURB, RUN_TONE } from "./types";

/** Sell → Integrations: one card per CRM (connect with a token or sign in; or open the connection). */
export function IntegrationsPage() {
  const ws = useWorkspace();
  const [connecting, setConnecting] = useState<CrmProvider | null>(null);
  const hub = useQuery({
    queryKey: tkey(ws.id, "crm-sync", "hub"),
    queryFn: () => call<{ providers: CrmProvider[]; connections: CrmConnection[] }>("GET", "/sales/integrations"),
  });
  // Back from a CRM's sign-in page: say how it went.
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    if (q.get("error")) toast.error(q.get("error") ?? "");
    if (q.get("connected")) toast.success("Connected. Run a first sync from the connection page.");
  }, []);
  const signIn = useMutation({
    mutationFn: (p: CrmProvider) => call<{ url: string }>("GET", `/sales/integrations/${p.id}/authorize`),
    onSuccess: (r) => window.location.assign(r.url),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const canManage = ws.can("sales:manage");
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Two-way sync of leads (contacts) and deals with your CRM: field mapping, a conflict rule, a schedule and a log of every run."
      />
      {hub.isLoading && <TableSkeleton rows={3} />}
      {hub.error && <p className="text-sm text-danger">{errorMessage(hub.error)}</p>}
      {hub.data && (
        <div className="grid gap-4 md:grid-cols-3">
          {hub.data.providers.map((p) => {
            const conn = hub.data.connections.find((c) => c.provider === p.id);
            return (
              <section key={p.id} className="flex flex-col rounded-xl border border-line bg-surface p-5 shadow-sm">
                <div className="flex items-center justify-between gap-2">
                  <h2 className="text-base font-semibold">{p.name}</h2>
                  {conn ? (
                    <Badge tone={conn.status === "error" ? "danger" : "success"}>
                      {conn.status === "error" ? "Needs attention" : "Connected"}
                    </Badge>
                  ) : (
                    <Badge>Not connected</Badge>
                  )}
                </div>
                <p className="mt-2 flex-1 text-sm text-muted">{PROVIDER_BLURB[p.id]}</p>
                {conn ? (
                  <div className="mt-4 space-y-3">
                    <p className="text-sm">
                      {conn.account_label ?? "Connected account"}
                      <span className="text-muted"> · token {conn.credentials_hint}</span>
                    </p>
                    {conn.last_run ? (
                      <p className="text-sm text-muted">
                        Last sync <Badge tone={RUN_TONE[conn.last_run.status]}>{conn.last_run.status}</Badge>{" "}
                        {formatRelative(conn.last_run.finished_at ?? conn.last_run.created_at)}
                      </p>
                    ) : (
                      <p className="text-sm text-muted">Not synced yet.</p>
                    )}
                    <Link to="/sales/integrations/$id" params={{ id: conn.id }} className={buttonClass("secondary", "sm")}>
                      Open connection
                    </Link>
                  </div>
                ) : (
                  canManage && (
                    <div className="mt-4 flex flex-wrap gap-2">
                      <Button size="sm" onClick={() => setConnecting(p)}>
                        Connect with a token
                      </Button>
                      <Button
                        size="sm"
                        variant="secondary"
                        disabled={!p.oauth}
                        title={p.oauth ? undefined : "Sign-in is not configured on this server; connect with a token."}
                        loading={signIn.isPending && signIn.variables?.id === p.id}
                        onClick={() => signIn.mutate(p)}
                      >
                        Sign in with {p.name}
                      </Button>
                    </div>
                  )
                )}
              </section>
            );
          })}
        </div>
      )}
      {hub.data && !hub.data.connections.length && (
        <p className="mt-6 text-sm text-muted">
          No CRM is connected yet. Connect one above: its contacts become leads and its deals land in your pipeline; edits here flow back.
          Locally there is no CRM to reach, so connecting needs a real account's token.
        </p>
      )}
      <ConnectDialog provider={connecting} onClose={() => setConnecting(null)} />
    </>
  );
}
