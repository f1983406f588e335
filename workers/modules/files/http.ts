import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { appOrigin } from "../../platform/request";
import type { FilesEnv } from "./config";

/** What every files route needs from the request. */
export const READ = { auth: "tenant", permission: "files:read" } as const;
export const WRITE = { auth: "tenant", permission: "files:write" } as const;

export const ctxOf = (c: Context<AppEnv>) => ({
  env: c.env as FilesEnv,
  db: getDb(c.env.DB),
  tenantId: currentTenantId(c),
  origin: appOrigin(c),
});

/** The signed-in user who uploads (null for API keys). */
export const uploaderOf = (c: Context<AppEnv>) => {
  const p = c.get("principal");
  return p?.kind === "user" ? p.userId : null;
};
