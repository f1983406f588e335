import { exports } from "cloudflare:workers";
import { BASE, callJson, type TestUser } from "../../../../test/helpers";

/** Multipart upload through the Worker's fetch handler. */
export async function upload(u: TestUser, name: string, body: string | Uint8Array, type: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append("file", new File([body], name, { type }));
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  const res = await exports.default.fetch(`${BASE}/api/v1/knowledge/sources/files`, {
    method: "POST",
    headers: { Authorization: `Bearer ${u.accessToken}`, "X-Tenant-ID": u.tenantId, "CF-Connecting-IP": u.ip },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export const asUser =
  (u: TestUser) =>
  (path: string, opts: { method?: string; body?: unknown } = {}) =>
    callJson(path, { ...opts, token: u.accessToken, tenant: u.tenantId, ip: u.ip });

/** Polls the source until it leaves queued/indexing (the real Queue consumer runs meanwhile). */
export async function waitForSource(u: TestUser, id: string, want: "ready" | "failed" = "ready", timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const r = await asUser(u)(`/api/v1/knowledge/sources/${id}`);
    last = r.body;
    if (r.status === 200 && (r.body.status === "ready" || r.body.status === "failed")) {
      if (r.body.status !== want) throw new Error(`source ${id} is ${r.body.status}: ${r.body.error}`);
      return r.body;
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`source ${id} did not become ${want}: ${JSON.stringify(last)}`);
}

/**
 * A minimal but valid PDF (Helvetica text, one content stream per page, exact xref offsets),
 * so PDF extraction is tested on real PDF bytes.
 */
export function buildPdf(pages: string[][]): Uint8Array {
  const objs: string[] = [];
  const pageIds: number[] = [];
  // 1: catalog, 2: pages, 3: font; then per page: page obj + content obj.
  let next = 4;
  const pageObjs: string[] = [];
  for (const lines of pages) {
    const pageId = next++;
    const contentId = next++;
    pageIds.push(pageId);
    const esc = (s: string) => s.replace(/([()\\])/g, "\\$1");
    const stream = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((l) => `(${esc(l)}) Tj T*`).join(" ")} ET`;
    pageObjs[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`;
    pageObjs[contentId] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  }
  objs[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objs[2] = `<< /Type /Pages /Kids [${pageIds.map((i) => `${i} 0 R`).join(" ")}] /Count ${pageIds.length} >>`;
  objs[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  for (let i = 4; i < next; i++) objs[i] = pageObjs[i]!;
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let i = 1; i < next; i++) {
    offsets[i] = out.length;
    out += `${i} 0 obj\n${objs[i]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${next}\n0000000000 65535 f \n`;
  for (let i = 1; i < next; i++) out += `${String(offsets[i]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${next} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
