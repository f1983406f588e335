import { FakeCrm, json, type Req, type Stored } from "./common";

/**
 * Pipedrive API v1 wire format: `api_token` query parameter, `{success, data, additional_data:
 * {pagination: {start, limit, more_items_in_collection, next_start}}}`, `sort=update_time DESC`,
 * persons' email/phone as [{value, primary, label}], update_time as "YYYY-MM-DD HH:MM:SS" (UTC),
 * numeric ids and stage ids.
 */
const PATH = { persons: "lead", deals: "deal" } as const;
const pdTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

export class FakePipedrive extends FakeCrm {
  hosts = /^api\.pipedrive\.com$/;
  token = "fakepipedrivetoken0123456789abcdef";
  authorized(r: Req) {
    return r.url.searchParams.get("api_token") === this.token;
  }
  unauthorized() {
    return json(401, { success: false, error: "unauthorized access", errorCode: 401, error_info: "Please check developers.pipedrive.com" });
  }
  private view(s: Stored) {
    return { id: Number(s.id), ...s.props, update_time: pdTime(s.modifiedAt), add_time: pdTime(s.modifiedAt) };
  }
  route(r: Req) {
    const p = r.url.pathname;
    if (r.method === "GET" && p === "/v1/users/me")
      return json(200, { success: true, data: { id: 1, company_name: "Fake Pipedrive Co", company_domain: "fakeco" } });
    if (r.method === "GET" && p === "/v1/stages")
      return json(200, {
        success: true,
        data: [
          { id: 1, name: "Lead In", order_nr: 1, pipeline_id: 1 },
          { id: 2, name: "Proposal Made", order_nr: 2, pipeline_id: 1 },
          { id: 3, name: "Negotiations Started", order_nr: 3, pipeline_id: 1 },
        ],
      });
    const m = p.match(/^\/v1\/(persons|deals)(?:\/(\d+))?$/);
    if (!m) return json(404, { success: false, error: "Unknown method ." });
    const entity = PATH[m[1] as keyof typeof PATH];
    if (r.method === "GET" && !m[2]) {
      const q = r.url.searchParams;
      if (q.get("sort") !== "update_time DESC") return json(400, { success: false, error: "unexpected sort" });
      const start = Number(q.get("start") ?? 0);
      const limit = Math.min(Number(q.get("limit") ?? 100), this.pageSize);
      const rows = [...this.store[entity].values()].sort((a, b) => b.modifiedAt - a.modifiedAt || Number(b.id) - Number(a.id));
      const data = rows.slice(start, start + limit).map((s) => this.view(s));
      const more = start + limit < rows.length;
      return json(200, {
        success: true,
        data: data.length ? data : null,
        additional_data: { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } },
      });
    }
    const body = JSON.parse(r.body || "{}") as Record<string, unknown>;
    if (entity === "lead")
      for (const k of ["email", "phone"])
        if (k in body && !Array.isArray(body[k])) return json(400, { success: false, error: `${k} must be an array of objects` });
    if (r.method === "POST" && !m[2]) {
      if (entity === "lead" && !body.name && !body.first_name && !body.last_name)
        return json(400, { success: false, error: "Name must be given." });
      if (entity === "deal" && !body.title) return json(400, { success: false, error: "Title must be given." });
      this.writes++;
      return json(201, { success: true, data: this.view(this.put(entity, body)) });
    }
    if (r.method === "PUT" && m[2]) {
      if (!this.store[entity].has(m[2])) return json(404, { success: false, error: "Not found" });
      this.writes++;
      return json(200, { success: true, data: this.view(this.put(entity, body, m[2])) });
    }
    return json(405, { success: false, error: "method not allowed" });
  }
}
