import type { Context } from "hono";
import { tooManyRequests } from "./errors";
import type { AppEnv } from "./context";

type LimiterName = "RL_IP" | "RL_AUTH" | "RL_TENANT";
/** Window lengths, mirroring wrangler.toml (the binding does not report its period). */
const PERIOD_SECONDS: Record<LimiterName, number> = { RL_IP: 10, RL_AUTH: 60, RL_TENANT: 10 };

/** Throws 429 with Retry-After when `key` is over the limiter's budget. */
export async function enforceRateLimit(c: Context<AppEnv>, limiter: LimiterName, key: string): Promise<void> {
  const { success } = await c.env[limiter].limit({ key });
  if (!success) throw tooManyRequests(PERIOD_SECONDS[limiter]);
}
