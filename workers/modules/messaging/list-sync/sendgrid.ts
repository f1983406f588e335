import type { ListSyncConfig } from "./config";
import { providerMessage, SyncHttpError, syncRequest } from "./http";
import type { ConnectionSpec, ContactResult, EraseResult, ProviderAdapter, SyncContact } from "./types";

/**
 * SendGrid Marketing Campaigns contacts (https://www.twilio.com/docs/sendgrid/api-reference/contacts).
 * - Bearer API key.
 * - Upsert: `PUT /v3/marketing/contacts` `{ list_ids, contacts: [{ email, first_name, last_name,
 *   custom_fields }] }` — asynchronous (202 + `job_id`), ≤ 30,000 contacts / 6 MB per request;
 *   Weft sends 1,000 at a time. A 400 names the failing contacts (`contacts[3].email`): those are
 *   recorded as failed and the rest is sent again once.
 * - "Unsubscribed from this list" = removed from the list, not a global suppression (that would
 *   stop every email from the account): `POST /v3/marketing/contacts/search/emails` (≤ 100) for the
 *   contact ids, then `DELETE /v3/marketing/lists/{id}/contacts?contact_ids=…` (202).
 * - Unsubscribes read back (two-way): the account's global unsubscribes,
 *   `GET /v3/suppression/unsubscribes?start_time=…` — the recipient asked for no more email.
 * - GDPR erasure deletes the contact from the account: search for the ids, then
 *   `DELETE /v3/marketing/contacts?ids=…` (202, asynchronous at SendGrid).
 */
export const SENDGRID_UPSERT_BATCH = 1000;
const SEARCH_BATCH = 100;
const RESERVED = new Set(["first_name", "last_name"]);

export function sendgrid(cfg: ListSyncConfig, spec: ConnectionSpec): ProviderAdapter {
  const base = cfg.SENDGRID_API_BASE;
  const call = (method: string, path: string, body?: unknown) =>
    syncRequest(
      "SendGrid",
      () =>
        new Request(base + path, {
          method,
          headers: {
            Authorization: `Bearer ${spec.apiKey}`,
            Accept: "application/json",
            ...(body ? { "Content-Type": "application/json" } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        }),
    );
  const contactOf = (c: SyncContact) => {
    const out: Record<string, unknown> = { email: c.email };
    const custom: Record<string, string> = {};
    const put = (field: string | null, value: string | null) => {
      if (!field || !value) return;
      if (RESERVED.has(field)) out[field] = value;
      else custom[field] = value;
    };
    put(spec.fieldMap.first_name, c.firstName);
    put(spec.fieldMap.last_name, c.lastName);
    if (Object.keys(custom).length) out.custom_fields = custom;
    return out;
  };
  const failAll = (cs: SyncContact[], e: SyncHttpError): ContactResult[] =>
    cs.map((c) => ({ email: c.email, outcome: "failed", status: e.status, error: e.message, transient: !e.permanent }));

  async function upsert(chunk: SyncContact[], retried = false): Promise<ContactResult[]> {
    try {
      await call("PUT", "/v3/marketing/contacts", { list_ids: [spec.remoteListId], contacts: chunk.map(contactOf) });
      return chunk.map((c) => ({ email: c.email, outcome: c.known ? "updated" : "created" }));
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.auth) throw e;
      if (!e.permanent || e.status !== 400 || retried) return failAll(chunk, e);
      // The 400 names the contacts it refused by index; drop them and send the others once more.
      const bad = new Map<number, string>();
      try {
        for (const err of (JSON.parse(e.body) as { errors?: { field?: string; message?: string }[] }).errors ?? []) {
          const m = /contacts\[(\d+)\]/.exec(err.field ?? "");
          if (m) bad.set(Number(m[1]), err.message ?? "invalid");
        }
      } catch {
        // body not JSON
      }
      if (!bad.size) return failAll(chunk, e);
      const rest = chunk.filter((_, i) => !bad.has(i));
      const failed: ContactResult[] = [...bad].map(([i, msg]) => ({
        email: chunk[i]?.email ?? `contacts[${i}]`,
        outcome: "failed",
        status: 400,
        error: `SendGrid: ${msg}`,
      }));
      return [...failed, ...(rest.length ? await upsert(rest, true) : [])];
    }
  }

  async function removeFromList(chunk: SyncContact[]): Promise<ContactResult[]> {
    try {
      let found: Record<string, { contact?: { id: string } }> = {};
      try {
        found =
          (await call("POST", "/v3/marketing/contacts/search/emails", { emails: chunk.map((c) => c.email) })).json<{
            result?: typeof found;
          }>().result ?? {};
      } catch (e) {
        // 404: none of these addresses is a contact, so none is on the list.
        if (!(e instanceof SyncHttpError) || e.status !== 404) throw e;
      }
      const ids = chunk.map((c) => found[c.email]?.contact?.id).filter((id): id is string => !!id);
      if (ids.length)
        await call(
          "DELETE",
          `/v3/marketing/lists/${encodeURIComponent(spec.remoteListId)}/contacts?contact_ids=${ids.map(encodeURIComponent).join(",")}`,
        );
      return chunk.map((c) => ({ email: c.email, outcome: "unsubscribed" }));
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.auth) throw e;
      return failAll(chunk, e);
    }
  }

  /** GDPR erasure: the contacts themselves go (`DELETE /v3/marketing/contacts?ids=…`, 202), not only the list membership. */
  async function eraseChunk(chunk: { email: string }[]): Promise<EraseResult[]> {
    try {
      let found: Record<string, { contact?: { id: string } }> = {};
      try {
        found =
          (await call("POST", "/v3/marketing/contacts/search/emails", { emails: chunk.map((c) => c.email) })).json<{
            result?: typeof found;
          }>().result ?? {};
      } catch (e) {
        if (!(e instanceof SyncHttpError) || e.status !== 404) throw e; // 404: none of them is a contact
      }
      const ids = chunk.map((c) => found[c.email]?.contact?.id).filter((id): id is string => !!id);
      if (ids.length) await call("DELETE", `/v3/marketing/contacts?ids=${ids.map(encodeURIComponent).join(",")}`);
      return chunk.map((c) => ({ email: c.email, ok: true, removed: found[c.email]?.contact?.id ? "deleted" : "absent" }));
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.auth) throw e;
      return chunk.map((c) => ({ email: c.email, ok: false, status: e.status, error: e.message, transient: !e.permanent }));
    }
  }

  return {
    provider: "sendgrid",
    batchSize: SENDGRID_UPSERT_BATCH,
    async test() {
      await call("GET", "/v3/scopes");
      const l = (await call("GET", `/v3/marketing/lists/${encodeURIComponent(spec.remoteListId)}`)).json<{
        name?: string;
        contact_count?: number;
      }>();
      return `SendGrid list “${l.name ?? spec.remoteListId}” (${l.contact_count ?? 0} contacts)`;
    },
    async push(contacts) {
      const out: ContactResult[] = [];
      const subs = contacts.filter((c) => c.status === "subscribed");
      const unsubs = contacts.filter((c) => c.status === "unsubscribed");
      for (let i = 0; i < subs.length; i += SENDGRID_UPSERT_BATCH) out.push(...(await upsert(subs.slice(i, i + SENDGRID_UPSERT_BATCH))));
      for (let i = 0; i < unsubs.length; i += SEARCH_BATCH) out.push(...(await removeFromList(unsubs.slice(i, i + SEARCH_BATCH))));
      return out;
    },
    async erase(contacts) {
      const out: EraseResult[] = [];
      for (let i = 0; i < contacts.length; i += SEARCH_BATCH) out.push(...(await eraseChunk(contacts.slice(i, i + SEARCH_BATCH))));
      return out;
    },
    async pullUnsubscribes(since) {
      const emails: string[] = [];
      for (let offset = 0; offset < 50_000; offset += 500) {
        const q = new URLSearchParams({ limit: "500", offset: String(offset) });
        if (since) q.set("start_time", String(Math.floor(since / 1000)));
        const page = (await call("GET", `/v3/suppression/unsubscribes?${q}`)).json<{ email: string }[]>();
        if (!Array.isArray(page))
          throw new SyncHttpError(`SendGrid: unexpected answer: ${providerMessage(JSON.stringify(page))}`, 200, "", true);
        emails.push(...page.map((p) => p.email.toLowerCase()));
        if (page.length < 500) break;
      }
      return emails;
    },
  };
}
