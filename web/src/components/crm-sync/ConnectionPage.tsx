import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Select } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { MappingEditor } from "./MappingEditor";
import { SyncLog } from "./SyncLog";
import {
  type CrmConnection,
  type CrmSyncRun,
  DEAL_FIELDS,
  DIRECTION_LABEL,
  LEAD_FIELDS,
  type Mapping,
  providerName,
  RULE_LABEL,
  RUN_TONE,
  SCHEDULES,
} from "./types";

interface Draft {
  direction: CrmConnection["direction"];
  conflict_rule: CrmConnection["conflict_rule"];
  interval_minutes: number | null;
  lead_mapping: Mapping;
  deal_mapping: Mapping;
  stage_map: Record<string, string>;
}
const draftOf = (c: CrmConnection): Draft => ({
  direction: c.direction,
  conflict_rule: c.conflict_rule,
  interval_minutes: c.interval_minutes,
  lead_mapping: c.lead_mapping,
  deal_mapping: c.deal_mapping,
  stage_map: c.stage_map,
});

/** One CRM connection: Sync now with live progress, settings (direction, conflict rule, schedule), mapping, stage map, log, disconnect. */
export function ConnectionPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const canManage = ws.can("sales:manage");
  const [draft, setDraft] = useState<Draft | null>(null);
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const conn = useQuery({
    queryKey: tkey(ws.id, "crm-sync", "connection", id),
    queryFn: () => call<CrmConnection>("GET", `/sales/integrations/${id}`),
    // While a run is going, follow its progress.
    refetchInterval: (q) => (q.state.data?.last_run && ["queued", "running"].includes(q.state.data.last_run.status) ? 1000 : false),
  });
  useEffect(() => {
    if (conn.data && !draft) setDraft(draftOf(conn.data));
  }, [conn.data, draft]);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "crm-sync") });
  const sync = useMutation({
    mutationFn: () => call<CrmSyncRun>("POST", `/sales/integrations/${id}/sync`),
    onSuccess: refresh,
    onError: (e) => toast.error(errorMessage(e)),
  });
  const save = useMutation({
    mutationFn: (d: Draft) => call<CrmConnection>("PATCH", `/sales/integrations/${id}`, { body: d }),
    onSuccess: (c) => {
      setDraft(draftOf(c));
      refresh();
      toast.success("Saved");
    },
  });
  const disconnect = useMutation({
    mutationFn: () => call<null>("DELETE", `/sales/integrations/${id}`),
    onSuccess: () => {
      refresh();
      toast.success("Disconnected");
      navigate({ to: "/sales/integrations" });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });

  if (conn.isLoading) return <PageSkeleton />;
  if (conn.error || !conn.data)
    return (
      <p className="text-sm text-danger">
        {errorMessage(conn.error)} <Link to="/sales/integrations">Back to integrations</Link>
      </p>
    );
  const c = conn.data;
  const run = c.last_run;
  const running = Boolean(run && (run.status === "queued" || run.status === "running"));
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(draftOf(c));
  const set = (patch: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  return (
    <>
      <PageHeader
        title={`${providerName(c.provider)}${c.account_label ? ` · ${c.account_label}` : ""}`}
        description={
          <>
            <Link to="/sales/integrations" className="text-accent underline underline-offset-2">
              Integrations
            </Link>{" "}
            · {c.auth_kind === "oauth" ? "signed in with OAuth" : `token ${c.credentials_hint}`} · last sync{" "}
            {c.last_sync_at ? formatRelative(c.last_sync_at) : "never"}
            {c.next_sync_at && ` · next ${formatRelative(c.next_sync_at)}`}
          </>
        }
        actions={
          canManage && (
            <>
              <Button variant="secondary" onClick={() => setConfirmDisconnect(true)}>
                Disconnect
              </Button>
              <Button onClick={() => sync.mutate()} loading={sync.isPending || running} disabled={running}>
                {running ? "Syncing…" : "Sync now"}
              </Button>
            </>
          )
        }
      />
      {c.status === "error" && (
        <div role="alert" className="mb-4 rounded-xl border border-danger/50 bg-danger-soft p-4 text-sm text-danger">
          {c.last_error}
        </div>
      )}
      {run && (
        <div
          className="mb-4 flex flex-wrap items-center gap-3 rounded-xl border border-line bg-surface p-4 text-sm shadow-sm"
          aria-live="polite"
        >
          <Badge tone={RUN_TONE[run.status]}>{run.status}</Badge>
          {running ? (
            <span>
              {run.phase ?? "starting"}… {run.counts.pulled} pulled, {run.counts.pushed} pushed so far
            </span>
          ) : (
            <span>
              Last run: {run.counts.created} created, {run.counts.updated} updated, {run.counts.pushed} pushed, {run.counts.conflicts}{" "}
              conflicts, {run.counts.errors} errors
            </span>
          )}
        </div>
      )}
      {draft && (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title="Sync settings">
            <div className="space-y-4">
              <Field label="Direction">
                <Select
                  disabled={!canManage}
                  value={draft.direction}
                  onChange={(e) => set({ direction: e.target.value as Draft["direction"] })}
                >
                  {Object.entries(DIRECTION_LABEL).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="When a record changed on both sides" hint="Each conflict and its outcome is in the log.">
                <Select
                  disabled={!canManage}
                  value={draft.conflict_rule}
                  onChange={(e) => set({ conflict_rule: e.target.value as Draft["conflict_rule"] })}
                >
                  {Object.entries(RULE_LABEL).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="Schedule">
                <Select
                  disabled={!canManage}
                  value={draft.interval_minutes ?? ""}
                  onChange={(e) => set({ interval_minutes: e.target.value ? Number(e.target.value) : null })}
                >
                  {SCHEDULES.map((s) => (
                    <option key={s.label} value={s.value ?? ""}>
                      {s.label}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
          </Card>
          <Card
            title="Deal stages"
            description="Each CRM stage goes to one of your pipeline's stages; an unmapped one lands in the first stage and is reported."
          >
            {c.remote_stages.length ? (
              <div className="space-y-3">
                {c.remote_stages.map((s) => (
                  <Field key={s.id} label={s.label}>
                    <Select
                      disabled={!canManage}
                      value={draft.stage_map[s.id] ?? ""}
                      onChange={(e) => {
                        const next = { ...draft.stage_map };
                        if (e.target.value) next[s.id] = e.target.value;
                        else delete next[s.id];
                        set({ stage_map: next });
                      }}
                    >
                      <option value="">Not mapped (first stage)</option>
                      {c.local_stages.map((l) => (
                        <option key={l.id} value={l.id}>
                          {l.name}
                        </option>
                      ))}
                    </Select>
                  </Field>
                ))}
              </div>
            ) : (
              <p className="text-sm text-muted">The CRM reported no deal stages.</p>
            )}
          </Card>
          <Card title="Contact fields" description="CRM contact property ↔ lead field.">
            <MappingEditor
              label="Leads"
              value={draft.lead_mapping}
              fields={LEAD_FIELDS}
              onChange={(m) => set({ lead_mapping: m })}
              disabled={!canManage}
            />
          </Card>
          <Card title="Deal fields" description="CRM deal property ↔ deal field (amount in major units; stage through the stage map).">
            <MappingEditor
              label="Deals"
              value={draft.deal_mapping}
              fields={DEAL_FIELDS}
              onChange={(m) => set({ deal_mapping: m })}
              disabled={!canManage}
            />
          </Card>
        </div>
      )}
      {canManage && draft && (
        <div className="sticky bottom-0 mt-4 flex flex-wrap items-center justify-end gap-3 border-t border-line bg-canvas/90 py-3 backdrop-blur">
          {save.error && <span className="text-sm text-danger">{errorMessage(save.error)}</span>}
          <Button variant="secondary" disabled={!dirty} onClick={() => setDraft(draftOf(c))}>
            Discard
          </Button>
          <Button disabled={!dirty} loading={save.isPending} onClick={() => save.mutate(draft)}>
            Save changes
          </Button>
        </div>
      )}
      <div className="mt-6">
        <SyncLog connectionId={id} live={running} />
      </div>
      <Dialog
        open={confirmDisconnect}
        onClose={() => setConfirmDisconnect(false)}
        title={`Disconnect ${providerName(c.provider)}?`}
        description="The stored credentials, the record links and this connection's log are deleted. Leads and deals already synced stay in Weft; nothing is deleted in the CRM."
        size="sm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmDisconnect(false)}>
              Keep it
            </Button>
            <Button variant="danger" loading={disconnect.isPending} onClick={() => disconnect.mutate()}>
              Disconnect
            </Button>
          </>
        }
      />
    </>
  );
}
