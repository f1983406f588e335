// Public entry of the outreach module (docs/sales.md). Nothing imports outreach but the composition
// root: it mounts the routers, runs the cron and wires the hold handler below.
import type { Env } from "../../platform/env";

/** Releases (approved) or drops (rejected) a draft the AI safety rules held (the writer part implements it in drafts.service.ts). */
export async function releaseHeldDraft(_env: Env, _tenantId: string, _draftId: string, _decision: "approved" | "rejected", _by: string) {}
