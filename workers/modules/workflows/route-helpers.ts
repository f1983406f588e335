import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { idParam } from "../../platform/params";
import { problemDoc } from "../../platform/router";
import { requireFeature } from "../billing";

/** What the workflows routers share: access rules, path params, the plan gate, the request context. */
export const tags = ["Workflows"];
export const READ = { auth: "tenant", permission: "workflows:read" } as const;
export const WRITE = { auth: "tenant", permission: "workflows:write" } as const;
export const PUBLISH = { auth: "tenant", permission: "workflows:publish" } as const;
export const wfParam = idParam("id", "wf_01jd0000000000000000000000");
export const runParam = idParam("id", "wfr_01jd0000000000000000000000");
export const approvalParam = idParam("id", "wfa_01jd0000000000000000000000");
/** 402 unless the plan includes workflows (after the row lookup: another workspace's id is a 404 first). */
export const gate = (c: Context<AppEnv>) => requireFeature(c, "workflows");
export const ctx = (c: Context<AppEnv>) => ({ db: getDb(c.env.DB), env: c.env, tenantId: currentTenantId(c), actor: actorOf(c) });
export const plan402 = { 402: problemDoc("The plan does not include workflows, or this month's runs are used up") };
