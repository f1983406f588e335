/** Queries of the workflows pages (the API in docs/automation.md), keyed per workspace. */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { tkey } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import type {
  Approval,
  ApprovalStatus,
  EventType,
  NodeTypeInfo,
  RunDetail,
  RunStatus,
  Secret,
  Template,
  Workflow,
  WorkflowRun,
  WorkflowStatus,
  WorkflowSummary,
  WorkflowVersion,
} from "./types";

export { call, type Page };

/** A list endpoint answers `{ data: [...] }` (or a bare array). */
const listOf = <T>(r: T[] | { data: T[] }): T[] => (Array.isArray(r) ? r : r.data);

export const wfq = {
  nodeTypes: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "node-types"),
      queryFn: async () => listOf(await call<NodeTypeInfo[] | { data: NodeTypeInfo[] }>("GET", "/workflows/node-types")),
      staleTime: 3_600_000,
    }),
  events: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "events"),
      queryFn: async () => listOf(await call<EventType[] | { data: EventType[] }>("GET", "/workflows/events")),
      staleTime: 3_600_000,
    }),
  templates: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "templates"),
      queryFn: async () => listOf(await call<Template[] | { data: Template[] }>("GET", "/workflows/templates")),
      staleTime: 600_000,
    }),
  list: (t: string, query: { q?: string; status?: WorkflowStatus; cursor?: string; limit?: number }) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "list", query),
      queryFn: () => call<Page<WorkflowSummary>>("GET", "/workflows", { query }),
      placeholderData: keepPreviousData,
    }),
  workflow: (t: string, id: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "one", id),
      queryFn: () => call<Workflow>("GET", `/workflows/${encodeURIComponent(id)}`),
    }),
  versions: (t: string, id: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "versions", id),
      queryFn: async () =>
        listOf(await call<WorkflowVersion[] | { data: WorkflowVersion[] }>("GET", `/workflows/${encodeURIComponent(id)}/versions`)),
    }),
  runs: (t: string, id: string, query: { status?: RunStatus; cursor?: string; limit?: number }) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "runs", id, query),
      queryFn: () => call<Page<WorkflowRun>>("GET", `/workflows/${encodeURIComponent(id)}/runs`, { query }),
      placeholderData: keepPreviousData,
    }),
  run: (t: string, runId: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "run", runId),
      queryFn: () => call<RunDetail>("GET", `/workflow-runs/${encodeURIComponent(runId)}`),
      // A live run refreshes until it is final.
      refetchInterval: (q) => (q.state.data && ["queued", "running", "waiting"].includes(q.state.data.status) ? 2000 : false),
    }),
  approvals: (t: string, query: { status?: ApprovalStatus; scope?: "mine" | "all"; cursor?: string; limit?: number }) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "approvals", query),
      queryFn: () => call<Page<Approval>>("GET", "/workflow-approvals", { query }),
      placeholderData: keepPreviousData,
    }),
  secrets: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "secrets"),
      queryFn: async () => listOf(await call<Secret[] | { data: Secret[] }>("GET", "/workflows/secrets")),
    }),
};

/** "1.2 s", "340 ms". */
export const duration = (ms: number | null | undefined) =>
  ms === null || ms === undefined
    ? "—"
    : ms < 1000
      ? `${ms} ms`
      : ms < 60_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.round(ms / 60_000)} min`;

export const triggerLabel = (t: Workflow["trigger"]) =>
  t.type === "event" ? `On ${t.event}` : t.type === "schedule" ? `Schedule ${t.cron}` : t.type === "webhook" ? "Webhook" : "Manual";
