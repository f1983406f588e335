import { setTransport } from "../providers/http";

/**
 * Local fakes of the Mailchimp Marketing API v3, SendGrid Marketing Contacts and Kit API v4, on
 * messaging's transport (the same mechanism as fake-providers/): the adapters send their real
 * production requests (real hosts, paths, headers, bodies) and the fakes check them the way the
 * provider does — auth, required fields, limits — keep the remote state (members, contacts,
 * list membership, subscriber states) and answer in the provider's shapes, including its errors.
 * `script(provider, …modes)` queues answers: rate_limit (429 + Retry-After: 1), error (500).
 * An address containing "+reject" is refused by the provider's validation.
 */
export type FakeMode = "rate_limit" | "error";
type Provider = "mailchimp" | "sendgrid" | "kit";
export interface Req {
  provider: Provider;
  method: string;
  url: URL;
  path: string;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: a fake provider reads arbitrary JSON request bodies
  body: any;
  status: number;
}

export const KEYS = {
  mailchimp: "0123456789abcdef0123456789abcdef-us21",
  sendgrid: "SG.list-sync-test.0123456789",
  kit: "kit_v4_test_key_0123456789",
};
export const REMOTE = { mailchimpList: "a1b2c3d4e5", sendgridList: "ca8a5f0e-6f0c-4b3e-9c57-3c1f0f7f2a11", kitForm: "4242", kitTag: "777" };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
const validEmail = (e: unknown) => typeof e === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) && !e.includes("+reject");
async function md5(s: string) {
  const d = await crypto.subtle.digest("MD5", new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class ListSyncFakes {
  requests: Req[] = [];
  private modes = new Map<Provider, FakeMode[]>();
  mailchimp = new Map<string, { status: string; merge_fields: Record<string, string>; lastChanged: number }>();
  sendgrid = new Map<
    string,
    { id: string; first_name?: string; last_name?: string; custom_fields?: Record<string, string>; lists: Set<string> }
  >();
  sendgridUnsubscribes: { email: string; created: number }[] = [];
  kit = new Map<
    string,
    {
      id: number;
      first_name: string | null;
      fields: Record<string, string>;
      state: string;
      forms: Set<string>;
      tags: Set<string>;
      updated: number;
    }
  >();
  private kitSeq = 1000;

  install() {
    setTransport((r) => this.handle(r));
    return this;
  }
  uninstall() {
    setTransport(null);
  }
  script(p: Provider, ...modes: FakeMode[]) {
    this.modes.set(p, [...(this.modes.get(p) ?? []), ...modes]);
  }
  of(p: Provider) {
    return this.requests.filter((r) => r.provider === p);
  }
  /** Requests that change something remotely. */
  writes(p?: Provider) {
    return this.requests.filter((r) => (!p || r.provider === p) && r.method !== "GET" && !r.path.endsWith("/search/emails"));
  }

  async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = await req.text();
    const headers = Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v]));
    const provider: Provider | null = url.host.endsWith(".api.mailchimp.com")
      ? "mailchimp"
      : url.host === "api.sendgrid.com"
        ? "sendgrid"
        : url.host === "api.kit.com"
          ? "kit"
          : null;
    if (!provider) return new Response("no route to host", { status: 502 });
    // biome-ignore lint/suspicious/noExplicitAny: a fake provider reads arbitrary JSON request bodies
    let body: any = null;
    if (text) {
      if (!headers["content-type"]?.startsWith("application/json"))
        return json(415, { errors: [{ message: "Content-Type must be application/json" }] });
      try {
        body = JSON.parse(text);
      } catch {
        return json(400, { errors: [{ message: "invalid JSON" }] });
      }
    }
    const rec: Req = { provider, method: req.method, url, path: url.pathname, headers, body, status: 0 };
    this.requests.push(rec);
    const mode = this.modes.get(provider)?.shift();
    let res: Response;
    if (mode === "rate_limit")
      res = json(429, { title: "Too Many Requests", errors: [{ message: "too many requests" }] }, { "Retry-After": "1" });
    else if (mode === "error") res = json(500, { title: "Internal Server Error", errors: [{ message: "unexpected" }] });
    else if (provider === "mailchimp") res = await this.mc(rec);
    else if (provider === "sendgrid") res = this.sg(rec);
    else res = this.kt(rec);
    rec.status = res.status;
    return res;
  }

  // Mailchimp Marketing API v3: https://mailchimp.com/developer/marketing/api/list-members/
  private async mc(r: Req): Promise<Response> {
    const problem = (status: number, title: string, detail: string) =>
      new Response(JSON.stringify({ type: "https://mailchimp.com/developer/marketing/docs/errors/", title, status, detail }), {
        status,
        headers: { "Content-Type": "application/problem+json" },
      });
    const auth = r.headers.authorization ?? "";
    const pass = auth.startsWith("Basic ") ? atob(auth.slice(6)).split(":").slice(1).join(":") : "";
    if (pass !== KEYS.mailchimp)
      return problem(401, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
    if (r.url.host !== `${KEYS.mailchimp.split("-")[1]}.api.mailchimp.com`) return problem(401, "Wrong Datacenter", "wrong datacenter");
    const p = r.path.replace(/^\/3\.0/, "");
    if (r.method === "GET" && p === "/ping") return json(200, { health_status: "Everything's Chimpy!" });
    const del = /^\/lists\/([^/]+)\/members\/([0-9a-f]{32})\/actions\/delete-permanent$/.exec(p);
    if (del && r.method === "POST") {
      if (del[1] !== REMOTE.mailchimpList) return problem(404, "Resource Not Found", "The requested resource could not be found.");
      for (const email of this.mailchimp.keys())
        if ((await md5(email)) === del[2]) {
          this.mailchimp.delete(email);
          return new Response(null, { status: 204 });
        }
      return problem(404, "Resource Not Found", "The requested resource could not be found.");
    }
    const m = /^\/lists\/([^/]+)(\/members(?:\/([0-9a-f]{32}))?)?$/.exec(p);
    if (!m) return problem(404, "Resource Not Found", "The requested resource could not be found.");
    if (m[1] !== REMOTE.mailchimpList) return problem(404, "Resource Not Found", "The requested resource could not be found.");
    if (r.method === "GET" && !m[2])
      return json(200, {
        id: m[1],
        name: "Weft newsletter",
        stats: { member_count: [...this.mailchimp.values()].filter((x) => x.status === "subscribed").length },
      });
    if (r.method === "GET" && m[2] && !m[3]) {
      const status = r.url.searchParams.get("status");
      const since = r.url.searchParams.get("since_last_changed");
      const members = [...this.mailchimp]
        .filter(([, v]) => (!status || v.status === status) && (!since || v.lastChanged >= Date.parse(since)))
        .map(([email]) => ({ email_address: email }));
      const offset = Number(r.url.searchParams.get("offset") ?? 0);
      const count = Number(r.url.searchParams.get("count") ?? 10);
      return json(200, { members: members.slice(offset, offset + count), total_items: members.length });
    }
    const STATUSES = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"];
    if (r.method === "PUT" && m[3]) {
      const b = r.body ?? {};
      if (!validEmail(b.email_address))
        return problem(400, "Invalid Resource", `${b.email_address} looks fake or invalid, please enter a real email address.`);
      if ((await md5(String(b.email_address).toLowerCase())) !== m[3])
        return problem(400, "Invalid Resource", "The subscriber hash does not match the email address.");
      const existing = this.mailchimp.get(b.email_address.toLowerCase());
      const status = existing ? (b.status ?? existing.status) : (b.status_if_new ?? b.status);
      if (!STATUSES.includes(status)) return problem(400, "Invalid Resource", "The resource submitted could not be validated.");
      const row = { status, merge_fields: { ...(existing?.merge_fields ?? {}), ...(b.merge_fields ?? {}) }, lastChanged: Date.now() };
      this.mailchimp.set(b.email_address.toLowerCase(), row);
      return json(200, { id: m[3], email_address: b.email_address.toLowerCase(), status, merge_fields: row.merge_fields });
    }
    if (r.method === "POST" && !m[2]) {
      const b = r.body ?? {};
      if (!Array.isArray(b.members) || b.members.length > 500)
        return problem(400, "Invalid Resource", "The resource submitted could not be validated: members must be an array of at most 500.");
      const out = {
        new_members: [] as unknown[],
        updated_members: [] as unknown[],
        errors: [] as unknown[],
        total_created: 0,
        total_updated: 0,
        error_count: 0,
      };
      for (const mem of b.members) {
        if (!validEmail(mem.email_address) || !STATUSES.includes(mem.status)) {
          out.errors.push({
            email_address: mem.email_address,
            error: `${mem.email_address} looks fake or invalid, please enter a real email address.`,
            error_code: "ERROR_GENERIC",
          });
          continue;
        }
        const email = mem.email_address.toLowerCase();
        const existing = this.mailchimp.get(email);
        if (existing && !b.update_existing) {
          out.errors.push({ email_address: email, error: `${email} is already a list member.`, error_code: "ERROR_CONTACT_EXISTS" });
          continue;
        }
        this.mailchimp.set(email, {
          status: mem.status,
          merge_fields: { ...(existing?.merge_fields ?? {}), ...(mem.merge_fields ?? {}) },
          lastChanged: Date.now(),
        });
        (existing ? out.updated_members : out.new_members).push({ email_address: email, status: mem.status });
      }
      out.total_created = out.new_members.length;
      out.total_updated = out.updated_members.length;
      out.error_count = out.errors.length;
      return json(200, out);
    }
    return problem(405, "Method Not Allowed", "The requested method and resource are not compatible.");
  }

  // SendGrid Marketing Campaigns: https://www.twilio.com/docs/sendgrid/api-reference/contacts
  private sg(r: Req): Response {
    if (r.headers.authorization !== `Bearer ${KEYS.sendgrid}`)
      return json(401, { errors: [{ field: null, message: "authorization required" }] });
    const p = r.path;
    if (r.method === "GET" && p === "/v3/scopes") return json(200, { scopes: ["marketing.read", "marketing.send"] });
    const list = /^\/v3\/marketing\/lists\/([^/]+)(\/contacts)?$/.exec(p);
    if (list && list[1] !== REMOTE.sendgridList) return json(404, { errors: [{ field: "id", message: "list ID does not exist" }] });
    if (r.method === "GET" && list && !list[2])
      return json(200, {
        id: list[1],
        name: "Weft customers",
        contact_count: [...this.sendgrid.values()].filter((c) => c.lists.has(String(list[1]))).length,
      });
    if (r.method === "PUT" && p === "/v3/marketing/contacts") {
      const b = r.body ?? {};
      if (!Array.isArray(b.contacts) || !b.contacts.length || b.contacts.length > 30_000)
        return json(400, { errors: [{ field: "contacts", message: "contacts must contain between 1 and 30000 items" }] });
      for (const id of b.list_ids ?? [])
        if (id !== REMOTE.sendgridList) return json(400, { errors: [{ field: "list_ids", message: `list ${id} does not exist` }] });
      const errors = b.contacts
        .map((c: { email?: unknown }, i: number) =>
          validEmail(c.email) ? null : { field: `contacts[${i}].email`, message: "email address is invalid" },
        )
        .filter(Boolean);
      if (errors.length) return json(400, { errors });
      for (const c of b.contacts) {
        const email = String(c.email).toLowerCase();
        const prev = this.sendgrid.get(email);
        this.sendgrid.set(email, {
          id: prev?.id ?? crypto.randomUUID(),
          first_name: c.first_name ?? prev?.first_name,
          last_name: c.last_name ?? prev?.last_name,
          custom_fields: { ...(prev?.custom_fields ?? {}), ...(c.custom_fields ?? {}) },
          lists: new Set([...(prev?.lists ?? []), ...(b.list_ids ?? [])]),
        });
      }
      return json(202, { job_id: crypto.randomUUID() });
    }
    if (r.method === "POST" && p === "/v3/marketing/contacts/search/emails") {
      const emails: string[] = r.body?.emails ?? [];
      if (!emails.length || emails.length > 100) return json(400, { errors: [{ field: "emails", message: "between 1 and 100 emails" }] });
      const result: Record<string, unknown> = {};
      for (const e of emails) {
        const c = this.sendgrid.get(e.toLowerCase());
        result[e.toLowerCase()] = c
          ? { contact: { id: c.id, email: e.toLowerCase(), list_ids: [...c.lists] } }
          : { error: "contact not found" };
      }
      if (!emails.some((e) => this.sendgrid.has(e.toLowerCase()))) return json(404, { errors: [{ message: "No contacts found" }] });
      return json(200, { result });
    }
    if (r.method === "DELETE" && list?.[2]) {
      const ids = (r.url.searchParams.get("contact_ids") ?? "").split(",").filter(Boolean);
      if (!ids.length) return json(400, { errors: [{ field: "contact_ids", message: "contact_ids is required" }] });
      for (const c of this.sendgrid.values()) if (ids.includes(c.id)) c.lists.delete(String(list[1]));
      return json(202, { job_id: crypto.randomUUID() });
    }
    if (r.method === "DELETE" && p === "/v3/marketing/contacts") {
      const ids = (r.url.searchParams.get("ids") ?? "").split(",").filter(Boolean);
      if (!ids.length && r.url.searchParams.get("delete_all_contacts") !== "true")
        return json(400, { errors: [{ field: "ids", message: "ids or delete_all_contacts is required" }] });
      for (const [email, c] of this.sendgrid) if (ids.includes(c.id)) this.sendgrid.delete(email);
      return json(202, { job_id: crypto.randomUUID() });
    }
    if (r.method === "GET" && p === "/v3/suppression/unsubscribes") {
      const start = Number(r.url.searchParams.get("start_time") ?? 0);
      return json(
        200,
        this.sendgridUnsubscribes.filter((u) => u.created >= start).map((u) => ({ email: u.email, created: u.created })),
      );
    }
    return json(404, { errors: [{ message: "not found" }] });
  }

  // Kit API v4: https://developers.kit.com/api-reference
  private kt(r: Req): Response {
    if (r.headers["x-kit-api-key"] !== KEYS.kit) return json(401, { errors: ["The access token is invalid"] });
    const p = r.path;
    if (r.method === "GET" && p === "/v4/account")
      return json(200, { user: { email: "owner@kit.test" }, account: { id: 1, name: "Weft Kit", plan_type: "creator" } });
    if (p === "/v4/subscribers" && r.method === "POST") {
      const b = r.body ?? {};
      if (!validEmail(b.email_address)) return json(422, { errors: ["Email address is invalid"] });
      const email = String(b.email_address).toLowerCase();
      const prev = this.kit.get(email);
      const row = prev ?? {
        id: ++this.kitSeq,
        first_name: null,
        fields: {},
        state: "active",
        forms: new Set<string>(),
        tags: new Set<string>(),
        updated: Date.now(),
      };
      if (b.first_name !== undefined) row.first_name = b.first_name;
      Object.assign(row.fields, b.fields ?? {});
      row.updated = Date.now();
      this.kit.set(email, row);
      return json(prev ? 200 : 201, {
        subscriber: { id: row.id, first_name: row.first_name, email_address: email, state: row.state, fields: row.fields },
      });
    }
    if (p === "/v4/subscribers" && r.method === "GET") {
      const email = r.url.searchParams.get("email_address");
      const status = r.url.searchParams.get("status") ?? "active";
      const after = r.url.searchParams.get("updated_after");
      const subs = [...this.kit]
        .filter(
          ([e, s]) =>
            (!email || e === email.toLowerCase()) && (status === "all" || s.state === status) && (!after || s.updated >= Date.parse(after)),
        )
        .map(([e, s]) => ({ id: s.id, email_address: e, first_name: s.first_name, state: s.state }));
      return json(200, {
        subscribers: subs,
        pagination: { has_previous_page: false, has_next_page: false, start_cursor: null, end_cursor: null, per_page: 500 },
      });
    }
    const target = /^\/v4\/(forms|tags)\/(\d+)\/subscribers(?:\/(\d+))?$/.exec(p);
    if (target) {
      const [, kind, id, sid] = target;
      if (kind === "forms" ? id !== REMOTE.kitForm : id !== REMOTE.kitTag) return json(404, { errors: ["Not Found"] });
      if (r.method === "POST" && !sid) {
        const row = this.kit.get(String(r.body?.email_address ?? "").toLowerCase());
        if (!row) return json(404, { errors: ["Subscriber not found"] });
        const set = kind === "forms" ? row.forms : row.tags;
        const had = set.has(String(id));
        set.add(String(id));
        return json(had ? 200 : 201, { subscriber: { id: row.id, email_address: r.body.email_address, state: row.state } });
      }
      if (r.method === "DELETE" && sid && kind === "tags") {
        const row = [...this.kit.values()].find((s) => String(s.id) === sid);
        if (!row?.tags.has(String(id))) return json(404, { errors: ["Not Found"] });
        row.tags.delete(String(id));
        return new Response(null, { status: 204 });
      }
    }
    const unsub = /^\/v4\/subscribers\/(\d+)\/unsubscribe$/.exec(p);
    if (unsub && r.method === "POST") {
      const row = [...this.kit.values()].find((s) => String(s.id) === unsub[1]);
      if (!row) return json(404, { errors: ["Not Found"] });
      row.state = "cancelled";
      row.updated = Date.now();
      return new Response(null, { status: 204 });
    }
    return json(404, { errors: ["Not Found"] });
  }
}
