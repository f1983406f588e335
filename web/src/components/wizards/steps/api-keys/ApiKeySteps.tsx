import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../../../lib/api";
import { getTenantId } from "../../../../lib/session";
import { CopyButton } from "../../../settings/CopyButton";
import { Field, Input, Select } from "../../../ui/Field";
import { cx } from "../../../ui/cx";
import type { StepComponent, StepProps } from "..";
import { useAnswers, useStepStatus } from "../useStepStatus";

interface CreatedKey {
  key_id: string;
  prefix: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
}

function ScopesStep({ kind, stepId, value, onChange, errors }: StepProps) {
  const v = useAnswers(value, { scopes: [] as string[] }, onChange);
  const chosen = new Set((v.scopes ?? []) as string[]);
  const all = (useStepStatus(kind, stepId).data?.detail.scopes ?? []) as { scope: string; description: string }[];
  const toggle = (s: string) => {
    const next = new Set(chosen);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    onChange({ scopes: all.map((x) => x.scope).filter((x) => next.has(x)) });
  };
  const area = (s: string) => s.split(":")[0] ?? s;
  const areas = [...new Set(all.map((s) => area(s.scope)))];
  return (
    <fieldset>
      <legend className="mb-3 text-sm text-muted">Pick only what the program needs: a key can do nothing outside its scopes.</legend>
      {errors.scopes && <p className="mb-2 text-xs font-medium text-danger">{errors.scopes}</p>}
      <div className="max-h-[28rem] space-y-4 overflow-y-auto pr-1">
        {areas.map((a) => (
          <div key={a}>
            <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{a.replace(/_/g, " ")}</p>
            <ul className="space-y-1">
              {all
                .filter((s) => area(s.scope) === a)
                .map((s) => {
                  const i = ((v.scopes ?? []) as string[]).indexOf(s.scope);
                  return (
                    <li key={s.scope}>
                      <label
                        className={cx(
                          "flex cursor-pointer gap-3 rounded-lg p-2 text-sm hover:bg-subtle",
                          chosen.has(s.scope) && "bg-accent-soft/40",
                        )}
                      >
                        <input
                          type="checkbox"
                          className="mt-0.5 accent-accent"
                          checked={chosen.has(s.scope)}
                          onChange={() => toggle(s.scope)}
                        />
                        <span>
                          <code className="text-xs font-semibold">{s.scope}</code>
                          <span className="block text-muted">{s.description}</span>
                          {i >= 0 && errors[`scopes.${i}`] && (
                            <span className="block text-xs font-medium text-danger">{errors[`scopes.${i}`]}</span>
                          )}
                        </span>
                      </label>
                    </li>
                  );
                })}
            </ul>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function DetailsStep({ value, onChange, errors, state }: StepProps) {
  const v = useAnswers(value, { name: "", expires_in_days: 90 as number | null }, onChange);
  const created = state.created as CreatedKey | undefined;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field label="Key name" hint="Where it is used, e.g. “CI deploys” or “Billing sync”" error={errors.name}>
        <Input
          value={String(v.name ?? "")}
          maxLength={100}
          onChange={(e) => onChange({ ...v, name: e.target.value })}
          disabled={Boolean(created)}
        />
      </Field>
      <Field label="Expires" hint="A key that expires limits the damage if it ever leaks" error={errors.expires_in_days}>
        <Select
          value={v.expires_in_days === null ? "never" : String(v.expires_in_days)}
          onChange={(e) => onChange({ ...v, expires_in_days: e.target.value === "never" ? null : Number(e.target.value) })}
          disabled={Boolean(created)}
        >
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="365">In a year</option>
          <option value="never">Never</option>
        </Select>
      </Field>
      {created && (
        <p className="text-sm text-muted sm:col-span-2">
          This run already created “{created.name}” ({created.prefix}…); Next keeps it.
        </p>
      )}
    </div>
  );
}

const LANGS = [
  ["curl", "curl"],
  ["fetch", "JavaScript"],
  ["python", "Python"],
] as const;

function SnippetStep({ kind, stepId, value, onChange, reveal }: StepProps) {
  useAnswers(value, { copied: true }, onChange);
  const detail = useStepStatus(kind, stepId).data?.detail as Record<string, string | null> | undefined;
  const [lang, setLang] = useState<(typeof LANGS)[number][0]>("curl");
  const secret = typeof reveal?.secret === "string" ? reveal.secret : null;
  const code = detail?.[lang] ?? "";
  const shown = secret ? code.replace("$WEFT_API_KEY", secret).replace("process.env.WEFT_API_KEY", JSON.stringify(secret)) : code;
  return (
    <div className="space-y-4">
      {secret ? (
        <div className="rounded-lg border border-warning/40 bg-warning-soft p-3">
          <p className="text-sm font-medium">Copy the key now: it is shown only this once.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-surface px-2 py-1 text-xs" data-testid="new-api-key">
              {secret}
            </code>
            <CopyButton value={secret} label="Copy key" />
          </div>
        </div>
      ) : (
        <p className="rounded-lg border border-line p-3 text-sm text-muted">
          The key's secret was shown once when it was created; the snippets use <code>$WEFT_API_KEY</code> in its place.
        </p>
      )}
      <div>
        <div role="tablist" aria-label="Language" className="mb-2 flex gap-1">
          {LANGS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={lang === id}
              onClick={() => setLang(id)}
              className={cx("rounded-md px-3 py-1.5 text-sm", lang === id ? "bg-accent-soft font-medium" : "text-muted hover:bg-subtle")}
            >
              {label}
            </button>
          ))}
        </div>
        <pre className="overflow-x-auto rounded-lg bg-subtle p-3 text-xs" role="tabpanel">
          <code>{shown}</code>
        </pre>
        <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-xs text-muted">
          <span>
            Base URL <code>{detail?.base_url}</code>
            {detail &&
              !detail.sample_path &&
              " · none of this key's scopes has a simple read endpoint; the snippet shows the request shape"}
          </span>
          {shown && <CopyButton value={shown} label="Copy snippet" />}
        </div>
      </div>
    </div>
  );
}

function RotationStep({ value, onChange, errors, state }: StepProps) {
  const v = useAnswers(value, { replace_key_id: null as string | null, confirm_revoke: false }, onChange);
  const created = state.created as CreatedKey | undefined;
  const keys = useQuery({
    queryKey: ["t", getTenantId(), "api-keys", "wizard"],
    queryFn: () => api("GET /api/v1/api-keys", { query: { limit: 100 } }),
  });
  const old = (keys.data?.data ?? []).filter((k) => !k.revoked_at && k.id !== created?.key_id);
  const picked = old.find((k) => k.id === v.replace_key_id);
  return (
    <div className="space-y-4">
      <Field label="Does the new key replace an older one?" error={errors.replace_key_id}>
        <Select
          value={v.replace_key_id ?? ""}
          onChange={(e) => onChange({ replace_key_id: e.target.value || null, confirm_revoke: false })}
        >
          <option value="">No, keep every key</option>
          {old.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} ({k.prefix}…){k.last_used_at ? `, last used ${new Date(k.last_used_at).toLocaleDateString()}` : ", never used"}
            </option>
          ))}
        </Select>
      </Field>
      {picked && (
        <label className="flex items-start gap-3 rounded-lg border border-danger/40 bg-danger-soft p-3 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 accent-accent"
            checked={v.confirm_revoke === true}
            onChange={(e) => onChange({ ...v, confirm_revoke: e.target.checked })}
            aria-describedby="revoke-hint"
          />
          <span>
            <span className="font-medium">Revoke “{picked.name}” now</span>
            <span id="revoke-hint" className="block text-muted">
              Put the new key in place first: programs still using the old key get 401 from this moment.
            </span>
            {errors.confirm_revoke && <span className="block text-xs font-medium text-danger">{errors.confirm_revoke}</span>}
          </span>
        </label>
      )}
    </div>
  );
}

export const API_KEY_STEPS: Record<string, StepComponent> = {
  scopes: ScopesStep,
  details: DetailsStep,
  snippet: SnippetStep,
  rotation: RotationStep,
};
