import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { getAccessToken, getTenantId, hasRefreshToken, refreshTokens } from "../../lib/session";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { cx } from "../ui/cx";
import { toast } from "../ui/Toast";
import { UploadIcon } from "./icons";
import { type Duplicates, MappingStep, PreviewStep } from "./ImportMapping";
import { call, type Page } from "./request";
import type { SalesImport } from "./types";

const STEPS = ["Upload", "Map columns", "Preview", "Import"] as const;

/** Uploads the CSV with progress (XHR: fetch has no upload progress). Resolves with the new import. */
async function upload(file: File, onProgress: (pct: number) => void): Promise<SalesImport> {
  if (!getAccessToken() && hasRefreshToken()) await refreshTokens().catch(() => false);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/sales/imports?file_name=${encodeURIComponent(file.name)}`);
    const token = getAccessToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    const tenant = getTenantId();
    if (tenant) xhr.setRequestHeader("X-Tenant-ID", tenant);
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as SalesImport);
      else
        reject(
          new ApiError(
            data && typeof data === "object" && "title" in data
              ? (data as ApiError["problem"])
              : { type: "about:blank", title: `Upload failed (${xhr.status})`, status: xhr.status },
          ),
        );
    };
    xhr.onerror = () => reject(new ApiError({ type: "about:blank", title: "Network error", status: 0 }));
    xhr.send(file);
  });
}

function Progress({ value, label }: { value: number; label: string }) {
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-muted">
        <span>{label}</span>
        <span className="tabular-nums">{value}%</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuenow={value}
        aria-valuemin={0}
        aria-valuemax={100}
        className="h-2 rounded-full bg-subtle"
      >
        <div className="h-2 rounded-full bg-accent transition-[width]" style={{ width: `${value}%` }} />
      </div>
    </div>
  );
}

/** CSV import: upload (with progress) → column mapping → preview with per-row errors and duplicates → apply with progress and counts. */
export function ImportWizard() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState(0);
  const [pct, setPct] = useState(0);
  const [imp, setImp] = useState<SalesImport | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [duplicates, setDuplicates] = useState<Duplicates>("update");
  const send = useMutation({
    mutationFn: (f: File) => upload(f, setPct),
    onSuccess: (r) => {
      setImp(r);
      setMapping(r.suggested_mapping ?? r.mapping ?? {});
      setDuplicates(r.duplicates ?? "update");
      setStep(1);
    },
  });
  const apply = useMutation({
    mutationFn: () => call<SalesImport>("POST", `/sales/imports/${imp?.id}/apply`, { body: { mapping, duplicates } }),
    onSuccess: () => setStep(3),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const progress = useQuery({
    queryKey: tkey(ws.id, "sales", "import", imp?.id),
    queryFn: () => call<SalesImport>("GET", `/sales/imports/${imp?.id}`),
    enabled: step === 3 && Boolean(imp),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === "done" || q.state.data.status === "failed") ? false : 1000),
  });
  const recent = useQuery({
    queryKey: tkey(ws.id, "sales", "imports"),
    queryFn: () => call<Page<SalesImport>>("GET", "/sales/imports", { query: { limit: 10 } }),
  });
  const p = progress.data;
  const finished = p?.status === "done" || p?.status === "failed";
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "leads") });
  }, [finished, qc, ws.id]);
  const restart = () => {
    setStep(0);
    setImp(null);
    setPct(0);
    send.reset();
    apply.reset();
    void qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "imports") });
  };
  const mapped = Object.values(mapping).filter(Boolean);
  const mappingOk =
    mapped.includes("email") || (mapped.includes("domain") && (mapped.includes("first_name") || mapped.includes("last_name")));
  return (
    <>
      <PageHeader
        title="Import leads"
        description="A CSV with a header row. Rows are de-duplicated by email (or name and domain) and scored as they land."
      />
      <ol className="mb-4 flex flex-wrap gap-2 text-sm" aria-label="Import steps">
        {STEPS.map((s, i) => (
          <li
            key={s}
            aria-current={i === step ? "step" : undefined}
            className={cx(
              "rounded-full px-3 py-1",
              i === step ? "bg-accent-soft font-medium text-accent" : i < step ? "text-fg" : "text-muted",
            )}
          >
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <Card>
        {step === 0 && (
          <div className="space-y-4">
            <label className="flex cursor-pointer flex-col items-center gap-2 rounded-xl border-2 border-dashed border-line px-6 py-10 text-center hover:bg-subtle has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent">
              <UploadIcon className="size-8 text-accent" />
              <span className="text-sm font-medium">Choose a CSV file</span>
              <span className="text-xs text-muted">
                Columns such as email, first name, last name, title, company, domain, industry, employees, country
              </span>
              <input
                ref={fileInput}
                type="file"
                accept=".csv,text/csv"
                className="sr-only"
                disabled={send.isPending}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) send.mutate(f);
                }}
              />
            </label>
            {send.isPending && <Progress value={pct} label="Uploading" />}
            {send.isError && (
              <p role="alert" className="text-sm text-danger">
                {errorMessage(send.error)}
              </p>
            )}
          </div>
        )}
        {step === 1 && imp && (
          <MappingStep imp={imp} mapping={mapping} setMapping={setMapping} duplicates={duplicates} setDuplicates={setDuplicates} />
        )}
        {step === 2 && imp && <PreviewStep imp={imp} mapping={mapping} duplicates={duplicates} />}
        {step === 3 && (
          <div className="space-y-4" aria-live="polite">
            <Progress
              value={p?.total_rows ? Math.round((p.processed_rows / p.total_rows) * 100) : 0}
              label={finished ? "Finished" : "Importing"}
            />
            {p && (
              <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                {(
                  [
                    ["Created", p.created, "success"],
                    ["Updated", p.updated, "accent"],
                    ["Skipped", p.skipped, "neutral"],
                    ["Failed", p.failed, "danger"],
                  ] as const
                ).map(([k, v, tone]) => (
                  <div key={k} className="rounded-lg border border-line p-3">
                    <dt className="text-xs text-muted">{k}</dt>
                    <dd className="text-xl font-semibold tabular-nums">
                      <Badge tone={tone} className="text-base">
                        {v.toLocaleString()}
                      </Badge>
                    </dd>
                  </div>
                ))}
              </dl>
            )}
            {p && p.errors.length > 0 && (
              <div>
                <h3 className="mb-2 text-sm font-medium">Row errors{p.errors.length >= 500 ? " (first 500)" : ""}</h3>
                <ul className="max-h-64 overflow-y-auto rounded-lg border border-line text-sm">
                  {p.errors.map((e) => (
                    <li key={`${e.row}-${e.field}-${e.message}`} className="border-b border-line px-3 py-1.5 last:border-0">
                      Row {e.row}
                      {e.field ? ` · ${e.field}` : ""}: <span className="text-danger">{e.message}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
        <div className="mt-6 flex flex-wrap justify-between gap-2 border-t border-line pt-4">
          {step > 0 && step < 3 ? (
            <Button variant="secondary" onClick={() => setStep(step - 1)}>
              Back
            </Button>
          ) : (
            <span />
          )}
          {step === 1 && (
            <Button disabled={!mappingOk} onClick={() => setStep(2)}>
              Preview
            </Button>
          )}
          {step === 2 && (
            <Button loading={apply.isPending} onClick={() => apply.mutate()}>
              Import {imp?.total_rows.toLocaleString()} rows
            </Button>
          )}
          {step === 3 && finished && (
            <div className="flex gap-2">
              <Button variant="secondary" onClick={restart}>
                Import another file
              </Button>
              <Link to="/sales/leads" className={buttonClass("primary")}>
                See leads
              </Link>
            </div>
          )}
        </div>
      </Card>
      {(recent.data?.data.length ?? 0) > 0 && (
        <Card title="Recent imports" className="mt-6" bodyClassName="p-0">
          <ul className="divide-y divide-line text-sm">
            {recent.data?.data.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3">
                <span className="min-w-0 truncate font-medium">{r.file_name}</span>
                <span className="text-muted">
                  {r.status} · {r.created} created · {r.updated} updated · {r.failed} failed · {formatRelative(r.created_at)}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
