import type { CrmEntity } from "../../../schema/crm-sync";
import { crmFetch } from "./http";
import { type CrmAdapter, CrmAuthError, type PushItem, type PushResult, type RemoteRecord } from "./types";

/**
 * Salesforce REST API: SOQL `query` on LastModifiedDate (following `nextRecordsUrl`), sObject
 * POST to create and PATCH to update (`Contact`, `Opportunity`). Auth: an OAuth access token
 * (Bearer) against the org's instance URL.
 */
export const SALESFORCE_VERSION = "v60.0";
export const SALESFORCE_LOGIN = "https://login.salesforce.com";
const SOBJECT = { lead: "Contact", deal: "Opportunity" } as const;

interface QueryPage {
  totalSize: number;
  done: boolean;
  records: ({ Id: string; LastModifiedDate: string } & Record<string, unknown>)[];
  nextRecordsUrl?: string;
}

/** SOQL datetime literal (unquoted, second precision: the query asks for ≥ that second and the engine skips what it has seen). */
const soqlDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
const FIELD = /^[A-Za-z][A-Za-z0-9_]*(__c)?$/;

export function salesforceAdapter(token: string, instanceUrl: string): CrmAdapter {
  const base = instanceUrl.replace(/\/+$/, "");
  const data = `${base}/services/data/${SALESFORCE_VERSION}`;
  const auth = { Authorization: `Bearer ${token}` };
  const req = <T>(url: string, method = "GET", body?: unknown) => crmFetch<T>("salesforce", url, { method, headers: auth, body });
  const query = (soql: string) => req<QueryPage>(`${data}/query?q=${encodeURIComponent(soql)}`);
  return {
    provider: "salesforce",
    async account() {
      const r = await query("SELECT Id, Name FROM Organization LIMIT 1");
      return (r.body.records[0]?.Name as string | undefined) ?? new URL(base).hostname;
    },
    async *changed(entity: CrmEntity, since: number | null, fields: string[]) {
      const cols = [...new Set(["Id", "LastModifiedDate", ...fields.filter((f) => FIELD.test(f))])];
      const where = since === null ? "" : ` WHERE LastModifiedDate >= ${soqlDate(since)}`;
      let page = (await query(`SELECT ${cols.join(", ")} FROM ${SOBJECT[entity]}${where} ORDER BY LastModifiedDate ASC, Id ASC`)).body;
      for (;;) {
        yield page.records.map(
          (r): RemoteRecord => ({
            id: r.Id,
            modifiedAt: Date.parse(r.LastModifiedDate.replace(/\+0000$/, "Z")),
            props: Object.fromEntries(Object.entries(r).filter(([k]) => k !== "attributes")),
          }),
        );
        if (page.done || !page.nextRecordsUrl) return;
        page = (await req<QueryPage>(`${base}${page.nextRecordsUrl}`)).body;
      }
    },
    async push(entity: CrmEntity, items: PushItem[]) {
      const out: PushResult[] = [];
      for (const item of items) {
        try {
          if (item.remoteId) {
            await req(`${data}/sobjects/${SOBJECT[entity]}/${encodeURIComponent(item.remoteId)}`, "PATCH", item.props);
            out.push({ localId: item.localId, remoteId: item.remoteId });
          } else {
            const r = await req<{ id: string; success: boolean }>(`${data}/sobjects/${SOBJECT[entity]}`, "POST", item.props);
            out.push({ localId: item.localId, remoteId: r.body.id });
          }
        } catch (e) {
          if (e instanceof CrmAuthError || !(e instanceof Error)) throw e;
          out.push({ localId: item.localId, error: e.message });
        }
      }
      return out;
    },
    async stages() {
      const r = await query("SELECT ApiName, MasterLabel, SortOrder FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder");
      return r.body.records.map((s) => ({ id: String(s.ApiName), label: String(s.MasterLabel) }));
    },
  };
}
