import { Link } from "@tanstack/react-router";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../../lib/api";
import { getTenantId } from "../../../../lib/session";
import { Badge } from "../../../ui/Badge";
import { cx } from "../../../ui/cx";
import type { StepComponent, StepProps } from "..";
import { useAnswers, useStepStatus } from "../useStepStatus";

/** The workspace's current policy: the starting answers of a first run. */
function usePolicy() {
  return useQuery({ queryKey: ["t", getTenantId(), "security-policy"], queryFn: () => api("GET /api/v1/security-policy") });
}

function Choice({
  name,
  checked,
  onSelect,
  title,
  children,
}: {
  name: string;
  checked: boolean;
  onSelect: () => void;
  title: string;
  children?: React.ReactNode;
}) {
  return (
    <label
      className={cx(
        "flex cursor-pointer items-start gap-3 rounded-lg border p-3 text-sm",
        checked ? "border-accent bg-accent-soft/40" : "border-line hover:bg-subtle",
      )}
    >
      <input type="radio" name={name} checked={checked} onChange={onSelect} className="mt-0.5 accent-accent" />
      <span>
        <span className="font-medium">{title}</span>
        {children && <span className="mt-0.5 block text-muted">{children}</span>}
      </span>
    </label>
  );
}

function MfaStep({ kind, stepId, value, onChange, errors }: StepProps) {
  const policy = usePolicy();
  const status = useStepStatus(kind, stepId);
  const v = useAnswers(value, policy.data ? { require_mfa: policy.data.mfa_required } : null, onChange);
  const youHaveMfa = status.data?.detail.you_have_mfa === true;
  return (
    <fieldset className="space-y-3">
      <legend className="sr-only">Two-factor authentication for this workspace</legend>
      <p className="text-sm">
        Your account:{" "}
        {status.isPending ? "…" : youHaveMfa ? <Badge tone="success">Two-factor on</Badge> : <Badge tone="warning">Two-factor off</Badge>}
      </p>
      <Choice
        name="mfa"
        checked={v.require_mfa === true}
        onSelect={() => onChange({ require_mfa: true })}
        title="Require two-factor authentication"
      >
        Members without it see a page asking them to turn it on before they can use this workspace.
      </Choice>
      <Choice
        name="mfa"
        checked={v.require_mfa === false}
        onSelect={() => onChange({ require_mfa: false })}
        title="Leave it to each member"
      >
        Two-factor stays optional (recommended only for small, low-risk workspaces).
      </Choice>
      {v.require_mfa === true && !youHaveMfa && status.data && (
        <p className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm">
          You need two-factor authentication yourself first, or you would lock yourself out.{" "}
          <Link to="/settings/security" className="font-medium text-accent underline">
            Turn it on in your security settings
          </Link>
          , then come back: your answers are saved.
        </p>
      )}
      {errors.require_mfa && <p className="text-xs font-medium text-danger">{errors.require_mfa}</p>}
    </fieldset>
  );
}

const LIFETIMES: { hours: number | null; label: string; hint: string }[] = [
  { hours: 1, label: "1 hour", hint: "Strict: for shared or high-risk machines." },
  { hours: 8, label: "8 hours", hint: "About a working day." },
  { hours: 24, label: "1 day", hint: "" },
  { hours: 168, label: "7 days", hint: "" },
  { hours: 720, label: "30 days", hint: "" },
  { hours: null, label: "No workspace limit", hint: "Sessions last as long as Weft's own (refreshed while in use)." },
];

function SessionsStep({ value, onChange, errors }: StepProps) {
  const policy = usePolicy();
  const v = useAnswers(value, policy.data ? { session_lifetime_hours: policy.data.session_lifetime_hours } : null, onChange);
  return (
    <fieldset className="grid gap-2 sm:grid-cols-2">
      <legend className="sr-only">Session lifetime</legend>
      {LIFETIMES.map((l) => (
        <Choice
          key={String(l.hours)}
          name="lifetime"
          checked={v.session_lifetime_hours === l.hours}
          onSelect={() => onChange({ session_lifetime_hours: l.hours })}
          title={l.label}
        >
          {l.hint || undefined}
        </Choice>
      ))}
      {errors.session_lifetime_hours && <p className="text-xs font-medium text-danger sm:col-span-2">{errors.session_lifetime_hours}</p>}
    </fieldset>
  );
}

function MethodsStep({ value, onChange, errors, state }: StepProps) {
  const policy = usePolicy();
  const v = useAnswers(value, policy.data ? { api_keys_allowed: policy.data.api_keys_allowed } : null, onChange);
  const mfa = (state.mfa as { require_mfa?: boolean } | undefined)?.require_mfa;
  return (
    <div className="space-y-4 text-sm">
      <div className="rounded-lg border border-line p-3">
        <p className="font-medium">People: email and password</p>
        <p className="mt-0.5 text-muted">
          Always on. {mfa ? "With two-factor required, a code from an authenticator app too." : "Two-factor is optional (previous step)."}
        </p>
      </div>
      <fieldset className="space-y-2">
        <legend className="mb-1 font-medium">Machines: secret API keys</legend>
        <Choice
          name="keys"
          checked={v.api_keys_allowed === true}
          onSelect={() => onChange({ api_keys_allowed: true })}
          title="Allow API keys"
        >
          Programs call Weft with keys made on the API keys page, limited to their scopes.
        </Choice>
        <Choice
          name="keys"
          checked={v.api_keys_allowed === false}
          onSelect={() => onChange({ api_keys_allowed: false })}
          title="Turn API keys off"
        >
          Every key of this workspace stops working at once (answers 401) until they are allowed again.
        </Choice>
      </fieldset>
      {errors.api_keys_allowed && <p className="text-xs font-medium text-danger">{errors.api_keys_allowed}</p>}
    </div>
  );
}

export const SECURITY_STEPS: Record<string, StepComponent> = { mfa: MfaStep, sessions: SessionsStep, methods: MethodsStep };
