import type { CrmEntity } from "../../../schema/crm-sync";
import { type DealRow, dealsChangedSince, type LeadRow, leadsChangedSince } from "../sales";
import { linksByLocal, saveLink } from "./links";
import { localValue, toRemote } from "./mapping";
import { type Ctx, mappingOf, note, PAGE, progress } from "./sync-context";
import type { PushItem } from "./types";

/** The push phase of a sync run: local rows changed since the last run are written to the CRM, page by page. */
export async function push(x: Ctx, entity: CrmEntity) {
  const { db, conn } = x;
  const t = conn.tenantId;
  const since = conn.pushedThrough[entity] ?? 0;
  const reverseStage = new Map<string, string>();
  for (const [remote, local] of Object.entries(conn.stageMap)) if (!reverseStage.has(local)) reverseStage.set(local, remote);
  let after: { at: number; id: string } | null = null;
  let firstFailed = Number.POSITIVE_INFINITY; // a row the CRM refused is offered again next run
  for (;;) {
    const rows: (LeadRow | DealRow)[] =
      entity === "lead" ? await leadsChangedSince(db, t, since, after, PAGE) : await dealsChangedSince(db, t, since, after, PAGE);
    if (!rows.length) break;
    const last = rows[rows.length - 1] as LeadRow | DealRow;
    after = { at: last.updatedAt, id: last.id };
    const links = await linksByLocal(
      db,
      t,
      conn.id,
      entity,
      rows.map((r) => r.id),
    );
    const items: PushItem[] = [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const row of rows) {
      const link = links.get(row.id);
      if (link && row.updatedAt <= link.localModifiedAt) continue; // pulled in this run, or pushed before
      const props: Record<string, unknown> = {};
      for (const { remote, local } of mappingOf(x, entity)) {
        let v = localValue(entity, row, local);
        if (local === "stage") {
          v = reverseStage.get(String(v)) ?? (link ? undefined : conn.remoteStages[0]?.id) ?? null;
          if (v === null) continue;
        }
        props[remote] = toRemote(entity, local, v);
      }
      items.push({ localId: row.id, remoteId: link?.remoteId ?? null, props });
    }
    if (items.length) {
      for (const r of await x.adapter.push(entity, items)) {
        const row = byId.get(r.localId) as LeadRow | DealRow;
        if (r.error || !r.remoteId) {
          note(x, { kind: "error", entity, local_id: r.localId, remote_id: null, message: r.error ?? "not written" });
          firstFailed = Math.min(firstFailed, row.updatedAt);
          continue;
        }
        x.counts.pushed++;
        await saveLink(db, {
          tenantId: t,
          connectionId: conn.id,
          entity,
          localId: r.localId,
          remoteId: r.remoteId,
          remoteModifiedAt: r.modifiedAt ?? Date.now(),
          localModifiedAt: row.updatedAt,
        });
      }
    }
    x.pushedThrough[entity] = Math.min(last.updatedAt, firstFailed - 1);
    await progress(x, `pushing ${entity === "lead" ? "contacts" : "deals"}`);
    if (rows.length < PAGE) break;
  }
}
