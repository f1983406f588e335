import { FakeCrm, json, type Req, type Stored } from "./common";

/**
 * Salesforce REST wire format: Bearer session on the instance URL, `/services/data/vXX.X/query?q=`
 * (a small SOQL subset: SELECT fields FROM object [WHERE LastModifiedDate >= literal] [ORDER BY]
 * [LIMIT]) with `done`/`nextRecordsUrl` paging, sObject POST (201 {id, success, errors}) and PATCH
 * (204), errors as [{message, errorCode}], LastModifiedDate as "…T…+0000".
 */
const SOBJ = { Contact: "lead", Opportunity: "deal" } as const;
const sfDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

export class FakeSalesforce extends FakeCrm {
  hosts = /^fake-org\.my\.salesforce\.com$/;
  static INSTANCE = "https://fake-org.my.salesforce.com";
  token = "00DFAKE!session.token.salesforce";
  private cursors = new Map<string, { rows: Record<string, unknown>[]; at: number }>();
  authorized(r: Req) {
    return r.headers.get("Authorization") === `Bearer ${this.token}`;
  }
  unauthorized() {
    return json(401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
  }
  private pageOf(key: string) {
    const c = this.cursors.get(key);
    if (!c) return json(400, [{ message: "invalid query locator", errorCode: "INVALID_QUERY_LOCATOR" }]);
    const records = c.rows.slice(c.at, c.at + this.pageSize);
    c.at += records.length;
    const done = c.at >= c.rows.length;
    return json(200, {
      totalSize: c.rows.length,
      done,
      records,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v60.0/query/${key}-${c.at}` }),
    });
  }
  route(r: Req) {
    const p = r.url.pathname;
    const next = p.match(/^\/services\/data\/v\d+\.\d\/query\/(01g\w+)-\d+$/);
    if (r.method === "GET" && next) return this.pageOf(next[1] as string);
    if (r.method === "GET" && /^\/services\/data\/v\d+\.\d\/query$/.test(p)) {
      const soql = r.url.searchParams.get("q") ?? "";
      const m = soql.match(/^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (.+?))?(?: LIMIT (\d+))?$/);
      if (!m) return json(400, [{ message: `unexpected token in ${soql}`, errorCode: "MALFORMED_QUERY" }]);
      const fields = (m[1] as string).split(",").map((f) => f.trim());
      const obj = m[2] as string;
      if (obj === "Organization")
        return json(200, {
          totalSize: 1,
          done: true,
          records: [{ attributes: { type: "Organization" }, Id: "00DFAKE", Name: "Fake Org Inc." }],
        });
      if (obj === "OpportunityStage")
        return json(200, {
          totalSize: 4,
          done: true,
          records: ["Prospecting", "Qualification", "Closed Won", "Closed Lost"].map((s, i) => ({
            attributes: { type: "OpportunityStage" },
            ApiName: s,
            MasterLabel: s,
            SortOrder: i + 1,
          })),
        });
      const entity = SOBJ[obj as keyof typeof SOBJ];
      if (!entity) return json(400, [{ message: `sObject type '${obj}' is not supported.`, errorCode: "INVALID_TYPE" }]);
      let since = 0;
      if (m[3]) {
        const w = m[3].match(/^LastModifiedDate >= (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/);
        if (!w) return json(400, [{ message: `unsupported WHERE ${m[3]}`, errorCode: "MALFORMED_QUERY" }]);
        since = Date.parse(w[1] as string);
      }
      const rows = [...this.store[entity].values()]
        .filter((s) => s.modifiedAt >= since)
        .sort((a, b) => a.modifiedAt - b.modifiedAt || a.id.localeCompare(b.id))
        .map((s) => this.view(obj, s, fields));
      const key = `01gFAKE${this.cursors.size}`;
      this.cursors.set(key, { rows, at: 0 });
      return this.pageOf(key);
    }
    const so = p.match(/^\/services\/data\/v\d+\.\d\/sobjects\/(Contact|Opportunity)(?:\/(\w+))?$/);
    if (!so) return json(404, [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }]);
    const entity = SOBJ[so[1] as keyof typeof SOBJ];
    const body = JSON.parse(r.body || "{}") as Record<string, unknown>;
    if (r.method === "POST" && !so[2]) {
      const required = entity === "lead" ? ["LastName"] : ["Name", "StageName", "CloseDate"];
      const missing = required.filter((f) => body[f] === undefined || body[f] === null || body[f] === "");
      if (missing.length)
        return json(400, [
          { message: `Required fields are missing: [${missing.join(", ")}]`, errorCode: "REQUIRED_FIELD_MISSING", fields: missing },
        ]);
      this.writes++;
      const s = this.put(entity, body, this.nextId(entity === "lead" ? "003FAKE" : "006FAKE"));
      return json(201, { id: s.id, success: true, errors: [] });
    }
    if (r.method === "PATCH" && so[2]) {
      if (!this.store[entity].has(so[2])) return json(404, [{ message: "entity is deleted", errorCode: "ENTITY_IS_DELETED" }]);
      this.writes++;
      this.put(entity, body, so[2]);
      return new Response(null, { status: 204 });
    }
    return json(405, [{ message: "method not allowed", errorCode: "METHOD_NOT_ALLOWED" }]);
  }
  private view(obj: string, s: Stored, fields: string[]) {
    const all: Record<string, unknown> = { ...s.props, Id: s.id, LastModifiedDate: sfDate(s.modifiedAt) };
    return {
      attributes: { type: obj, url: `/services/data/v60.0/sobjects/${obj}/${s.id}` },
      ...Object.fromEntries(fields.map((f) => [f, all[f] ?? null])),
    };
  }
}
