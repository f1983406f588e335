import type { ListSyncConfig } from "./config";
import { mapLimit, SyncHttpError, syncRequest } from "./http";
import type { ConnectionSpec, ContactResult, EraseResult, ProviderAdapter, SyncContact } from "./types";

/**
 * Kit (formerly ConvertKit) API v4 (https://developers.kit.com/api-reference), `X-Kit-Api-Key` header.
 * - `POST /v4/subscribers` `{ email_address, first_name, fields }` is an upsert (documented as such).
 * - Then into the connection's form (`POST /v4/forms/{id}/subscribers`) or tag
 *   (`POST /v4/tags/{id}/subscribers`), both by `email_address` and both idempotent.
 * - Unsubscribe: tag connections remove the tag (`DELETE /v4/tags/{tag_id}/subscribers/{id}`), which
 *   is this list only; form connections unsubscribe the subscriber (`POST /v4/subscribers/{id}/unsubscribe`),
 *   which in Kit covers the whole account (Kit has no per-form unsubscribe).
 * - GDPR erasure: Kit's API cannot delete a subscriber; they are unsubscribed account-wide
 *   (`POST /v4/subscribers/{id}/unsubscribe`) and the audit log says deletion is left to Kit's dashboard.
 * - Unsubscribes read back: `GET /v4/subscribers?status=cancelled&updated_after=…` (cursor pages).
 * Kit's bulk endpoints need OAuth, not an API key, so contacts go one by one, 3 at a time (Kit's
 * API-key limit is 120 requests per rolling minute; 429s back off and retry).
 */
const CONCURRENCY = 3;

export function kit(cfg: ListSyncConfig, spec: ConnectionSpec): ProviderAdapter {
  const base = `${cfg.KIT_API_BASE}/v4`;
  const call = (method: string, path: string, body?: unknown) =>
    syncRequest(
      "Kit",
      () =>
        new Request(base + path, {
          method,
          headers: { "X-Kit-Api-Key": spec.apiKey, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        }),
    );
  const target = encodeURIComponent(spec.remoteListId);
  const targetPath = spec.remoteTarget === "tag" ? `/tags/${target}` : `/forms/${target}`;

  async function findId(c: SyncContact): Promise<string | null> {
    if (c.remoteId) return c.remoteId;
    const r = (await call("GET", `/subscribers?${new URLSearchParams({ email_address: c.email, status: "all" })}`)).json<{
      subscribers?: { id: number }[];
    }>();
    const id = r.subscribers?.[0]?.id;
    return id == null ? null : String(id);
  }

  async function one(c: SyncContact): Promise<ContactResult> {
    try {
      if (c.status === "subscribed") {
        const body: Record<string, unknown> = { email_address: c.email };
        if (spec.fieldMap.first_name === "first_name" && c.firstName) body.first_name = c.firstName;
        const fields: Record<string, string> = {};
        if (spec.fieldMap.first_name && spec.fieldMap.first_name !== "first_name" && c.firstName)
          fields[spec.fieldMap.first_name] = c.firstName;
        if (spec.fieldMap.last_name && c.lastName) fields[spec.fieldMap.last_name] = c.lastName;
        if (Object.keys(fields).length) body.fields = fields;
        const res = await call("POST", "/subscribers", body);
        const id = res.json<{ subscriber?: { id: number } }>().subscriber?.id;
        await call("POST", `${targetPath}/subscribers`, { email_address: c.email });
        // created/updated from what was pushed before on this connection (not from 200 vs 201, which the v4 docs do not promise).
        return { email: c.email, outcome: c.known ? "updated" : "created", remoteId: id == null ? null : String(id) };
      }
      const id = await findId(c);
      if (id) {
        if (spec.remoteTarget === "tag") await call("DELETE", `/tags/${target}/subscribers/${encodeURIComponent(id)}`);
        else await call("POST", `/subscribers/${encodeURIComponent(id)}/unsubscribe`, {});
      }
      return { email: c.email, outcome: "unsubscribed", remoteId: id };
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.auth) throw e;
      // A tag removal of someone no longer tagged is already done.
      if (e.status === 404 && c.status === "unsubscribed") return { email: c.email, outcome: "unsubscribed" };
      return { email: c.email, outcome: "failed", status: e.status, error: e.message, transient: !e.permanent };
    }
  }

  return {
    provider: "kit",
    batchSize: 50,
    async test() {
      const a = (await call("GET", "/account")).json<{ account?: { name?: string }; user?: { email?: string } }>();
      return `Kit account “${a.account?.name ?? a.user?.email ?? "?"}”, ${spec.remoteTarget} ${spec.remoteListId}`;
    },
    push: (contacts) => mapLimit(contacts, CONCURRENCY, one),
    // Kit's API has no way to delete a subscriber (only its dashboard does): the erasure unsubscribes
    // them from the whole account, which stops all email; the result says so, for the audit log.
    erase: (contacts) =>
      mapLimit(contacts, CONCURRENCY, async (c): Promise<EraseResult> => {
        try {
          const id = await findId({
            email: c.email,
            remoteId: c.remoteId,
            firstName: null,
            lastName: null,
            status: "unsubscribed",
            known: true,
          });
          if (!id) return { email: c.email, ok: true, removed: "absent" };
          await call("POST", `/subscribers/${encodeURIComponent(id)}/unsubscribe`, {});
          return { email: c.email, ok: true, removed: "unsubscribed" };
        } catch (e) {
          if (!(e instanceof SyncHttpError) || e.auth) throw e;
          if (e.status === 404) return { email: c.email, ok: true, removed: "absent" };
          return { email: c.email, ok: false, status: e.status, error: e.message, transient: !e.permanent };
        }
      }),
    async pullUnsubscribes(since) {
      const emails: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const q = new URLSearchParams({ status: "cancelled", per_page: "500" });
        if (since) q.set("updated_after", new Date(since).toISOString());
        if (after) q.set("after", after);
        const r = (await call("GET", `/subscribers?${q}`)).json<{
          subscribers?: { email_address: string }[];
          pagination?: { has_next_page?: boolean; end_cursor?: string | null };
        }>();
        emails.push(...(r.subscribers ?? []).map((s) => s.email_address.toLowerCase()));
        if (!r.pagination?.has_next_page || !r.pagination.end_cursor) break;
        after = r.pagination.end_cursor;
      }
      return emails;
    },
  };
}
