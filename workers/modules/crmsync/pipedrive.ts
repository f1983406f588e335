import type { CrmEntity } from "../../../schema/crm-sync";
import { crmFetch } from "./http";
import { type CrmAdapter, CrmAuthError, type PushItem, type PushResult, type RemoteRecord } from "./types";

/**
 * Pipedrive API v1: `/persons` and `/deals` sorted by `update_time` (newest first, so a run stops
 * paging once it reaches what it has seen), `start`/`more_items_in_collection` paging, POST to
 * create and PUT to update. Auth: `api_token` query parameter (a personal token) or an OAuth
 * Bearer token against the company's api_domain.
 */
export const PIPEDRIVE_API = "https://api.pipedrive.com";
const PATH = { lead: "persons", deal: "deals" } as const;
const PAGE = 100;

interface PdList {
  success: boolean;
  data: (Record<string, unknown> & { id: number; update_time: string })[] | null;
  additional_data?: { pagination?: { start: number; limit: number; more_items_in_collection: boolean; next_start?: number } };
}
/** Pipedrive times are UTC "YYYY-MM-DD HH:MM:SS". */
export const pipedriveTime = (s: string) => Date.parse(`${s.replace(" ", "T")}Z`);

/** Persons' email/phone are arrays of {value, primary}: the sync reads and writes the primary value. */
function flatten(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (Array.isArray(v) && v.every((x) => x && typeof x === "object" && "value" in x)) {
      const list = v as { value: string; primary?: boolean }[];
      out[k] = (list.find((x) => x.primary) ?? list[0])?.value ?? null;
    } else out[k] = v;
  }
  return out;
}
function unflatten(entity: CrmEntity, props: Record<string, unknown>): Record<string, unknown> {
  const out = { ...props };
  // Stage ids are integers in Pipedrive (the stage map keeps them as strings).
  if (entity === "deal" && typeof out.stage_id === "string" && /^\d+$/.test(out.stage_id)) out.stage_id = Number(out.stage_id);
  if (entity === "lead")
    for (const k of ["email", "phone"]) if (k in out) out[k] = out[k] ? [{ value: String(out[k]), primary: true, label: "work" }] : [];
  return out;
}

export function pipedriveAdapter(creds: { token: string; oauth: boolean; apiDomain?: string | null }): CrmAdapter {
  const base = `${(creds.apiDomain ?? PIPEDRIVE_API).replace(/\/+$/, "")}/v1`;
  const url = (path: string, q: Record<string, string> = {}) => {
    const params = new URLSearchParams(q);
    if (!creds.oauth) params.set("api_token", creds.token);
    const s = params.toString();
    return `${base}${path}${s ? `?${s}` : ""}`;
  };
  const headers: Record<string, string> = creds.oauth ? { Authorization: `Bearer ${creds.token}` } : {};
  const req = <T>(path: string, q: Record<string, string> = {}, method = "GET", body?: unknown) =>
    crmFetch<T>("pipedrive", url(path, q), { method, headers, body });
  return {
    provider: "pipedrive",
    async account() {
      const r = await req<{ data: { company_name?: string; company_domain?: string } }>("/users/me");
      return r.body.data.company_name ?? r.body.data.company_domain ?? null;
    },
    async *changed(entity: CrmEntity, since: number | null) {
      let start = 0;
      for (;;) {
        const r = await req<PdList>(`/${PATH[entity]}`, { start: String(start), limit: String(PAGE), sort: "update_time DESC" });
        const rows = r.body.data ?? [];
        const fresh = rows.filter((row) => since === null || pipedriveTime(row.update_time) >= since);
        yield fresh.map((row): RemoteRecord => ({ id: String(row.id), modifiedAt: pipedriveTime(row.update_time), props: flatten(row) }));
        const p = r.body.additional_data?.pagination;
        // Newest first: once a page reaches records older than `since`, the rest are older too.
        if (!p?.more_items_in_collection || fresh.length < rows.length) return;
        start = p.next_start ?? start + rows.length;
      }
    },
    async push(entity: CrmEntity, items: PushItem[]) {
      const out: PushResult[] = [];
      for (const item of items) {
        try {
          const body = unflatten(entity, item.props);
          const r = item.remoteId
            ? await req<{ data: { id: number; update_time: string } }>(
                `/${PATH[entity]}/${encodeURIComponent(item.remoteId)}`,
                {},
                "PUT",
                body,
              )
            : await req<{ data: { id: number; update_time: string } }>(`/${PATH[entity]}`, {}, "POST", body);
          out.push({ localId: item.localId, remoteId: String(r.body.data.id), modifiedAt: pipedriveTime(r.body.data.update_time) });
        } catch (e) {
          if (e instanceof CrmAuthError || !(e instanceof Error)) throw e;
          out.push({ localId: item.localId, error: e.message });
        }
      }
      return out;
    },
    async stages() {
      const r = await req<{ data: { id: number; name: string; pipeline_name?: string; order_nr: number }[] | null }>("/stages");
      return (r.body.data ?? []).sort((a, b) => a.order_nr - b.order_nr).map((s) => ({ id: String(s.id), label: s.name }));
    },
  };
}
