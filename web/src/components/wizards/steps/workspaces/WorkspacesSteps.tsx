import { useState } from "react";
import { FilePickerDialog, FileThumbById } from "../../../commerce/FilePicker";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { Field, Input } from "../../../ui/Field";
import { Skeleton } from "../../../ui/Skeleton";
import type { StepComponent, StepProps } from "..";
import { useAnswers, useStepStatus } from "../useStepStatus";

interface Verification {
  domain: string;
  status: "pending" | "verified";
  record_type: string;
  record_name: string;
  record_value: string;
  last_checked_at: string | null;
  last_result: string | null;
}

function SubWorkspacesStep({ kind, stepId, value, onChange, errors }: StepProps) {
  const status = useStepStatus(kind, stepId);
  const d = status.data?.detail as
    | { children: { id: string; name: string; slug: string }[]; plan: string; plan_allows: boolean }
    | undefined;
  const v = useAnswers<{ children: { name: string }[] }>(value, { children: [] }, onChange);
  const rows = v.children ?? [];
  const set = (next: { name: string }[]) => onChange({ children: next });
  if (!d) return <Skeleton className="h-40" />;
  return (
    <div className="grid gap-4">
      {!d.plan_allows && (
        <p className="rounded-lg border border-line bg-subtle p-3 text-sm">
          Sub-workspaces come with the <strong>Enterprise</strong> plan (this workspace is on {d.plan}): each one is a full workspace for a
          client or branch, with its own members, data and limits. You can skip this step.
        </p>
      )}
      {d.children.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-medium">Existing sub-workspaces</h3>
          <ul className="divide-y divide-line rounded-lg border border-line text-sm">
            {d.children.map((c) => (
              <li key={c.id} className="flex justify-between px-3 py-2">
                <span>{c.name}</span>
                <code className="text-xs text-muted">{c.slug}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">New sub-workspaces (you will be their owner)</legend>
        {rows.length === 0 && <p className="text-sm text-muted">None — add one per client or branch, or go on without.</p>}
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional (name only), reordered never
          <div key={i} className="flex items-end gap-2">
            <Field label={`Name ${i + 1}`} error={errors[`children.${i}.name`]} className="flex-1">
              <Input value={r.name} maxLength={80} onChange={(e) => set(rows.map((x, j) => (j === i ? { name: e.target.value } : x)))} />
            </Field>
            <Button
              type="button"
              variant="ghost"
              size="sm"
              onClick={() => set(rows.filter((_, j) => j !== i))}
              aria-label={`Remove ${r.name || `row ${i + 1}`}`}
            >
              Remove
            </Button>
          </div>
        ))}
        {errors.children && <p className="text-sm text-danger">{errors.children}</p>}
        <div>
          <Button type="button" variant="secondary" size="sm" onClick={() => set([...rows, { name: "" }])} disabled={rows.length >= 10}>
            Add a sub-workspace
          </Button>
        </div>
      </fieldset>
    </div>
  );
}

function DomainStep({ value, onChange, errors, state }: StepProps) {
  const current = state.domain_verification as Verification | null | undefined;
  const v = useAnswers<{ domain: string | null }>(value, { domain: current?.domain ?? null }, onChange);
  return (
    <div className="grid gap-3">
      <Field
        label="Portal domain"
        hint="A subdomain you control, e.g. help.example.com. Leave empty to keep the Weft address."
        error={errors.domain}
      >
        <Input
          value={v.domain ?? ""}
          placeholder="help.example.com"
          onChange={(e) => onChange({ domain: e.target.value.trim() || null })}
        />
      </Field>
      <p className="text-xs text-muted">
        Next shows the DNS record that proves the domain is yours. Point the domain's CNAME at your Weft portal once it is verified.
      </p>
    </div>
  );
}

function VerifyStep({ kind, stepId, state }: StepProps) {
  const saved = state.domain_verification as Verification | null | undefined;
  const status = useStepStatus(kind, stepId);
  const v = (status.data?.detail.verification as Verification | null | undefined) ?? saved ?? null;
  const [copied, setCopied] = useState<string | null>(null);
  if (!saved) return <p className="text-sm text-muted">No custom domain: nothing to verify. Continue to branding.</p>;
  if (!v) return <Skeleton className="h-32" />;
  const copy = (text: string) => {
    void navigator.clipboard?.writeText(text);
    setCopied(text);
  };
  return (
    <div className="grid gap-4">
      <dl className="grid gap-3 rounded-lg border border-line p-3 text-sm">
        <div className="grid gap-1 sm:grid-cols-[8rem_1fr]">
          <dt className="text-muted">Type</dt>
          <dd>
            <code>TXT</code>
          </dd>
        </div>
        {[
          { label: "Name", text: v.record_name },
          { label: "Value", text: v.record_value },
        ].map((r) => (
          <div key={r.label} className="grid gap-1 sm:grid-cols-[8rem_1fr] sm:items-center">
            <dt className="text-muted">{r.label}</dt>
            <dd className="flex min-w-0 items-center justify-between gap-2">
              <code className="min-w-0 break-all">{r.text}</code>
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => copy(r.text)}
                aria-label={`Copy the record ${r.label.toLowerCase()}`}
              >
                {copied === r.text ? "Copied" : "Copy"}
              </Button>
            </dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap items-center gap-3" aria-live="polite">
        <Badge tone={v.status === "verified" ? "success" : "warning"}>{v.status === "verified" ? "Verified" : "Pending"}</Badge>
        <span className="text-sm text-muted">{v.last_result ? `Last check: ${v.last_result}` : "Not checked yet"}</span>
        <Button type="button" variant="secondary" size="sm" onClick={() => status.refetch()} disabled={status.isFetching}>
          {status.isFetching ? "Checking…" : "Check"}
        </Button>
      </div>
      <p className="text-xs text-muted">
        The check asks a public DNS-over-HTTPS resolver. You can finish now and check later; the domain is used once verified.
      </p>
    </div>
  );
}

function BrandingStep({ kind, stepId, value, onChange, errors }: StepProps) {
  const status = useStepStatus(kind, stepId);
  const d = status.data?.detail as
    | { brand_name: string | null; primary_color: string | null; accent_color: string | null; logo_file_id: string | null }
    | undefined;
  const v = useAnswers(
    value,
    d
      ? {
          brand_name: d.brand_name,
          primary_color: d.primary_color ?? "#4f46e5",
          accent_color: d.accent_color,
          logo_file_id: d.logo_file_id,
        }
      : null,
    onChange,
  );
  const [picking, setPicking] = useState(false);
  if (!d) return <Skeleton className="h-48" />;
  const primary = String(v.primary_color ?? "#4f46e5");
  const accent = v.accent_color ? String(v.accent_color) : null;
  const logo = (v.logo_file_id as string | null | undefined) ?? null;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
      <div className="grid gap-4">
        <Field label="Brand name" hint="Shown instead of the workspace name; empty uses the workspace name" error={errors.brand_name}>
          <Input
            value={String(v.brand_name ?? "")}
            maxLength={80}
            onChange={(e) => onChange({ ...v, brand_name: e.target.value || null })}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Primary colour" error={errors.primary_color}>
            <div className="flex items-center gap-2">
              <input
                type="color"
                aria-label="Pick the primary colour"
                value={primary}
                onChange={(e) => onChange({ ...v, primary_color: e.target.value })}
              />
              <Input
                aria-label="Primary colour (hex)"
                value={primary}
                maxLength={7}
                onChange={(e) => onChange({ ...v, primary_color: e.target.value })}
              />
            </div>
          </Field>
          <Field label="Accent colour" hint="Optional" error={errors.accent_color}>
            <div className="flex items-center gap-2">
              <input
                type="color"
                aria-label="Pick the accent colour"
                value={accent ?? "#f59e0b"}
                onChange={(e) => onChange({ ...v, accent_color: e.target.value })}
              />
              <Input
                value={accent ?? ""}
                maxLength={7}
                placeholder="none"
                onChange={(e) => onChange({ ...v, accent_color: e.target.value || null })}
              />
            </div>
          </Field>
        </div>
        <div className="flex items-center gap-3">
          {logo && <FileThumbById id={logo} className="size-12 rounded-lg" />}
          <Button type="button" size="sm" variant="secondary" onClick={() => setPicking(true)}>
            {logo ? "Change logo" : "Choose a logo"}
          </Button>
          {logo && (
            <Button type="button" size="sm" variant="ghost" onClick={() => onChange({ ...v, logo_file_id: null })}>
              Remove logo
            </Button>
          )}
        </div>
        {errors.logo_file_id && <p className="text-sm text-danger">{errors.logo_file_id}</p>}
        <FilePickerDialog
          open={picking}
          onClose={() => setPicking(false)}
          title="Logo"
          accept="image/"
          onPick={(id) => {
            onChange({ ...v, logo_file_id: id });
            setPicking(false);
          }}
        />
      </div>
      <aside aria-label="Portal preview" className="overflow-hidden rounded-xl border border-line">
        <div className="flex items-center gap-2 px-3 py-2 text-sm font-semibold text-white" style={{ background: primary }}>
          {logo && <FileThumbById id={logo} className="size-6 rounded" />}
          {String(v.brand_name || "Your workspace")}
        </div>
        <div className="grid gap-2 bg-surface p-3 text-sm">
          <p>Your orders</p>
          <span
            className="inline-block w-fit rounded-md px-3 py-1.5 text-xs font-medium text-white"
            style={{ background: accent ?? primary }}
          >
            Open a ticket
          </span>
        </div>
      </aside>
    </div>
  );
}

export const WORKSPACES_STEPS: Record<string, StepComponent> = {
  sub_workspaces: SubWorkspacesStep,
  domain: DomainStep,
  verify: VerifyStep,
  branding: BrandingStep,
};
