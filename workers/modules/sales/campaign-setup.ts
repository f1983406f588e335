import type { EnrolFilter } from "../../../schema/sales-sequences";
import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { putIcp } from "./icp.service";
import { runImport } from "./import.consumer";
import { applyImport, getImportRow, serializeImport, uploadImport } from "./import.service";
import { listLeadIdsMatching } from "./leads.context";
import { loadIcp, startRescore } from "./scoring.service";

/**
 * The marketing-campaign wizard's use of sales (modules/wizards, kind `campaign`): the ICP's trait
 * lists (kept required/excluded rules and weights), a small CSV import tagged for the campaign, and
 * lead counts for an enrolment filter. The same services as PUT /sales/icp and /sales/imports.
 */

export interface IcpTraits {
  industries: string[];
  sizes: string[];
  titles: string[];
  regions: string[];
}

export async function icpTraits(db: Db, tenantId: string): Promise<IcpTraits> {
  const d = (await loadIcp(db, tenantId)).definition;
  return { industries: d.industries, sizes: d.sizes, titles: d.titles, regions: d.regions };
}

/** Saves the trait lists (422 with the failing fields like PUT /sales/icp) and starts the re-score; false when nothing changed. */
export async function saveIcpTraits(db: Db, tenantId: string, traits: IcpTraits, actor: Actor): Promise<boolean> {
  const icp = await loadIcp(db, tenantId);
  const d = icp.definition;
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    same(d.industries, traits.industries) &&
    same(d.sizes, traits.sizes) &&
    same(d.titles, traits.titles) &&
    same(d.regions, traits.regions)
  )
    return false;
  await putIcp(
    db,
    tenantId,
    { ...traits, required: d.required, excluded: d.excluded, engagement_caps: d.engagementCaps, weights: icp.weights },
    actor,
  );
  await startRescore(db, tenantId, { all: false, max: 2_000 });
  return true;
}

/**
 * Uploads a CSV of leads and starts it with the suggested column mapping (duplicates updated), every
 * lead tagged `tag`. Runs on the imports queue like POST /sales/imports/{id}/apply (or after the
 * response through `defer` when no queue is bound); the `leads` meter applies per row as there.
 */
export async function startTaggedImport(
  env: Env,
  db: Db,
  tenantId: string,
  input: { fileName: string; csv: string; tag: string },
  userId: string,
  defer: (p: Promise<unknown>) => void,
): Promise<{ id: string; total_rows: number }> {
  const up = await uploadImport(env, db, tenantId, input.fileName, input.csv, userId);
  await applyImport(db, tenantId, up.id, { duplicates: "update", tags: [input.tag] }, async (m) => {
    if (env.SALES_IMPORTS) await env.SALES_IMPORTS.send(m);
    else defer(runImport(env, m, Number.POSITIVE_INFINITY));
  });
  return { id: up.id, total_rows: up.total_rows };
}

/** An import's progress (status, rows done, created/updated/failed, first errors). */
export async function importProgress(db: Db, tenantId: string, id: string) {
  return serializeImport(await getImportRow(db, tenantId, id));
}

/** How many leads an enrolment filter selects now (capped at `max`), and the first few ids. */
export async function countLeadsMatching(db: Db, tenantId: string, filter: EnrolFilter, max = 5_000) {
  const ids = await listLeadIdsMatching(db, tenantId, filter, max);
  return { count: ids.length, capped: ids.length >= max, first: ids.slice(0, 5) };
}
