import { z } from "@hono/zod-openapi";
import { CRM_CONFLICT_RULES, CRM_DIRECTIONS, CRM_PROVIDERS, CRM_RUN_STATUSES } from "../../../schema/crm-sync";

/** Request and response shapes of the integration hub's API (routes.ts). */
export const providerParam = z.object({ provider: z.enum(CRM_PROVIDERS).openapi({ param: { name: "provider", in: "path" } }) });

const mappingSchema = z
  .array(
    z.object({
      remote: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .regex(/^[A-Za-z0-9_.]+$/, "letters, digits, _ and . only"),
      local: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .openapi({ description: "A lead/deal field (email, first_name…, stage, amount…) or custom:<key>" }),
    }),
  )
  .max(60);

const runRecord = z.object({
  kind: z.enum(["error", "conflict", "stage"]),
  entity: z.enum(["lead", "deal"]),
  local_id: z.string().nullable(),
  remote_id: z.string().nullable(),
  message: z.string(),
});
const runFields = z.object({
  id: z.string(),
  connection_id: z.string(),
  trigger: z.enum(["manual", "schedule"]),
  status: z.enum(CRM_RUN_STATUSES),
  phase: z.string().nullable().openapi({ description: "What a running sync is doing now" }),
  counts: z.object({
    pulled: z.number().int().openapi({ description: "Remote records read" }),
    pushed: z.number().int().openapi({ description: "Local records written to the CRM" }),
    created: z.number().int().openapi({ description: "Local leads/deals created" }),
    updated: z.number().int().openapi({ description: "Local leads/deals updated" }),
    unchanged: z.number().int(),
    conflicts: z.number().int(),
    errors: z.number().int(),
  }),
  records: z.array(runRecord).openapi({ description: "Per-record errors, conflicts and unknown stages (the first 200)" }),
  error: z.string().nullable().openapi({ description: "Why the run failed as a whole" }),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  created_at: z.string(),
});
export const runSchema = runFields.openapi("CrmSyncRun");

export const connectionSchema = z
  .object({
    id: z.string(),
    provider: z.enum(CRM_PROVIDERS),
    auth_kind: z.enum(["token", "oauth"]),
    credentials_hint: z.string().openapi({ description: "The token, masked; credentials are never returned" }),
    account_label: z.string().nullable(),
    status: z.enum(["active", "error"]),
    last_error: z.string().nullable(),
    direction: z.enum(CRM_DIRECTIONS),
    conflict_rule: z.enum(CRM_CONFLICT_RULES),
    interval_minutes: z.number().int().nullable().openapi({ description: "Scheduled sync interval; null: Sync now only" }),
    lead_mapping: mappingSchema,
    deal_mapping: mappingSchema,
    stage_map: z.record(z.string(), z.string()).openapi({ description: "Remote stage id → local stage id" }),
    remote_stages: z.array(z.object({ id: z.string(), label: z.string() })),
    local_stages: z.array(z.object({ id: z.string(), name: z.string() })),
    last_sync_at: z.string().nullable(),
    next_sync_at: z.string().nullable(),
    last_run: runFields.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CrmConnection");

export const providerInfoSchema = z
  .object({
    id: z.enum(CRM_PROVIDERS),
    name: z.string(),
    oauth: z.boolean().openapi({ description: "Sign-in with the CRM is configured (else connect with a token)" }),
    token_label: z.string(),
    needs_instance_url: z.boolean(),
  })
  .openapi("CrmProvider");

export const connectInput = z
  .object({
    provider: z.enum(CRM_PROVIDERS),
    token: z
      .string()
      .trim()
      .min(8)
      .max(2000)
      .openapi({ description: "HubSpot private-app token, Salesforce access token, Pipedrive API token" }),
    instance_url: z.url().max(300).optional().openapi({ description: "Salesforce: the org's instance URL (https://…my.salesforce.com)" }),
    direction: z.enum(CRM_DIRECTIONS).optional(),
    conflict_rule: z.enum(CRM_CONFLICT_RULES).optional(),
    interval_minutes: z.number().int().min(15).max(10_080).nullable().optional(),
  })
  .openapi("CrmConnectInput");

export const connectionPatch = z
  .object({
    direction: z.enum(CRM_DIRECTIONS),
    conflict_rule: z.enum(CRM_CONFLICT_RULES),
    interval_minutes: z.number().int().min(15).max(10_080).nullable(),
    lead_mapping: mappingSchema,
    deal_mapping: mappingSchema,
    stage_map: z.record(z.string().max(100), z.string().max(60)),
  })
  .partial()
  .openapi("CrmConnectionPatch");
