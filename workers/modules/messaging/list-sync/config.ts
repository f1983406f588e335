import { z } from "zod";
import type { Env } from "../../../platform/env";

/**
 * Provider API base URLs. The defaults are the real APIs; set these vars to point a local run
 * (or a staging deployment) at a fake server. Mailchimp's base carries `{dc}`, the data centre
 * taken from the API key's suffix (`…-us21` → `https://us21.api.mailchimp.com/3.0`).
 */
const schema = z.object({
  MAILCHIMP_API_BASE: z.url().default("https://{dc}.api.mailchimp.com/3.0"),
  SENDGRID_API_BASE: z.url().default("https://api.sendgrid.com"),
  KIT_API_BASE: z.url().default("https://api.kit.com"),
});
export type ListSyncConfig = z.infer<typeof schema>;

const cache = new WeakMap<object, ListSyncConfig>();

export function listSyncConfig(env: Env): ListSyncConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const raw = Object.fromEntries(
    Object.entries(env as unknown as Record<string, unknown>).filter(
      ([k, v]) => k.endsWith("_API_BASE") && typeof v === "string" && v !== "",
    ),
  );
  // `{dc}` is not a valid host character for z.url(); check the shape with a stand-in.
  const probe = { ...raw, MAILCHIMP_API_BASE: (raw.MAILCHIMP_API_BASE as string | undefined)?.replace("{dc}", "dc") };
  schema.parse(probe);
  const cfg = schema.parse({});
  const out = { ...cfg, ...(raw as Partial<ListSyncConfig>) };
  for (const k of Object.keys(out) as (keyof ListSyncConfig)[]) out[k] = out[k].replace(/\/+$/, "");
  cache.set(env, out);
  return out;
}
