import { FakeCrm, json, type Req, type Stored, tick } from "./common";

/**
 * HubSpot CRM v3 wire format: Bearer auth, `/crm/v3/objects/{contacts|deals}` list with `after`
 * paging, `/search` with filterGroups/sorts on the last-modified property, batch create/update
 * with `inputs`, pipelines, account details. Property values are strings; objects carry ISO
 * `updatedAt`, and the last-modified property as an ISO string.
 */
const OBJ = { contacts: "lead", deals: "deal" } as const;
const MODIFIED = { lead: "lastmodifieddate", deal: "hs_lastmodifieddate" } as const;

export class FakeHubspot extends FakeCrm {
  hosts = /^api\.hubapi\.com$/;
  token = "pat-na1-fake-hubspot-token";
  authorized(r: Req) {
    return r.headers.get("Authorization") === `Bearer ${this.token}`;
  }
  unauthorized() {
    return json(401, {
      status: "error",
      message: "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
      category: "INVALID_AUTHENTICATION",
    });
  }
  private view(entity: "lead" | "deal", s: Stored, properties: string[] | null) {
    const all = { ...s.props, [MODIFIED[entity]]: new Date(s.modifiedAt).toISOString(), hs_object_id: s.id } as Record<string, unknown>;
    const keys = properties ?? Object.keys(all);
    return {
      id: s.id,
      properties: Object.fromEntries(keys.map((k) => [k, all[k] === undefined || all[k] === null ? null : String(all[k])])),
      createdAt: new Date(s.modifiedAt).toISOString(),
      updatedAt: new Date(s.modifiedAt).toISOString(),
      archived: false,
    };
  }
  private page(entity: "lead" | "deal", rows: Stored[], after: string | undefined, limit: number, properties: string[] | null) {
    const start = after ? Number(after) : 0;
    const size = Math.min(limit, this.pageSize);
    const slice = rows.slice(start, start + size);
    const next = start + size < rows.length ? { next: { after: String(start + size), link: "…" } } : undefined;
    return { results: slice.map((s) => this.view(entity, s, properties)), ...(next ? { paging: next } : {}) };
  }
  route(r: Req) {
    const p = r.url.pathname;
    if (r.method === "GET" && p === "/account-info/v3/details") return json(200, { portalId: 4242, timeZone: "UTC", currency: "USD" });
    if (r.method === "GET" && p === "/crm/v3/pipelines/deals")
      return json(200, {
        results: [
          {
            id: "default",
            label: "Sales Pipeline",
            displayOrder: 0,
            stages: [
              { id: "appointmentscheduled", label: "Appointment scheduled", displayOrder: 0 },
              { id: "qualifiedtobuy", label: "Qualified", displayOrder: 1 },
              { id: "contractsent", label: "Contract sent", displayOrder: 2 },
              { id: "closedwon", label: "Closed won", displayOrder: 3 },
              { id: "closedlost", label: "Closed lost", displayOrder: 4 },
            ],
          },
        ],
      });
    const m = p.match(/^\/crm\/v3\/objects\/(contacts|deals)(\/search|\/batch\/create|\/batch\/update)?$/);
    if (!m) return json(404, { status: "error", message: `Unknown path ${p}` });
    const entity = OBJ[m[1] as keyof typeof OBJ];
    const rows = [...this.store[entity].values()];
    if (r.method === "GET" && !m[2]) {
      const q = r.url.searchParams;
      const props = q.get("properties")?.split(",") ?? null;
      rows.sort((a, b) => Number(a.id) - Number(b.id));
      return json(200, this.page(entity, rows, q.get("after") ?? undefined, Number(q.get("limit") ?? 10), props));
    }
    const body = JSON.parse(r.body || "{}");
    if (r.method === "POST" && m[2] === "/search") {
      const f = body.filterGroups?.[0]?.filters?.[0];
      if (f && (f.propertyName !== MODIFIED[entity] || !["GTE", "GT"].includes(f.operator)))
        return json(400, { status: "error", message: `unsupported filter ${JSON.stringify(f)}`, category: "VALIDATION_ERROR" });
      const since = f ? Number(f.value) : 0;
      const hits = rows
        .filter((s) => (f?.operator === "GT" ? s.modifiedAt > since : s.modifiedAt >= since))
        .sort((a, b) => a.modifiedAt - b.modifiedAt || Number(a.id) - Number(b.id));
      return json(200, { total: hits.length, ...this.page(entity, hits, body.after, body.limit ?? 10, body.properties ?? null) });
    }
    if (r.method === "POST" && m[2] === "/batch/create") {
      const results = (body.inputs as { properties: Record<string, string> }[]).map((i) => {
        this.writes++;
        const props = { ...i.properties };
        if (props.email) props.email = props.email.toLowerCase();
        return this.view(entity, this.put(entity, props), null);
      });
      return json(201, { status: "COMPLETE", results, startedAt: new Date().toISOString(), completedAt: new Date().toISOString() });
    }
    if (r.method === "POST" && m[2] === "/batch/update") {
      const results = [];
      const errors = [];
      for (const i of body.inputs as { id: string; properties: Record<string, string> }[]) {
        if (!this.store[entity].has(i.id)) {
          errors.push({ status: "error", category: "OBJECT_NOT_FOUND", message: `Object ${i.id} not found`, context: { ids: [i.id] } });
          continue;
        }
        this.writes++;
        results.push(this.view(entity, this.put(entity, i.properties, i.id), null));
      }
      return json(errors.length ? 207 : 200, {
        status: "COMPLETE",
        results,
        ...(errors.length ? { errors, numErrors: errors.length } : {}),
      });
    }
    return json(405, { status: "error", message: "method not allowed" });
  }
}
export { tick };
