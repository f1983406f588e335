import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { type Band, downloadAuthenticated, type NpsResponse } from "./client";

const tone = (b: Band) => (b === "promoter" ? "success" : b === "detractor" ? "danger" : "neutral");

/** The responses table: filters, search, the detractor follow-up flag with its "done" toggle, CSV export. */
export function NpsResponses({ from, to, initialFollowUp }: { from: string; to: string; initialFollowUp?: "open" | "done" }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [band, setBand] = useState<"" | Band>("");
  const [followUp, setFollowUp] = useState<"" | "open" | "done">(initialFollowUp ?? "");
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const query = { from, to, band: band || undefined, follow_up: followUp || undefined, q: q || undefined };
  const list = useQuery({
    queryKey: tkey(ws.id, "surveys", "nps", "responses", query, pager.cursor),
    queryFn: () => api("GET /api/v1/surveys/nps/responses", { query: { ...query, limit: 20, cursor: pager.cursor } }),
  });
  const toggle = useMutation({
    mutationFn: (r: NpsResponse) =>
      api("PATCH /api/v1/surveys/nps/responses/{id}", { params: { id: r.id }, body: { follow_up_done: !r.follow_up_done_at } }),
    onSuccess: (r) => {
      toast.success(r.follow_up_done_at ? "Follow-up marked done" : "Follow-up open again");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "surveys", "nps") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    setExporting(true);
    const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
    try {
      await downloadAuthenticated(`/api/v1/surveys/nps/export?${qs}`, `nps-responses-${to}.csv`);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };
  const canTriage = ws.can("surveys:triage");
  const columns: Column<NpsResponse>[] = [
    {
      key: "time",
      header: "When",
      cell: (r) => (
        <time dateTime={r.created_at} className="whitespace-nowrap text-muted">
          {formatDateTime(r.created_at)}
        </time>
      ),
      hideOnMobile: true,
    },
    { key: "score", header: "Score", cell: (r) => <Badge tone={tone(r.band)}>{r.score}</Badge>, sort: (r) => r.score },
    {
      key: "comment",
      header: "Comment",
      cell: (r) => (r.comment ? <span className="line-clamp-2 max-w-md">{r.comment}</span> : <span className="text-muted">—</span>),
    },
    {
      key: "user",
      header: "User",
      cell: (r) => (
        <span className="text-xs">
          <code>{r.distinct_id}</code>
          <br />
          <span className="text-muted">
            {r.plan ?? "no plan"}
            {r.cohort ? ` · since ${r.cohort}` : ""}
          </span>
        </span>
      ),
      hideOnMobile: true,
    },
    {
      key: "follow",
      header: "Follow-up",
      cell: (r) =>
        !r.follow_up ? (
          <span className="text-muted">—</span>
        ) : (
          <div className="flex items-center gap-2">
            <Badge tone={r.follow_up_done_at ? "success" : "warning"}>{r.follow_up_done_at ? "Done" : "To do"}</Badge>
            {canTriage && (
              <Button
                size="sm"
                variant="ghost"
                disabled={toggle.isPending}
                onClick={() => toggle.mutate(r)}
                aria-label={`${r.follow_up_done_at ? "Reopen" : "Mark done"}: follow-up for ${r.distinct_id}`}
              >
                {r.follow_up_done_at ? "Reopen" : "Mark done"}
              </Button>
            )}
          </div>
        ),
    },
  ];
  return (
    <Card
      title="Responses"
      bodyClassName="p-0"
      actions={
        <Button variant="secondary" size="sm" onClick={exportCsv} disabled={exporting}>
          {exporting ? "Exporting…" : "Export CSV"}
        </Button>
      }
    >
      <form
        className="flex flex-wrap items-end gap-3 border-b border-line px-5 py-3"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(search.trim());
          pager.reset();
        }}
      >
        <Field label="Score">
          <Select
            value={band}
            onChange={(e) => {
              setBand(e.target.value as Band | "");
              pager.reset();
            }}
          >
            <option value="">All scores</option>
            <option value="promoter">Promoters (9–10)</option>
            <option value="passive">Passives (7–8)</option>
            <option value="detractor">Detractors (0–6)</option>
          </Select>
        </Field>
        <Field label="Follow-up">
          <Select
            value={followUp}
            onChange={(e) => {
              setFollowUp(e.target.value as "" | "open" | "done");
              pager.reset();
            }}
          >
            <option value="">Any</option>
            <option value="open">To do</option>
            <option value="done">Done</option>
          </Select>
        </Field>
        <Field label="Search comments" className="min-w-48 flex-1">
          <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. pricing" />
        </Field>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {list.isError ? (
        <p role="alert" className="p-5 text-danger">
          {errorMessage(list.error)}
        </p>
      ) : !list.data ? (
        <TableSkeleton rows={4} />
      ) : (
        <>
          <Table
            caption="NPS responses"
            columns={columns}
            rows={list.data.data}
            rowKey={(r) => r.id}
            empty={<EmptyState title="No responses match">Change the filters or the date range.</EmptyState>}
          />
          <Pager
            page={pager.page}
            hasPrev={pager.hasPrev}
            hasNext={!!list.data.next_cursor}
            onPrev={pager.prev}
            onNext={() => pager.next(list.data.next_cursor)}
          />
        </>
      )}
    </Card>
  );
}
