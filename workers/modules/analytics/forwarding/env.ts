import type { Env } from "../../../platform/env";
import type { ForwardMessage } from "./message";

/** Bindings and vars event forwarding adds (wrangler.toml; the URLs only to point at fakes). */
export interface ForwardEnv extends Env {
  /** weft-analytics-forward: one message per (new events of an ingest message × destination). */
  ANALYTICS_FORWARD?: Queue<ForwardMessage>;
  /** Mixpanel ingestion base URL; default by the destination's region (https://api.mixpanel.com, api-eu, api-in). */
  MIXPANEL_API_URL?: string;
  /** GA4 Measurement Protocol base URL; default https://www.google-analytics.com. */
  GA4_MP_URL?: string;
}

export const forwardEnv = (env: Env) => env as ForwardEnv;

const MIXPANEL_REGIONS = { us: "https://api.mixpanel.com", eu: "https://api-eu.mixpanel.com", in: "https://api-in.mixpanel.com" } as const;
export type MixpanelRegion = keyof typeof MIXPANEL_REGIONS;

const trimSlash = (u: string) => u.replace(/\/+$/, "");

export function mixpanelBaseUrl(env: Env, region: MixpanelRegion = "us"): string {
  const override = forwardEnv(env).MIXPANEL_API_URL;
  return trimSlash(override || MIXPANEL_REGIONS[region]);
}

export function ga4BaseUrl(env: Env): string {
  return trimSlash(forwardEnv(env).GA4_MP_URL || "https://www.google-analytics.com");
}
