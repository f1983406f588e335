import type { CrmEntity, CrmProvider, CrmRemoteStage } from "../../../schema/crm-sync";

/** What every provider adapter speaks (hubspot.ts, salesforce.ts, pipedrive.ts); the engine (engine.ts) is provider-neutral. */

/** The sealed credentials of a connection (JSON inside `encryptSecret`). */
export interface CrmCredentials {
  access_token: string;
  refresh_token?: string | null;
  /** Salesforce: the org's instance URL; Pipedrive OAuth: the company's api_domain. */
  instance_url?: string | null;
  /** Epoch ms; an OAuth access token is refreshed shortly before. */
  expires_at?: number | null;
}

/** A remote record: its id, its modified time (epoch ms) and its properties (remote field → value). */
export interface RemoteRecord {
  id: string;
  modifiedAt: number;
  props: Record<string, unknown>;
}

export interface PushItem {
  localId: string;
  remoteId: string | null; // null: create
  props: Record<string, unknown>;
}
export interface PushResult {
  localId: string;
  remoteId?: string;
  modifiedAt?: number; // when the CRM says it changed the record (else the engine uses "now")
  error?: string;
}

export interface CrmAdapter {
  provider: CrmProvider;
  /** Checks the credentials and names the account (portal id, org, company) for the UI. */
  account(): Promise<string | null>;
  /** Records changed after `since` (all when null), page by page, with the `fields` asked for. */
  changed(entity: CrmEntity, since: number | null, fields: string[]): AsyncGenerator<RemoteRecord[]>;
  /** Creates or updates records; one result per item, in any batching the provider offers. */
  push(entity: CrmEntity, items: PushItem[]): Promise<PushResult[]>;
  /** The deal stages (pipelines) the CRM has, for the stage mapping. */
  stages(): Promise<CrmRemoteStage[]>;
}

/** A provider answer that means the connection itself is broken (401/403; a refresh that failed). */
export class CrmAuthError extends Error {}
/** Any other failed provider call (after the retries). */
export class CrmHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}
