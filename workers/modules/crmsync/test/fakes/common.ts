import { crmTransport } from "../../http";

/**
 * Shared plumbing of the in-process CRM fakes: a record store per object type with modified times
 * the fake sets itself (as the CRMs do), a request log, "answer the next call with 429 once", and
 * the installer that routes the crmsync transport to the fakes by host name.
 */
export interface Req {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}
export interface Stored {
  id: string;
  props: Record<string, unknown>;
  modifiedAt: number;
}
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

/** The CRM's clock: real time, strictly increasing per write (so two writes never share a modified time). */
let last = 0;
export const tick = () => {
  last = Math.max(Date.now(), last + 1);
  return last;
};

export abstract class FakeCrm {
  requests: Req[] = [];
  store: Record<"lead" | "deal", Map<string, Stored>> = { lead: new Map(), deal: new Map() };
  /** Page size the fake answers with (small, so tests cross pages). */
  pageSize = 2;
  /** Answer the next request with 429 + Retry-After once. */
  rateLimitNext = false;
  rateLimited = 0;
  writes = 0;
  private seq = 0;
  abstract hosts: RegExp;
  abstract route(r: Req): Promise<Response> | Response;
  abstract authorized(r: Req): boolean;
  abstract unauthorized(): Response;
  nextId(prefix = "") {
    return `${prefix}${1000 + ++this.seq}`;
  }
  /** Seeds or edits a record as if someone changed it in the CRM (its modified time moves on). */
  put(entity: "lead" | "deal", props: Record<string, unknown>, id = this.nextId()): Stored {
    const cur = this.store[entity].get(id);
    const row = { id, props: { ...cur?.props, ...props }, modifiedAt: tick() };
    this.store[entity].set(id, row);
    return row;
  }
  async handle(r: Req): Promise<Response> {
    this.requests.push(r);
    if (this.rateLimitNext) {
      this.rateLimitNext = false;
      this.rateLimited++;
      return json(429, { message: "Too many requests" }, { "Retry-After": "2" });
    }
    if (!this.authorized(r)) return this.unauthorized();
    return this.route(r);
  }
}

/** Routes crmsync traffic to the fakes until the returned function is called; waits are recorded, not slept. */
export function installCrmFakes(fakes: FakeCrm[]) {
  const prev = { ...crmTransport };
  const waits: number[] = [];
  crmTransport.sleep = async (ms) => {
    waits.push(ms);
  };
  crmTransport.current = async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const r: Req = { method: req.method, url: new URL(req.url), headers: req.headers, body: req.method === "GET" ? "" : await req.text() };
    const fake = fakes.find((f) => f.hosts.test(r.url.hostname));
    return fake ? fake.handle(r) : new Response(`no fake for ${r.url.href}`, { status: 599 });
  };
  return {
    waits,
    restore() {
      crmTransport.current = prev.current;
      crmTransport.sleep = prev.sleep;
    },
  };
}
