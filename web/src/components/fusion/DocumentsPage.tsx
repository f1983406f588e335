import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { Tabs } from "../ui/Tabs";
import { GenerateRun } from "./GenerateRun";
import { CardsIcon } from "./icons";
import {
  confidenceLabel,
  KIND_LABEL,
  KIND_PLURAL,
  STATUS_LABEL,
  STATUS_TONE,
  type FusionDocument,
  type FusionKind,
  type FusionStatus,
} from "./types";

type Tab = FusionKind | "all";
const TABS: { key: Tab; label: string }[] = [
  { key: "all", label: "All" },
  ...(Object.keys(KIND_PLURAL) as FusionKind[]).map((k) => ({ key: k, label: KIND_PLURAL[k] })),
];

/** Sales knowledge: documents fused from calls and email threads (kind tabs, status filter, search, pages) and the generate button. */
export function DocumentsPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [tab, setTab] = useState<Tab>("all");
  const [status, setStatus] = useState<FusionStatus | "">("");
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q]);
  const query = {
    limit: 25,
    cursor: pager.cursor,
    kind: tab === "all" ? undefined : tab,
    status: status || undefined,
    q: debounced || undefined,
  };
  const docs = useQuery({
    queryKey: tkey(ws.id, "fusion", "documents", query),
    queryFn: () => call<Page<FusionDocument>>("GET", "/sales/fusion/documents", { query }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(debounced || status || tab !== "all");
  if (docs.error instanceof ApiError && docs.error.status === 402)
    return (
      <>
        <PageHeader title="Sales knowledge" />
        <EmptyState
          icon={<CardsIcon />}
          title="Knowledge fusion is part of the Professional plan"
          action={
            <Link to="/settings/billing" search={{ checkout: undefined }} className={buttonClass("primary")}>
              See plans
            </Link>
          }
        >
          {errorMessage(docs.error)}
        </EmptyState>
      </>
    );
  return (
    <>
      <PageHeader
        title="Sales knowledge"
        description="Battle cards, playbooks, objection handlers and FAQs written from your calls and email replies, each with the quotes it rests on. Review them, then publish into the knowledge base the chat widget and the writer use."
        actions={docs.isSuccess && <GenerateRun />}
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="px-4 pt-3">
          <Tabs
            label="Document kinds"
            items={TABS}
            value={tab}
            onChange={(k) => {
              setTab(k);
              pager.reset();
            }}
          >
            <div className="flex flex-wrap items-end gap-3 py-3">
              <Field label="Search" className="min-w-48 flex-1" hideLabel>
                <Input
                  type="search"
                  placeholder="Search titles and text"
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
                    setStatus(e.target.value as FusionStatus | "");
                    pager.reset();
                  }}
                >
                  <option value="">All statuses</option>
                  {(Object.keys(STATUS_LABEL) as FusionStatus[]).map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABEL[s]}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            {docs.isPending ? (
              <TableSkeleton rows={5} />
            ) : docs.isError ? (
              <p role="alert" className="p-4 text-sm text-danger">
                {errorMessage(docs.error)}
              </p>
            ) : docs.data.data.length === 0 ? (
              <EmptyState icon={<CardsIcon />} title={filtered ? "No documents match" : "No sales knowledge yet"}>
                {filtered
                  ? "Try other words, another kind or another status."
                  : "Upload calls (Sales › Calls) or get replies to your sequences, then choose “Generate from new calls & emails”: objections, questions and competitors heard become drafts to review."}
              </EmptyState>
            ) : (
              <ul className="divide-y divide-line" aria-label="Documents">
                {docs.data.data.map((d) => {
                  const conf = confidenceLabel(d.confidence);
                  return (
                    <li key={d.id} className="px-4 py-3 hover:bg-subtle">
                      <div className="flex flex-wrap items-center gap-2">
                        <Badge>{KIND_LABEL[d.kind]}</Badge>
                        <Link to="/sales/knowledge/$id" params={{ id: d.id }} className="font-medium text-fg hover:underline">
                          {d.title}
                        </Link>
                        <Badge tone={STATUS_TONE[d.status]}>{STATUS_LABEL[d.status]}</Badge>
                        {d.ai_generated && <Badge tone="accent">AI-generated</Badge>}
                      </div>
                      <p className="mt-0.5 text-xs text-muted">
                        Confidence {conf.text} · {d.confidence_basis.sources} source{d.confidence_basis.sources === 1 ? "" : "s"} ·{" "}
                        {d.view_count} view
                        {d.view_count === 1 ? "" : "s"} · updated {formatDateTime(d.updated_at)}
                      </p>
                    </li>
                  );
                })}
              </ul>
            )}
            <Pager
              page={pager.page}
              hasPrev={pager.hasPrev}
              hasNext={Boolean(docs.data?.next_cursor)}
              onPrev={pager.prev}
              onNext={() => pager.next(docs.data?.next_cursor)}
            />
          </Tabs>
        </div>
      </section>
    </>
  );
}
