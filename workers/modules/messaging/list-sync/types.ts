import type { ListSyncProvider } from "../../../../schema/list-sync";

export type RemoteStatus = "subscribed" | "unsubscribed";

/** A subscriber as it should be at the provider. */
export interface SyncContact {
  email: string;
  firstName: string | null;
  lastName: string | null;
  status: RemoteStatus;
  /** The provider's id from an earlier push, when the provider has one (Kit). */
  remoteId: string | null;
  /** Pushed before on this connection (so an upsert is an update). */
  known: boolean;
}

export type Outcome = "created" | "updated" | "unsubscribed" | "failed";
export interface ContactResult {
  email: string;
  outcome: Outcome;
  remoteId?: string | null;
  /** For failures: the provider's HTTP status and message; `transient` failures (429/5xx after the retries) are retried by the next run. */
  status?: number | null;
  error?: string;
  transient?: boolean;
}

/** A GDPR erasure at the provider: `removed` says what the provider could do (Kit has no delete API). */
export interface EraseResult {
  email: string;
  ok: boolean;
  removed?: "deleted" | "unsubscribed" | "absent";
  status?: number | null;
  error?: string;
  transient?: boolean;
}

export interface ConnectionSpec {
  apiKey: string;
  remoteListId: string;
  remoteTarget: "list" | "form" | "tag";
  fieldMap: { first_name: string | null; last_name: string | null };
}

export interface ProviderAdapter {
  provider: ListSyncProvider;
  /** Contacts per push that make full requests (Mailchimp's batch limit, SendGrid's chunk); a full sync gathers this many before pushing. */
  batchSize: number;
  /** Checks the key and the remote list; answers a sentence naming what it found. Throws SyncHttpError. */
  test(): Promise<string>;
  /** Upserts subscribed contacts and applies unsubscribes; one result per contact. Throws only when the connection itself fails (auth). */
  push(contacts: SyncContact[]): Promise<ContactResult[]>;
  /** Two-way: addresses that unsubscribed at the provider since `since` (epoch ms; null = ever). */
  pullUnsubscribes(since: number | null): Promise<string[]>;
  /** GDPR erasure: removes the contacts from the provider account, as far as its API allows. Throws only on auth failures. */
  erase(contacts: { email: string; remoteId: string | null }[]): Promise<EraseResult[]>;
}

/** "Ada Lovelace" → first "Ada", last "Lovelace"; with no last-name field the whole name goes to the first. */
export function splitName(name: string | null, fieldMap: ConnectionSpec["fieldMap"]): { first: string | null; last: string | null } {
  const n = name?.trim() ?? "";
  if (!n) return { first: null, last: null };
  if (!fieldMap.last_name) return { first: n, last: null };
  const i = n.indexOf(" ");
  return i < 0 ? { first: n, last: null } : { first: n.slice(0, i), last: n.slice(i + 1).trim() || null };
}
