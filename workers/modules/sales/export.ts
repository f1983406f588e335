import { salesLeads } from "../../../schema/sales";
import { tenantScope, type Db } from "../../platform/db";
import { csvLine } from "./csv";
import { listFieldDefs } from "./fields.service";
import { type LeadFilter, leadConditions } from "./leads.filters";
import { encodeLeadCursor, leadOrder } from "./leads.list";
import type { LeadRow } from "./types";

/** CSV export of leads (the list's filters), streamed page by page so a large workspace never sits in memory. */

const PAGE = 500;
const COLUMNS: [string, (l: LeadRow) => unknown][] = [
  ["id", (l) => l.id],
  ["email", (l) => l.email],
  ["first_name", (l) => l.firstName],
  ["last_name", (l) => l.lastName],
  ["title", (l) => l.title],
  ["phone", (l) => l.phone],
  ["company_name", (l) => l.companyName],
  ["domain", (l) => l.domain],
  ["industry", (l) => l.industry],
  ["employees", (l) => l.employees],
  ["country", (l) => l.country],
  ["region", (l) => l.region],
  ["city", (l) => l.city],
  ["timezone", (l) => l.timezone],
  ["linkedin_url", (l) => l.linkedinUrl],
  ["source", (l) => l.source],
  ["owner_id", (l) => l.ownerId],
  ["status", (l) => l.status],
  ["tags", (l) => l.tags.join(";")],
  ["score", (l) => l.score],
  ["emails_sent", (l) => l.emailsSent],
  ["replies", (l) => l.replies],
  ["created_at", (l) => new Date(l.createdAt).toISOString()],
];

export async function exportLeadsCsv(db: Db, tenantId: string, filter: LeadFilter): Promise<ReadableStream<Uint8Array>> {
  const custom = (await listFieldDefs(db, tenantId, "lead")).map((d) => d.key);
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        // BOM: spreadsheet programs then read the file as UTF-8.
        controller.enqueue(enc.encode(`\ufeff${csvLine([...COLUMNS.map(([h]) => h), ...custom.map((k) => `custom.${k}`)])}`));
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const o = leadOrder("created", cursor);
      const rows = await db
        .select()
        .from(salesLeads)
        .where(tenantScope(db, tenantId).where(salesLeads, ...leadConditions(filter), o.where))
        .orderBy(...o.orderBy)
        .limit(PAGE);
      if (rows.length < PAGE) done = true;
      const last = rows[rows.length - 1];
      if (last) cursor = encodeLeadCursor([last.createdAt, last.id]);
      controller.enqueue(
        enc.encode(rows.map((l) => csvLine([...COLUMNS.map(([, f]) => f(l)), ...custom.map((k) => l.customFields[k] ?? "")])).join("")),
      );
    },
  });
}
