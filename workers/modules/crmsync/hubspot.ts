import type { CrmEntity, CrmRemoteStage } from "../../../schema/crm-sync";
import { crmFetch } from "./http";
import { type CrmAdapter, CrmAuthError, type PushItem, type PushResult, type RemoteRecord } from "./types";

/**
 * HubSpot CRM v3 objects API: contacts and deals listed with `after` paging (first run) or found
 * with the search endpoint on the last-modified property (later runs), written with batch
 * create/update (100 per call). Auth: a private-app token or an OAuth access token, both Bearer.
 */
export const HUBSPOT_API = "https://api.hubapi.com";
const OBJECT = { lead: "contacts", deal: "deals" } as const;
const MODIFIED = { lead: "lastmodifieddate", deal: "hs_lastmodifieddate" } as const;
const PAGE = 100;

interface HsObject {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: string;
}
interface HsPage {
  results: HsObject[];
  paging?: { next?: { after: string } };
}

const toRecord = (o: HsObject): RemoteRecord => ({ id: o.id, modifiedAt: Date.parse(o.updatedAt), props: o.properties });

export function hubspotAdapter(token: string, base = HUBSPOT_API): CrmAdapter {
  const auth = { Authorization: `Bearer ${token}` };
  const req = <T>(path: string, method = "GET", body?: unknown) =>
    crmFetch<T>("hubspot", `${base}${path}`, { method, headers: auth, body });
  return {
    provider: "hubspot",
    async account() {
      const r = await req<{ portalId?: number; uiDomain?: string }>("/account-info/v3/details");
      return r.body?.portalId ? `Portal ${r.body.portalId}` : null;
    },
    async *changed(entity: CrmEntity, since: number | null, fields: string[]) {
      const properties = [...new Set([...fields, MODIFIED[entity]])];
      let after: string | undefined;
      do {
        let page: HsPage;
        if (since === null) {
          const q = new URLSearchParams({ limit: String(PAGE), properties: properties.join(",") });
          if (after) q.set("after", after);
          page = (await req<HsPage>(`/crm/v3/objects/${OBJECT[entity]}?${q}`)).body;
        } else {
          page = (
            await req<HsPage>(`/crm/v3/objects/${OBJECT[entity]}/search`, "POST", {
              filterGroups: [{ filters: [{ propertyName: MODIFIED[entity], operator: "GTE", value: String(since) }] }],
              sorts: [{ propertyName: MODIFIED[entity], direction: "ASCENDING" }],
              properties,
              limit: PAGE,
              ...(after ? { after } : {}),
            })
          ).body;
        }
        yield page.results.map(toRecord);
        after = page.paging?.next?.after;
      } while (after);
    },
    async push(entity: CrmEntity, items: PushItem[]) {
      const out: PushResult[] = [];
      const creates = items.filter((i) => !i.remoteId);
      const updates = items.filter((i) => i.remoteId);
      for (let i = 0; i < creates.length; i += PAGE) {
        const chunk = creates.slice(i, i + PAGE);
        out.push(...(await batch(entity, "create", chunk)));
      }
      for (let i = 0; i < updates.length; i += PAGE) {
        const chunk = updates.slice(i, i + PAGE);
        out.push(...(await batch(entity, "update", chunk)));
      }
      return out;
    },
    async stages() {
      const r = await req<{ results: { id: string; label: string; stages: { id: string; label: string; displayOrder: number }[] }[] }>(
        "/crm/v3/pipelines/deals",
      );
      const multi = r.body.results.length > 1;
      return r.body.results.flatMap((p) =>
        [...p.stages]
          .sort((a, b) => a.displayOrder - b.displayOrder)
          .map((s): CrmRemoteStage => ({ id: s.id, label: multi ? `${p.label}: ${s.label}` : s.label })),
      );
    },
  };

  /**
   * One batch call. HubSpot answers 200/201 with `results` (207 when some failed, with `errors`
   * naming the ids). Created objects come back without our key, so a created contact is matched by
   * email and anything else by position (HubSpot keeps the input order for batch create).
   */
  async function batch(entity: CrmEntity, op: "create" | "update", chunk: PushItem[]): Promise<PushResult[]> {
    const inputs = chunk.map((i) =>
      op === "create" ? { properties: stringify(i.props) } : { id: i.remoteId, properties: stringify(i.props) },
    );
    try {
      const r = await req<{ results: HsObject[]; errors?: { message: string; context?: { ids?: string[] } }[] }>(
        `/crm/v3/objects/${OBJECT[entity]}/batch/${op}`,
        "POST",
        { inputs },
      );
      const results = r.body.results ?? [];
      return chunk.map((item, n) => {
        const hit =
          op === "update"
            ? results.find((o) => o.id === item.remoteId)
            : entity === "lead" && item.props.email
              ? results.find((o) => o.properties.email === String(item.props.email).toLowerCase())
              : results[n];
        if (hit) return { localId: item.localId, remoteId: hit.id, modifiedAt: Date.parse(hit.updatedAt) };
        const err = r.body.errors?.find((e) => e.context?.ids?.includes(item.remoteId ?? "")) ?? r.body.errors?.[0];
        return { localId: item.localId, error: `HubSpot: ${err?.message ?? "not written"}` };
      });
    } catch (e) {
      // A broken connection stops the run; any other refusal is an error on each record of the batch.
      if (e instanceof CrmAuthError || !(e instanceof Error)) throw e;
      return chunk.map((i) => ({ localId: i.localId, error: e.message }));
    }
  }
}

/** HubSpot property values are strings. */
const stringify = (props: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]));
