import { z } from "@hono/zod-openapi";

/** CSV import: request and response schemas (OpenAPI). */

const rowError = z.object({ row: z.number(), field: z.string().nullable(), message: z.string() });
export const importSchema = z
  .object({
    id: z.string(),
    file_name: z.string(),
    status: z.enum(["uploaded", "running", "done", "failed"]),
    headers: z.array(z.string()),
    mapping: z.record(z.string(), z.string()).openapi({ description: "CSV column → lead field (or custom.<key>)" }),
    suggested_mapping: z
      .record(z.string(), z.string())
      .optional()
      .openapi({ description: "On upload: the mapping guessed from the headers" }),
    duplicates: z.enum(["skip", "update", "merge"]),
    tags: z.array(z.string()),
    total_rows: z.number(),
    processed_rows: z.number(),
    created: z.number(),
    updated: z.number(),
    skipped: z.number(),
    failed: z.number(),
    errors: z.array(rowError).openapi({ description: "The first 500 row errors" }),
    created_by: z.string().nullable(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi("SalesImport");

export const previewQuery = z.object({
  mapping: z
    .string()
    .max(20_000)
    .optional()
    .openapi({ description: 'JSON object CSV column → field, e.g. {"E-mail":"email"}; default: the import\'s mapping' }),
});
export const previewSchema = z
  .object({
    mapping: z.record(z.string(), z.string()),
    total_rows: z.number(),
    rows: z.array(
      z.object({
        row: z.number(),
        values: z.record(z.string(), z.string()).openapi({ description: "field → value as it would be written" }),
        errors: z.array(z.object({ field: z.string().nullable(), message: z.string() })),
        duplicate_of: z
          .string()
          .nullable()
          .openapi({ description: "The existing lead this row matches (by email; without email by name + domain)" }),
        duplicate_of_row: z.number().nullable().openapi({ description: "An earlier row of the file this row repeats" }),
      }),
    ),
  })
  .openapi("SalesImportPreview");

export const applyInput = z
  .object({
    mapping: z.record(z.string().max(200), z.string().max(80)).optional(),
    duplicates: z.enum(["skip", "update", "merge"]).default("update").openapi({
      description:
        "A row matching an existing lead: skip it, update the lead with the row's values, or merge (fill only what the lead lacks)",
    }),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional().openapi({ description: "Added to every imported lead" }),
  })
  .openapi("SalesImportApply");
