import type { Context } from "hono";

type Level = "debug" | "info" | "warn" | "error";
export type Logger = Record<Level, (msg: string, fields?: Record<string, unknown>) => void>;

/** Structured JSON log lines carrying the request id and tenant id of the request, when known. */
export function createLogger(base: Record<string, unknown>): Logger {
  const write =
    (level: Level) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...base, ...fields });
      if (level === "error") console.error(line);
      else if (level === "warn") console.warn(line);
      else console.log(line);
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

export function logger(c: Context): Logger {
  const tenant = c.get("tenant") as { id: string } | undefined;
  return createLogger({ request_id: c.get("requestId"), tenant_id: tenant?.id });
}
