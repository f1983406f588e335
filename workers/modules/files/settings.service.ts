import { eq } from "drizzle-orm";
import { fileSettings } from "../../../schema/files";
import type { Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { LIMITS } from "./config";
import { EXECUTABLE_TYPES, typeMatches } from "./sniff";

/** A workspace's upload policy: which sniffed types it accepts and its largest file. */
export interface FilePolicy {
  allowedTypes: string[];
  maxFileSize: number;
}
export const DEFAULT_POLICY: FilePolicy = { allowedTypes: ["*/*"], maxFileSize: LIMITS.fileMax };

export async function getPolicy(db: Db, tenantId: string): Promise<FilePolicy> {
  const row = await db.select().from(fileSettings).where(eq(fileSettings.tenantId, tenantId)).get();
  return row ? { allowedTypes: row.allowedTypes, maxFileSize: row.maxFileSize } : DEFAULT_POLICY;
}

export async function putPolicy(db: Db, tenantId: string, p: FilePolicy): Promise<FilePolicy> {
  const now = Date.now();
  await db
    .insert(fileSettings)
    .values({ tenantId, allowedTypes: p.allowedTypes, maxFileSize: p.maxFileSize, updatedAt: now })
    .onConflictDoUpdate({
      target: fileSettings.tenantId,
      set: { allowedTypes: p.allowedTypes, maxFileSize: p.maxFileSize, updatedAt: now },
    });
  return p;
}

export const serializePolicy = (p: FilePolicy) => ({ allowed_types: p.allowedTypes, max_file_size: p.maxFileSize });

export const tooLarge = (size: number, max: number) =>
  new Problem(413, "file-too-large", "File too large", `The file is ${size} bytes; the largest allowed here is ${max} bytes.`, {
    max_file_size: max,
    size,
  });

/**
 * Whether a sniffed type passes the allowed-type patterns. Executables pass only when a pattern
 * names their exact type (a wildcard never lets them in).
 */
export function typeAllowed(patterns: readonly string[], type: string): boolean {
  if (EXECUTABLE_TYPES.has(type)) return patterns.some((p) => p.trim().toLowerCase() === type);
  return patterns.some((p) => typeMatches(p, type));
}

export const typeNotAllowed = (type: string, patterns: readonly string[]) =>
  new Problem(
    415,
    "type-not-allowed",
    "File type not allowed",
    `Files of type ${type} are not accepted here (allowed: ${patterns.join(", ")}).`,
    {
      content_type: type,
      allowed_types: patterns,
    },
  );
