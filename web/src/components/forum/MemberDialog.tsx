import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { formatDateTime, humanizeAction } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { TRUST_LEVELS, trustLabel } from "./client";
import { sanctionOf } from "./MembersPage";

const PERIODS = [
  { days: 1, label: "1 day" },
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 365, label: "1 year" },
] as const;

/** A member: counts, badges, recent moderation; suspend / silence (period and reason, confirmed), trust level, moderator. */
export function MemberDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "forum", "members", "detail", id);
  const detail = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/forum/members/{id}", { params: { id } }) });
  const [sanction, setSanction] = useState<"suspend" | "silence" | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: tkey(ws.id, "forum", "members") });
    void qc.invalidateQueries({ queryKey: tkey(ws.id, "forum", "actions") });
  };
  const lift = useMutation({
    mutationFn: (action: "unsuspend" | "unsilence") =>
      api("POST /api/v1/forum/members/{id}/{action}", { params: { id, action }, body: {} }),
    onSuccess: (_r, a) => {
      toast.success(a === "unsuspend" ? "Suspension lifted" : "Silence lifted");
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const [level, setLevel] = useState<number | null>(null);
  const setTrust = useMutation({
    mutationFn: (l: number) => api("PUT /api/v1/forum/members/{id}/trust", { params: { id }, body: { level: l, locked: true } }),
    onSuccess: () => {
      toast.success("Trust level set (locked: activity no longer changes it)");
      setLevel(null);
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const moderator = useMutation({
    mutationFn: (on: boolean) => api("PUT /api/v1/forum/members/{id}/moderator", { params: { id }, body: { moderator: on } }),
    onSuccess: (_r, on) => {
      toast.success(on ? "Promoted to moderator" : "No longer a moderator");
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const m = detail.data;
  const s = m ? sanctionOf(m) : null;
  const canModerate = ws.can("forum:moderate");
  return (
    <Dialog
      open
      onClose={onClose}
      title={m ? m.display_name : "Member"}
      description={m ? `@${m.username}` : undefined}
      size="lg"
      footer={
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      }
    >
      {detail.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(detail.error)}
        </p>
      ) : !m ? (
        <Skeleton className="h-48" />
      ) : (
        <div className="space-y-5 text-sm">
          <p className="flex flex-wrap gap-1.5">
            <Badge>{trustLabel(m.trust_level)}</Badge>
            {m.trust_locked && <Badge>Level locked</Badge>}
            {m.kind === "staff" ? <Badge tone="accent">Staff</Badge> : m.moderator ? <Badge tone="success">Moderator</Badge> : null}
            {s && (
              <Badge tone="danger">
                {s.kind === "suspended" ? "Suspended" : "Silenced"} until {formatDateTime(s.until)}
              </Badge>
            )}
          </p>
          {s && m.sanction_reason && <p className="text-muted">Reason: {m.sanction_reason}</p>}
          <dl className="grid grid-cols-3 gap-3 sm:grid-cols-6">
            {(
              [
                ["Topics", m.topic_count],
                ["Posts", m.post_count],
                ["Likes in", m.likes_received],
                ["Accepted", m.accepted_answers],
                ["Reputation", m.reputation],
                ["Flags on them", m.flags_received],
              ] as const
            ).map(([k, v]) => (
              <div key={k}>
                <dt className="text-xs text-muted">{k}</dt>
                <dd className="text-lg font-semibold tabular-nums">{v}</dd>
              </div>
            ))}
          </dl>
          <section>
            <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">Badges</h3>
            <p className="mt-1 flex flex-wrap gap-1.5">
              {m.badges.length === 0 ? (
                <span className="text-muted">None yet</span>
              ) : (
                m.badges.map((b) => (
                  <Badge key={b.badge} tone="accent">
                    {b.name}
                  </Badge>
                ))
              )}
            </p>
          </section>
          {m.actions.length > 0 && (
            <section>
              <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">Moderation</h3>
              <ul className="mt-1 space-y-0.5">
                {m.actions.slice(0, 5).map((a) => (
                  <li key={a.id}>
                    {humanizeAction(a.action)} · {formatDateTime(a.created_at)}
                    {a.reason ? ` · ${a.reason}` : ""}
                    {a.reversed_at ? " (reversed)" : ""}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {canModerate && m.kind === "enduser" && (
            <section className="space-y-3 border-t border-line pt-4">
              <div className="flex flex-wrap gap-2">
                {s?.kind === "suspended" ? (
                  <Button variant="secondary" loading={lift.isPending} onClick={() => lift.mutate("unsuspend")}>
                    Lift suspension
                  </Button>
                ) : (
                  <Button variant="danger" onClick={() => setSanction("suspend")}>
                    Suspend…
                  </Button>
                )}
                {s?.kind === "silenced" ? (
                  <Button variant="secondary" loading={lift.isPending} onClick={() => lift.mutate("unsilence")}>
                    Lift silence
                  </Button>
                ) : (
                  s?.kind !== "suspended" && (
                    <Button variant="secondary" onClick={() => setSanction("silence")}>
                      Silence…
                    </Button>
                  )
                )}
                {ws.can("forum:manage") && (
                  <Button variant="secondary" loading={moderator.isPending} onClick={() => moderator.mutate(!m.moderator)}>
                    {m.moderator ? "Remove moderator" : "Promote to moderator"}
                  </Button>
                )}
              </div>
              <form
                className="flex flex-wrap items-end gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (level !== null) setTrust.mutate(level);
                }}
              >
                <Field label="Trust level">
                  <Select value={level ?? m.trust_level} onChange={(e) => setLevel(Number(e.target.value))}>
                    {TRUST_LEVELS.map((_, n) => (
                      <option key={trustLabel(n)} value={n}>
                        {trustLabel(n)}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Button type="submit" variant="secondary" disabled={level === null || level === m.trust_level} loading={setTrust.isPending}>
                  Set level
                </Button>
              </form>
            </section>
          )}
        </div>
      )}
      {sanction && m && (
        <SanctionDialog
          memberId={id}
          name={m.display_name}
          action={sanction}
          onClose={() => setSanction(null)}
          onDone={() => {
            setSanction(null);
            refresh();
          }}
        />
      )}
    </Dialog>
  );
}

function SanctionDialog({
  memberId,
  name,
  action,
  onClose,
  onDone,
}: {
  memberId: string;
  name: string;
  action: "suspend" | "silence";
  onClose: () => void;
  onDone: () => void;
}) {
  const [days, setDays] = useState<number>(7);
  const [reason, setReason] = useState("");
  const apply = useMutation({
    mutationFn: () =>
      api("POST /api/v1/forum/members/{id}/{action}", {
        params: { id: memberId, action },
        body: { until: new Date(Date.now() + days * 86_400_000).toISOString(), reason: reason.trim() },
      }),
    onSuccess: () => {
      toast.success(action === "suspend" ? `${name} is suspended` : `${name} is silenced`);
      onDone();
    },
  });
  const err = apply.error instanceof ApiError ? apply.error : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title={`${action === "suspend" ? "Suspend" : "Silence"} ${name}?`}
      description={
        action === "suspend"
          ? "A suspended member can read but not post, react, vote or flag until the period ends."
          : "A silenced member's posts are held for approval until the period ends."
      }
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="forum-sanction" variant="danger" loading={apply.isPending} disabled={!reason.trim()}>
            {action === "suspend" ? "Suspend" : "Silence"}
          </Button>
        </>
      }
    >
      <form
        id="forum-sanction"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) apply.mutate();
        }}
      >
        <Field label="For" error={err?.field("until")}>
          <Select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {PERIODS.map((p) => (
              <option key={p.days} value={p.days}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Reason (kept in the log; shown to the member)"
          error={err?.field("reason") ?? (apply.isError && !err?.problem.errors?.length ? errorMessage(apply.error) : undefined)}
        >
          <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
        </Field>
      </form>
    </Dialog>
  );
}
