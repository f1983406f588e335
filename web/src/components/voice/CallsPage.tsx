import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { PhoneIcon } from "./icons";
import { minutes, STATUS_LABEL, STATUS_TONE, type CallStatus, type CallSummary } from "./types";
import { UploadCall } from "./UploadCall";

/** Calls: the list (search in titles and transcripts, status filter, pages) and the upload dialog. */
export function CallsPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  const [status, setStatus] = useState<CallStatus | "">("");
  const [uploading, setUploading] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q]);
  const query = { limit: 25, cursor: pager.cursor, q: debounced || undefined, status: status || undefined };
  const calls = useQuery({
    queryKey: tkey(ws.id, "voice", "calls", query),
    queryFn: () => call<Page<CallSummary>>("GET", "/sales/calls", { query }),
    placeholderData: keepPreviousData,
    // While a call is being transcribed or analysed, look again.
    refetchInterval: (qr) => (qr.state.data?.data.some((c) => c.status === "pending" || c.status === "transcribed") ? 1500 : false),
  });
  const canWrite = ws.can("sales:write");
  const filtered = Boolean(debounced || status);
  return (
    <>
      <PageHeader
        title="Calls"
        description="Upload a call's transcript or recording: the AI summarises it and proposes follow-up tasks, tickets and an email, each waiting for your OK."
        actions={
          canWrite && (
            <Button onClick={() => setUploading(true)}>
              <PhoneIcon />
              Upload a call
            </Button>
          )
        }
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="flex flex-wrap items-end gap-3 border-b border-line p-4">
          <Field label="Search" className="min-w-48 flex-1" hideLabel>
            <Input
              type="search"
              placeholder="Search titles and transcripts"
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                pager.reset();
              }}
            />
          </Field>
          <Field label="Status" hideLabel>
            <Select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as CallStatus | "");
                pager.reset();
              }}
            >
              <option value="">All statuses</option>
              {(Object.keys(STATUS_LABEL) as CallStatus[]).map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {calls.isPending ? (
          <TableSkeleton rows={5} />
        ) : calls.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(calls.error)}
          </p>
        ) : calls.data.data.length === 0 ? (
          <EmptyState
            icon={<PhoneIcon />}
            title={filtered ? "No calls match" : "No calls yet"}
            action={
              !filtered && canWrite ? (
                <Button variant="secondary" onClick={() => setUploading(true)}>
                  Upload a call
                </Button>
              ) : undefined
            }
          >
            {filtered
              ? "Try other words or another status."
              : "Upload a transcript from your meeting tool (VTT or SRT) or paste “Speaker: line” text, and get the follow-ups proposed."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-line" aria-label="Calls">
            {calls.data.data.map((c) => (
              <li key={c.id} className="px-4 py-3 hover:bg-subtle">
                <div className="flex flex-wrap items-center gap-2">
                  <Link to="/sales/calls/$id" params={{ id: c.id }} className="font-medium text-fg hover:underline">
                    {c.title}
                  </Link>
                  <Badge tone={STATUS_TONE[c.status]}>{STATUS_LABEL[c.status]}</Badge>
                  {c.open_proposals > 0 && <Badge tone="accent">{c.open_proposals} to review</Badge>}
                  {c.source === "recording" && <Badge>Recording</Badge>}
                </div>
                <p className="mt-0.5 text-xs text-muted">
                  {formatDateTime(c.occurred_at)}
                  {c.duration_ms ? ` · ${minutes(c.duration_ms)}` : ""}
                  {c.lead ? ` · ${c.lead.name}` : ""}
                </p>
                {c.status === "failed" ? (
                  <p className="mt-1 text-sm text-danger">{c.failure_reason}</p>
                ) : (
                  c.summary && <p className="mt-1 line-clamp-2 text-sm text-muted">{c.summary}</p>
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(calls.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(calls.data?.next_cursor)}
        />
      </section>
      <UploadCall open={uploading} onClose={() => setUploading(false)} />
    </>
  );
}
