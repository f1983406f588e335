import { useRef, useState } from "react";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { Field, Input, Select, Textarea } from "../../../ui/Field";
import type { StepComponent, StepProps } from "..";
import { useAnswers, useStepStatus } from "../useStepStatus";

interface Row {
  email: string;
  role: "admin" | "member" | "viewer";
}
interface Buddy {
  email: string;
  buddy_user_id: string | null;
}
interface Sent {
  email: string;
  invitation_id: string | null;
  error: string | null;
}

const ROLE_HINT: Record<Row["role"], string> = {
  admin: "Manages members, billing and settings",
  member: "Works in the workspace",
  viewer: "Reads, changes nothing",
};

/** Addresses out of pasted text: one per line, or separated by commas, semicolons or spaces. */
const parseList = (text: string) => [
  ...new Set(
    text
      .split(/[\s,;]+/)
      .map((s) => s.trim().replace(/^<|>$/g, ""))
      .filter(Boolean),
  ),
];

function InvitesStep({ kind, stepId, value, onChange, errors }: StepProps) {
  const v = useAnswers(value, { invites: [] as Row[] }, onChange);
  const rows = (v.invites ?? []) as Row[];
  const [paste, setPaste] = useState("");
  const seats = useStepStatus(kind, stepId).data?.detail as { seat_limit: number | null; seats_taken: number; plan: string } | undefined;
  // Stable React keys for the rows (they have no ids; the email changes while typed).
  const ids = useRef<number[]>([]);
  const counter = useRef(0);
  while (ids.current.length < rows.length) ids.current.push(++counter.current);
  const set = (next: Row[], removed?: number) => {
    if (removed !== undefined) ids.current.splice(removed, 1);
    onChange({ invites: next });
  };
  const add = () => {
    const known = new Set(rows.map((r) => r.email.toLowerCase()));
    set([
      ...rows,
      ...parseList(paste)
        .filter((e) => !known.has(e.toLowerCase()))
        .map((email) => ({ email, role: "member" as const })),
    ]);
    setPaste("");
  };
  return (
    <div className="space-y-4">
      <Field
        label="Paste addresses"
        hint="One per line, or separated by commas. Each person gets the Member role; change it per row below."
      >
        <Textarea
          value={paste}
          onChange={(e) => setPaste(e.target.value)}
          placeholder={"ana@example.com\nbo@example.com"}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              add();
            }
          }}
        />
      </Field>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button variant="secondary" size="sm" onClick={add} disabled={!paste.trim()}>
          Add to the list
        </Button>
        {seats && (
          <p className="text-xs text-muted">
            {seats.seat_limit === null
              ? "Unlimited seats"
              : `${seats.seats_taken} of ${seats.seat_limit} seats taken (members + pending invitations)`}
          </p>
        )}
      </div>
      {errors.invites && <p className="text-xs font-medium text-danger">{errors.invites}</p>}
      {rows.length > 0 && (
        <ul className="divide-y divide-line rounded-lg border border-line">
          {rows.map((r, i) => (
            <li key={ids.current[i]} className="grid gap-2 p-3 sm:grid-cols-[1fr_11rem_auto] sm:items-start">
              <Field label={`Email ${i + 1}`} hideLabel error={errors[`invites.${i}.email`]}>
                <Input
                  value={r.email}
                  type="email"
                  onChange={(e) => set(rows.map((x, j) => (j === i ? { ...x, email: e.target.value } : x)))}
                />
              </Field>
              <Field label={`Role for ${r.email || `row ${i + 1}`}`} hideLabel error={errors[`invites.${i}.role`]} hint={ROLE_HINT[r.role]}>
                <Select
                  value={r.role}
                  onChange={(e) => set(rows.map((x, j) => (j === i ? { ...x, role: e.target.value as Row["role"] } : x)))}
                >
                  <option value="admin">Admin</option>
                  <option value="member">Member</option>
                  <option value="viewer">Viewer</option>
                </Select>
              </Field>
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove ${r.email}`}
                onClick={() =>
                  set(
                    rows.filter((_, j) => j !== i),
                    i,
                  )
                }
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function BuddiesStep({ kind, stepId, value, onChange, errors, state }: StepProps) {
  const invited = (((state.invites as { invites?: Row[] } | undefined)?.invites ?? []) as Row[]).map((r) => r.email);
  const members = (useStepStatus(kind, stepId).data?.detail.members ?? []) as { user_id: string; name: string; email: string }[];
  const defaults = { buddies: invited.map((email) => ({ email, buddy_user_id: null })) };
  const v = useAnswers(value, defaults, onChange);
  const buddies = (v.buddies ?? []) as Buddy[];
  const pick = (email: string, id: string) =>
    onChange({
      buddies: invited.map((e) => ({
        email: e,
        buddy_user_id: e === email ? id || null : (buddies.find((b) => b.email === e)?.buddy_user_id ?? null),
      })),
    });
  return (
    <ul className="space-y-3">
      {invited.map((email, i) => (
        <li key={email}>
          <Field
            label={`Buddy for ${email}`}
            error={errors[`buddies.${i}.buddy_user_id`]}
            hint="Optional: told by email and in-app when they join"
          >
            <Select value={buddies.find((b) => b.email === email)?.buddy_user_id ?? ""} onChange={(e) => pick(email, e.target.value)}>
              <option value="">No buddy</option>
              {members.map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {m.name || m.email}
                </option>
              ))}
            </Select>
          </Field>
        </li>
      ))}
    </ul>
  );
}

function ReviewStep({ state, onChange, value }: StepProps) {
  useAnswers(value, { send: true }, onChange);
  const rows = ((state.invites as { invites?: Row[] } | undefined)?.invites ?? []) as Row[];
  const buddies = ((state.buddies as { buddies?: Buddy[] } | undefined)?.buddies ?? []) as Buddy[];
  const sent = (state.sent as Sent[] | undefined) ?? [];
  return (
    <div className="space-y-3 text-sm">
      <p className="text-muted">Finish sends these invitations; they can be resent or revoked from the Team page.</p>
      <ul className="divide-y divide-line rounded-lg border border-line">
        {rows.map((r) => {
          const s = sent.find((x) => x.email === r.email.toLowerCase());
          return (
            <li key={r.email} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <span>
                {r.email} <span className="text-muted">· {r.role}</span>
                {buddies.find((b) => b.email === r.email)?.buddy_user_id && <span className="text-muted"> · has a buddy</span>}
              </span>
              {s?.invitation_id ? <Badge tone="success">Sent</Badge> : s?.error ? <Badge tone="danger">{s.error}</Badge> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export const TEAM_STEPS: Record<string, StepComponent> = { invites: InvitesStep, buddies: BuddiesStep, review: ReviewStep };
