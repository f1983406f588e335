import { and, asc, eq } from "drizzle-orm";
import { type CustomFieldValues, type SalesFieldType, salesFieldDefs } from "../../../schema/sales";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";

/** Custom fields a workspace defines for leads and companies; values in `custom_fields` are validated against them. */

export type FieldDefRow = typeof salesFieldDefs.$inferSelect;
export type FieldEntity = FieldDefRow["entity"];

export const serializeFieldDef = (f: FieldDefRow) => ({
  id: f.id,
  entity: f.entity,
  key: f.key,
  label: f.label,
  type: f.type,
  position: f.position,
  created_at: new Date(f.createdAt).toISOString(),
});

export const listFieldDefs = (db: Db, tenantId: string, entity?: FieldEntity) =>
  db
    .select()
    .from(salesFieldDefs)
    .where(tenantScope(db, tenantId).where(salesFieldDefs, entity ? eq(salesFieldDefs.entity, entity) : undefined))
    .orderBy(asc(salesFieldDefs.entity), asc(salesFieldDefs.position), asc(salesFieldDefs.key));

export async function createFieldDef(
  db: Db,
  tenantId: string,
  input: { entity: FieldEntity; key: string; label: string; type: SalesFieldType; position?: number },
  actor: Actor,
): Promise<FieldDefRow> {
  const row: FieldDefRow = { tenantId, id: newId("sfd"), ...input, position: input.position ?? 0, createdAt: Date.now() };
  try {
    await db.batch([
      db.insert(salesFieldDefs).values(row),
      auditInsert(db, actor, {
        tenantId,
        action: "sales.field.created",
        target: { type: "sales_field", id: row.id },
        metadata: { key: row.key },
      }),
    ]);
  } catch (e) {
    if (/UNIQUE constraint failed/.test(String((e as Error)?.cause ?? e)))
      throw conflict(`A ${input.entity} field with the key "${input.key}" already exists.`, "field-exists");
    throw e;
  }
  return row;
}

async function getFieldDef(db: Db, tenantId: string, id: string) {
  const row = await db
    .select()
    .from(salesFieldDefs)
    .where(tenantScope(db, tenantId).where(salesFieldDefs, eq(salesFieldDefs.id, id)))
    .get();
  if (!row) throw notFound("Field");
  return row;
}

/** Label and position only: the key and type are what stored values were validated against. */
export async function updateFieldDef(db: Db, tenantId: string, id: string, patch: { label?: string; position?: number }) {
  const cur = await getFieldDef(db, tenantId, id);
  const next = { ...cur, label: patch.label ?? cur.label, position: patch.position ?? cur.position };
  await db
    .update(salesFieldDefs)
    .set({ label: next.label, position: next.position })
    .where(and(eq(salesFieldDefs.tenantId, tenantId), eq(salesFieldDefs.id, id)));
  return next;
}

/** Removes the definition; values already stored under its key stay in the rows (shown as unknown fields) until edited. */
export async function deleteFieldDef(db: Db, tenantId: string, id: string, actor: Actor) {
  const cur = await getFieldDef(db, tenantId, id);
  await db.batch([
    db.delete(salesFieldDefs).where(and(eq(salesFieldDefs.tenantId, tenantId), eq(salesFieldDefs.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.field.deleted", target: { type: "sales_field", id }, metadata: { key: cur.key } }),
  ]);
}

/** One value as its field type wants it; a string from a CSV is converted. Returns an error message when it does not fit. */
export function coerceFieldValue(type: SalesFieldType, v: unknown): { value: string | number | boolean | null } | { error: string } {
  if (v === null || v === undefined || v === "") return { value: null };
  switch (type) {
    case "text":
      return typeof v === "string"
        ? v.length <= 2000
          ? { value: v }
          : { error: "must be at most 2000 characters" }
        : { value: String(v) };
    case "number": {
      const n = typeof v === "number" ? v : Number(String(v).trim().replace(/,/g, ""));
      return Number.isFinite(n) ? { value: n } : { error: "must be a number" };
    }
    case "boolean": {
      if (typeof v === "boolean") return { value: v };
      const s = String(v).trim().toLowerCase();
      if (["true", "yes", "y", "1"].includes(s)) return { value: true };
      if (["false", "no", "n", "0"].includes(s)) return { value: false };
      return { error: "must be true or false" };
    }
    case "date": {
      const s = String(v).trim();
      return /^\d{4}-\d{2}-\d{2}/.test(s) && Number.isFinite(Date.parse(s))
        ? { value: s.slice(0, 10) }
        : { error: "must be a date (YYYY-MM-DD)" };
    }
    case "url": {
      const s = String(v).trim();
      try {
        const u = new URL(s);
        return u.protocol === "http:" || u.protocol === "https:" ? { value: s } : { error: "must be an http(s) URL" };
      } catch {
        return { error: "must be an http(s) URL" };
      }
    }
  }
}

/** Validates custom field values against the definitions; errors name `custom_fields.<key>`. */
export function checkCustomFields(
  defs: FieldDefRow[],
  values: Record<string, unknown>,
): { values: CustomFieldValues; errors: { path: string; message: string }[] } {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const out: CustomFieldValues = {};
  const errors: { path: string; message: string }[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const def = byKey.get(key);
    if (!def) {
      errors.push({ path: `custom_fields.${key}`, message: "is not a field of this workspace (define it under /sales/fields)" });
      continue;
    }
    const r = coerceFieldValue(def.type, raw);
    if ("error" in r) errors.push({ path: `custom_fields.${key}`, message: r.error });
    else out[key] = r.value;
  }
  return { values: out, errors };
}

export async function validateCustomFields(db: Db, tenantId: string, entity: FieldEntity, values: Record<string, unknown> | undefined) {
  if (!values || !Object.keys(values).length) return {} as CustomFieldValues;
  const { values: out, errors } = checkCustomFields(await listFieldDefs(db, tenantId, entity), values);
  if (errors.length) throw validationFailed(errors);
  return out;
}
