import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Sales AI, CRM core (modules/sales, issue 17; docs/sales.md): companies, leads (contacts), their
 * activity timeline, a pipeline of deals, tasks and CSV imports. Emails and domains are stored
 * lower-cased so de-duplication is an index lookup. A merged lead keeps its row with `merged_into`
 * set (its activities move to the survivor) so links to it still resolve.
 */

/** Custom field types a workspace can define for leads and companies. */
export const SALES_FIELD_TYPES = ["text", "number", "date", "boolean", "url"] as const;
export type SalesFieldType = (typeof SALES_FIELD_TYPES)[number];
export type CustomFieldValues = Record<string, string | number | boolean | null>;

export const salesFieldDefs = sqliteTable(
  "sales_field_defs",
  {
    tenantId: tenantId(),
    id: id(), // sfd_…
    entity: text("entity", { enum: ["lead", "company"] }).notNull(),
    key: text("key").notNull(), // snake_case, the key in custom_fields
    label: text("label").notNull(),
    type: text("type", { enum: SALES_FIELD_TYPES }).notNull(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sales_field_defs_key_uq").on(t.tenantId, t.entity, t.key)],
);

export const salesCompanies = sqliteTable(
  "sales_companies",
  {
    tenantId: tenantId(),
    id: id(), // co_…
    name: text("name").notNull(),
    domain: text("domain"), // lower-case, no scheme or www.
    industry: text("industry"),
    employees: integer("employees"), // head count (size bands are derived)
    country: text("country"), // ISO 3166-1 alpha-2
    region: text("region"),
    city: text("city"),
    ownerId: text("owner_id"), // usr_…
    source: text("source"), // import, manual, api, crm:hubspot, enrichment…
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    customFields: text("custom_fields", { mode: "json" }).$type<CustomFieldValues>().notNull().default({}),
    enrichedBy: text("enriched_by"), // adapter that filled fields ("local-domain", "clearbit"…)
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("sales_companies_domain_idx").on(t.tenantId, t.domain), index("sales_companies_name_idx").on(t.tenantId, t.name)],
);

export const LEAD_STATUSES = ["new", "contacted", "engaged", "qualified", "unqualified", "customer"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** One line of a score explanation: a trait and the points it added (negative: removed). They sum to the score before clamping. */
export interface ScoreLine {
  trait: string; // e.g. "industry:software", "title:vp", "engagement:reply"
  label: string; // human text: "Industry is Software"
  points: number;
}

export const salesLeads = sqliteTable(
  "sales_leads",
  {
    tenantId: tenantId(),
    id: id(), // lead_…
    email: text("email"), // lower-case; unique per workspace when present
    firstName: text("first_name"),
    lastName: text("last_name"),
    title: text("title"),
    phone: text("phone"),
    companyId: text("company_id"),
    companyName: text("company_name"), // as given (the company row may not exist yet)
    domain: text("domain"), // the company's domain (from the email or given)
    industry: text("industry"),
    employees: integer("employees"),
    country: text("country"),
    region: text("region"),
    city: text("city"),
    timezone: text("timezone"), // IANA; sending windows use it (else the mailbox's)
    linkedinUrl: text("linkedin_url"),
    source: text("source"),
    ownerId: text("owner_id"),
    status: text("status", { enum: LEAD_STATUSES }).notNull().default("new"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    customFields: text("custom_fields", { mode: "json" }).$type<CustomFieldValues>().notNull().default({}),
    // Scoring (modules/sales scoring.ts): 0–100, null until first scored; the explanation's points sum to it before clamping.
    score: integer("score"),
    scoreLines: text("score_lines", { mode: "json" }).$type<ScoreLine[]>(),
    scoredAt: timestamp("scored_at"),
    // Engagement counters kept by the sequence engine and reply detection (scoring reads them).
    emailsSent: integer("emails_sent").notNull().default(0),
    opens: integer("opens").notNull().default(0),
    replies: integer("replies").notNull().default(0),
    siteVisits: integer("site_visits").notNull().default(0),
    // Of site_visits, the page views the analytics tracker counted for this lead's email (the scoring cron adds
    // the difference each pass, so a re-run adds nothing and visits recorded by hand stay).
    trackedVisits: integer("tracked_visits").notNull().default(0),
    lastContactedAt: timestamp("last_contacted_at"),
    lastRepliedAt: timestamp("last_replied_at"),
    // Contactability: set from messaging's suppressions/unsubscribes and bounces.
    unsubscribedAt: timestamp("unsubscribed_at"),
    bouncedAt: timestamp("bounced_at"),
    mergedInto: text("merged_into"), // lead_… that absorbed this one
    importId: text("import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sales_leads_email_uq").on(t.tenantId, t.email),
    index("sales_leads_created_idx").on(t.tenantId, t.createdAt),
    index("sales_leads_company_idx").on(t.tenantId, t.companyId),
    index("sales_leads_domain_idx").on(t.tenantId, t.domain),
    index("sales_leads_score_idx").on(t.tenantId, t.score),
    index("sales_leads_owner_idx").on(t.tenantId, t.ownerId),
  ],
);

export const ACTIVITY_KINDS = [
  "email_sent",
  "email_opened",
  "email_replied",
  "email_bounced",
  "unsubscribed",
  "call",
  "meeting",
  "note",
  "task_created",
  "task_done",
  "stage_changed",
  "status_changed",
  "imported",
  "merged",
  "enrolled",
  "sequence_stopped",
  "site_visit",
  "synced",
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const salesActivities = sqliteTable(
  "sales_activities",
  {
    tenantId: tenantId(),
    id: id(), // act_…
    leadId: text("lead_id"),
    companyId: text("company_id"),
    dealId: text("deal_id"),
    kind: text("kind", { enum: ACTIVITY_KINDS }).notNull(),
    actorId: text("actor_id"), // usr_… or null for the system
    summary: text("summary").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    // Idempotency for events that can arrive twice (a webhook, a queue message): unique per workspace.
    dedupeKey: text("dedupe_key"),
    occurredAt: integer("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("sales_activities_lead_idx").on(t.tenantId, t.leadId, t.occurredAt),
    index("sales_activities_deal_idx").on(t.tenantId, t.dealId, t.occurredAt),
    index("sales_activities_kind_idx").on(t.tenantId, t.kind, t.occurredAt),
    uniqueIndex("sales_activities_dedupe_uq").on(t.tenantId, t.dedupeKey),
  ],
);

export const salesStages = sqliteTable(
  "sales_stages",
  {
    tenantId: tenantId(),
    id: id(), // stg_…
    name: text("name").notNull(),
    position: integer("position").notNull(),
    probability: integer("probability").notNull().default(0), // % used for the weighted pipeline
    outcome: text("outcome", { enum: ["open", "won", "lost"] })
      .notNull()
      .default("open"),
    createdAt: createdAt(),
  },
  (t) => [index("sales_stages_position_idx").on(t.tenantId, t.position)],
);

export const salesDeals = sqliteTable(
  "sales_deals",
  {
    tenantId: tenantId(),
    id: id(), // deal_…
    name: text("name").notNull(),
    leadId: text("lead_id"),
    companyId: text("company_id"),
    stageId: text("stage_id").notNull(),
    position: integer("position").notNull().default(0), // order within its stage column
    amountMinor: integer("amount_minor").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    ownerId: text("owner_id"),
    source: text("source"),
    expectedCloseAt: timestamp("expected_close_at"),
    outcome: text("outcome", { enum: ["open", "won", "lost"] })
      .notNull()
      .default("open"),
    lostReason: text("lost_reason"),
    closedAt: timestamp("closed_at"),
    stageChangedAt: integer("stage_changed_at").notNull(),
    customFields: text("custom_fields", { mode: "json" }).$type<CustomFieldValues>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("sales_deals_stage_idx").on(t.tenantId, t.stageId, t.position),
    index("sales_deals_lead_idx").on(t.tenantId, t.leadId),
    index("sales_deals_outcome_idx").on(t.tenantId, t.outcome, t.closedAt),
  ],
);

export const salesTasks = sqliteTable(
  "sales_tasks",
  {
    tenantId: tenantId(),
    id: id(), // task_…
    title: text("title").notNull(),
    notes: text("notes").notNull().default(""),
    kind: text("kind", { enum: ["todo", "call", "email", "meeting", "sequence_step", "follow_up"] })
      .notNull()
      .default("todo"),
    leadId: text("lead_id"),
    dealId: text("deal_id"),
    ownerId: text("owner_id"),
    dueAt: timestamp("due_at"),
    doneAt: timestamp("done_at"),
    enrollmentId: text("enrollment_id"), // a manual step of a sequence
    origin: text("origin"), // "manual" | "sequence" | "voice" (voice-to-action) | "workflow"
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("sales_tasks_owner_due_idx").on(t.tenantId, t.ownerId, t.doneAt, t.dueAt),
    index("sales_tasks_lead_idx").on(t.tenantId, t.leadId),
  ],
);

/** A CSV import: the file sits in R2 until it is applied; `mapping` is CSV column → lead field. */
export interface ImportRowError {
  row: number; // 1-based data row (the header is row 0)
  field: string | null;
  message: string;
}
export const salesImports = sqliteTable(
  "sales_imports",
  {
    tenantId: tenantId(),
    id: id(), // imp_…
    fileName: text("file_name").notNull(),
    fileKey: text("file_key").notNull(), // R2 key of the uploaded CSV
    status: text("status", { enum: ["uploaded", "running", "done", "failed"] }).notNull(),
    headers: text("headers", { mode: "json" }).$type<string[]>().notNull(),
    mapping: text("mapping", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    // What to do with a row whose email (or, without email, name + domain) matches an existing lead.
    duplicates: text("duplicates", { enum: ["skip", "update", "merge"] })
      .notNull()
      .default("update"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    totalRows: integer("total_rows").notNull().default(0),
    processedRows: integer("processed_rows").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    errors: text("errors", { mode: "json" }).$type<ImportRowError[]>().notNull().default([]), // first 500
    createdBy: text("created_by"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [index("sales_imports_created_idx").on(t.tenantId, t.createdAt)],
);
