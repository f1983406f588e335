import { getTenant, listMembers } from "../../platform/directory";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { send } from "../messaging";
import type { SurveySettingsRow } from "./settings.service";

/** Who hears about detractors: the workspace's notify address, else its owners and admins. */
export async function teamRecipients(db: Db, settings: SurveySettingsRow): Promise<string[]> {
  if (settings.notifyEmail) return [settings.notifyEmail];
  const members = await listMembers(db, settings.tenantId, { limit: 100 });
  return members.data.filter((m) => m.role === "owner" || m.role === "admin").map((m) => m.email);
}

export interface DetractorAlert {
  responseId: string;
  score: number;
  comment: string | null;
  distinctId: string;
  plan: string | null;
  link: string;
}

/**
 * Tells the team about a detractor through messaging's editable `surveys.nps_detractor` template.
 * Idempotent per response and recipient, so a retried submission never mails twice.
 */
export async function notifyDetractor(db: Db, outbox: Env["OUTBOX"], settings: SurveySettingsRow, a: DetractorAlert) {
  const tenant = await getTenant(db, settings.tenantId);
  for (const to of await teamRecipients(db, settings)) {
    await send(db, outbox, {
      tenantId: settings.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "surveys.nps_detractor",
      data: {
        workspace: tenant.name,
        score: a.score,
        comment: a.comment ?? "(no comment)",
        user: a.distinctId,
        plan: a.plan ?? "unknown",
        link: a.link,
      },
      category: "transactional",
      idempotencyKey: `nps-detractor:${a.responseId}:${to}`,
    });
  }
}
