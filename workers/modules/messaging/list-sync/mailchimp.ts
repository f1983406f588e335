import type { ListSyncConfig } from "./config";
import { mapLimit, SyncHttpError, syncRequest, type SyncResponse } from "./http";
import type { ConnectionSpec, ContactResult, ProviderAdapter, SyncContact } from "./types";

/**
 * Mailchimp Marketing API v3 (https://mailchimp.com/developer/marketing/api/).
 * - Base URL per data centre, from the key's suffix: `…-us21` → `https://us21.api.mailchimp.com/3.0`.
 * - HTTP Basic auth, any user name, the API key as the password.
 * - One member: `PUT /lists/{list_id}/members/{subscriber_hash}` (MD5 of the lowercased address)
 *   with `status_if_new` + `status` — an upsert, so repeating it changes nothing.
 * - Many: batch subscribe `POST /lists/{list_id}` with ≤ 500 `members` and `update_existing: true`;
 *   the answer lists `new_members`, `updated_members` and per-address `errors`.
 * - Unsubscribes read back: `GET /lists/{list_id}/members?status=unsubscribed&since_last_changed=…`.
 * - GDPR erasure: `POST /lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent` (204;
 *   the address cannot be re-imported afterwards, only re-subscribe itself — Mailchimp's rule).
 * Mailchimp allows 10 simultaneous connections per account: single-member calls run at most 3 at a time.
 */
export const MAILCHIMP_BATCH = 500;
const CONCURRENCY = 3;

export const mailchimpDataCenter = (apiKey: string) => /-([a-z]{2,4}\d{1,3})$/.exec(apiKey.trim())?.[1] ?? null;

export async function subscriberHash(email: string): Promise<string> {
  const digest = await crypto.subtle.digest("MD5", new TextEncoder().encode(email.trim().toLowerCase()));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function mailchimp(cfg: ListSyncConfig, spec: ConnectionSpec): ProviderAdapter {
  const dc = mailchimpDataCenter(spec.apiKey);
  if (!dc) throw new SyncHttpError("Mailchimp: the API key has no data-centre suffix (…-us21)", null, "", true, true);
  const base = cfg.MAILCHIMP_API_BASE.replace("{dc}", dc);
  const auth = `Basic ${btoa(`weft:${spec.apiKey}`)}`;
  const list = encodeURIComponent(spec.remoteListId);
  const call = (method: string, path: string, body?: unknown) =>
    syncRequest(
      "Mailchimp",
      () =>
        new Request(base + path, {
          method,
          headers: { Authorization: auth, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        }),
    );
  const mergeFields = (c: SyncContact) => {
    const m: Record<string, string> = {};
    if (spec.fieldMap.first_name && c.firstName) m[spec.fieldMap.first_name] = c.firstName;
    if (spec.fieldMap.last_name && c.lastName) m[spec.fieldMap.last_name] = c.lastName;
    return m;
  };
  const success = (c: SyncContact, isNew: boolean): ContactResult => ({
    email: c.email,
    outcome: c.status === "unsubscribed" ? "unsubscribed" : isNew ? "created" : "updated",
  });

  async function one(c: SyncContact): Promise<ContactResult> {
    try {
      await call("PUT", `/lists/${list}/members/${await subscriberHash(c.email)}`, {
        email_address: c.email,
        status_if_new: c.status,
        status: c.status,
        merge_fields: mergeFields(c),
      });
      return success(c, !c.known);
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.auth) throw e;
      return { email: c.email, outcome: "failed", status: e.status, error: e.message, transient: !e.permanent };
    }
  }

  async function batch(chunk: SyncContact[]): Promise<ContactResult[]> {
    let res: SyncResponse;
    try {
      res = await call("POST", `/lists/${list}`, {
        members: chunk.map((c) => ({ email_address: c.email, status: c.status, merge_fields: mergeFields(c) })),
        update_existing: true,
      });
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.auth) throw e;
      return chunk.map((c) => ({ email: c.email, outcome: "failed", status: e.status, error: e.message, transient: !e.permanent }));
    }
    const b = res.json<{
      new_members?: { email_address: string }[];
      updated_members?: { email_address: string }[];
      errors?: { email_address: string; error: string; error_code?: string }[];
    }>();
    const created = new Set((b.new_members ?? []).map((m) => m.email_address.toLowerCase()));
    const errors = new Map((b.errors ?? []).map((e) => [e.email_address.toLowerCase(), e]));
    return chunk.map((c) => {
      const err = errors.get(c.email);
      if (err)
        return {
          email: c.email,
          outcome: "failed",
          status: 400,
          error: `Mailchimp: ${err.error}${err.error_code ? ` (${err.error_code})` : ""}`,
        };
      return success(c, created.has(c.email));
    });
  }

  return {
    provider: "mailchimp",
    batchSize: MAILCHIMP_BATCH,
    async test() {
      await call("GET", "/ping");
      const l = (await call("GET", `/lists/${list}?fields=id,name,stats.member_count`)).json<{
        name?: string;
        stats?: { member_count?: number };
      }>();
      return `Mailchimp audience “${l.name ?? spec.remoteListId}” (${l.stats?.member_count ?? 0} subscribed members)`;
    },
    async push(contacts) {
      if (contacts.length <= 2) return mapLimit(contacts, CONCURRENCY, one);
      const out: ContactResult[] = [];
      for (let i = 0; i < contacts.length; i += MAILCHIMP_BATCH) out.push(...(await batch(contacts.slice(i, i + MAILCHIMP_BATCH))));
      return out;
    },
    erase(contacts) {
      return mapLimit(contacts, CONCURRENCY, async (c) => {
        try {
          await call("POST", `/lists/${list}/members/${await subscriberHash(c.email)}/actions/delete-permanent`);
          return { email: c.email, ok: true, removed: "deleted" as const };
        } catch (e) {
          if (!(e instanceof SyncHttpError) || e.auth) throw e;
          if (e.status === 404) return { email: c.email, ok: true, removed: "absent" as const };
          return { email: c.email, ok: false, status: e.status, error: e.message, transient: !e.permanent };
        }
      });
    },
    async pullUnsubscribes(since) {
      const emails: string[] = [];
      for (let offset = 0; offset < 50_000; offset += 1000) {
        const q = new URLSearchParams({
          status: "unsubscribed",
          count: "1000",
          offset: String(offset),
          fields: "members.email_address,total_items",
        });
        if (since) q.set("since_last_changed", new Date(since).toISOString());
        const page = (await call("GET", `/lists/${list}/members?${q}`)).json<{
          members?: { email_address: string }[];
          total_items?: number;
        }>();
        const members = page.members ?? [];
        emails.push(...members.map((m) => m.email_address.toLowerCase()));
        if (members.length < 1000) break;
      }
      return emails;
    },
  };
}
