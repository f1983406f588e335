/** Queries of the workflows pages (the API in docs/automation.md), keyed per workspace, through the typed `api()`. */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, type Endpoints } from "../../lib/api";
import { tkey } from "../../lib/workspace";
import type { NodeTypeInfo, Workflow } from "./types";

type Q<K extends keyof Endpoints> = NonNullable<Endpoints[K]["query"]>;
const id = (v: string) => ({ id: v });

export const wfq = {
  nodeTypes: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "node-types"),
      queryFn: async () => (await api("GET /api/v1/workflows/node-types")).data as NodeTypeInfo[],
      staleTime: 3_600_000,
    }),
  events: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "events"),
      queryFn: async () => (await api("GET /api/v1/workflows/events")).data,
      staleTime: 3_600_000,
    }),
  templates: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "templates"),
      queryFn: async () => (await api("GET /api/v1/workflows/templates")).data,
      staleTime: 600_000,
    }),
  list: (t: string, query: Q<"GET /api/v1/workflows">) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "list", query),
      queryFn: () => api("GET /api/v1/workflows", { query }),
      placeholderData: keepPreviousData,
    }),
  workflow: (t: string, wf: string) =>
    queryOptions({ queryKey: tkey(t, "workflows", "one", wf), queryFn: () => api("GET /api/v1/workflows/{id}", { params: id(wf) }) }),
  versions: (t: string, wf: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "versions", wf),
      queryFn: async () => (await api("GET /api/v1/workflows/{id}/versions", { params: id(wf) })).data,
    }),
  runs: (t: string, wf: string, query: Q<"GET /api/v1/workflows/{id}/runs">) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "runs", wf, query),
      queryFn: () => api("GET /api/v1/workflows/{id}/runs", { params: id(wf), query }),
      placeholderData: keepPreviousData,
    }),
  run: (t: string, runId: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "run", runId),
      queryFn: () => api("GET /api/v1/workflow-runs/{id}", { params: id(runId) }),
      // A live run refreshes until it is final.
      refetchInterval: (q) => (q.state.data && ["queued", "running", "waiting"].includes(q.state.data.status) ? 2000 : false),
    }),
  approvals: (t: string, query: Q<"GET /api/v1/workflow-approvals">) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "approvals", query),
      queryFn: () => api("GET /api/v1/workflow-approvals", { query }),
      placeholderData: keepPreviousData,
    }),
  secrets: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "workflows", "secrets"),
      queryFn: async () => (await api("GET /api/v1/workflows/secrets")).data,
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
