/**
 * The production path for raw events past one D1 database: Workers Analytics Engine. When the
 * `ANALYTICS_ENGINE` dataset binding is configured, every new event is also written as a data
 * point (D1 keeps the rollups, persons and the recent raw window the dashboard queries). Analytics
 * Engine has no local simulator, so tests check the data-point shape with a recording dataset.
 *
 * Layout (queried with the SQL API: `SELECT blob2 AS name, count() … WHERE index1 = '<tenant>'`):
 * - index1: tenant id (the sampling key, so one tenant's heavy traffic samples only itself)
 * - blobs: 1 event id, 2 name, 3 person id, 4 distinct id, 5 path, 6 referrer host, 7 utm_source,
 *   8 country, 9 device, 10 browser, 11 os, 12 source (web|server), 13 props JSON (≤ 4 KB, truncated)
 * - doubles: 1 event time (epoch ms), 2 is_bot (0/1), 3 count (1; `_sample_interval` scales it)
 */
export interface EngineEvent {
  id: string;
  name: string;
  distinct_id: string;
  person_id?: string;
  ts: number;
  path: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  country: string | null;
  device: string | null;
  browser: string | null;
  os: string | null;
  is_bot: 0 | 1;
  source: "web" | "server";
  props: Record<string, unknown>;
}

const MAX_PROPS_BLOB = 4096;

export function toDataPoint(tenantId: string, e: EngineEvent): AnalyticsEngineDataPoint {
  const props = JSON.stringify(e.props);
  return {
    indexes: [tenantId],
    blobs: [
      e.id,
      e.name,
      e.person_id ?? e.distinct_id,
      e.distinct_id,
      e.path ?? "",
      e.referrer_host ?? "",
      e.utm_source ?? "",
      e.country ?? "",
      e.device ?? "",
      e.browser ?? "",
      e.os ?? "",
      e.source,
      props.length > MAX_PROPS_BLOB ? props.slice(0, MAX_PROPS_BLOB) : props,
    ],
    doubles: [e.ts, e.is_bot, 1],
  };
}

/** Fire-and-forget by design: `writeDataPoint` does not block or throw on the network. */
export function writeToAnalyticsEngine(dataset: AnalyticsEngineDataset, tenantId: string, events: EngineEvent[]): void {
  for (const e of events) dataset.writeDataPoint(toDataPoint(tenantId, e));
}
