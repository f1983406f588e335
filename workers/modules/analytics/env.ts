import type { Env } from "../../platform/env";
import type { IngestMessage } from "./events";

/** Bindings the analytics module adds (wrangler.toml). */
export interface AnalyticsEnv extends Env {
  /** Ingestion queue (weft-analytics): accepted batches, written to D1 by ingest.consumer.ts. */
  ANALYTICS: Queue<IngestMessage>;
  /** Workers Analytics Engine dataset for raw events at scale (production only; optional). */
  ANALYTICS_ENGINE?: AnalyticsEngineDataset;
}

export const analyticsEnv = (env: Env) => env as AnalyticsEnv;
