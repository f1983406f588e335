import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { analyticsRecovery } from "../../../../schema/analytics";
import { outboxMessages } from "../../../../schema/messaging";
import { signUp } from "../../../../test/helpers";
import { runRecovery } from "../recovery";
import { db, DAY, ev, store } from "./analytics-helpers";

const at = Date.UTC(2026, 11, 1, 12, 0, 0);
const back = (days: number, who: string, name = "opened_app", props: Record<string, unknown> = {}) => ({
  ...ev(who, name, 0, props),
  ts: at - days * DAY,
});
const sentTo = async (tenantId: string, email: string) =>
  (
    await db()
      .select({ template: outboxMessages.template })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, tenantId), eq(outboxMessages.recipient, email)))
  )
    .map((r) => r.template)
    .sort();

describe("churn-recovery email series", () => {
  it("emails people at risk three times over ten days, once each, and stops when they come back", async () => {
    const owner = await signUp({ workspace: "Recovering Co" });
    const t = owner.tenantId;
    const identify = (who: string) => back(27, who, "$identify", { $set: { email: `${who}@customers.example`, name: who } });
    await store(t, [identify("gone"), ...[26, 24, 22, 20, 18].map((d) => back(d, "gone"))]); // stopped coming: at risk
    await store(t, [identify("steady"), ...[20, 18, 16, 10, 5, 1].map((d) => back(d, "steady"))]); // fine
    await store(t, [...[26, 24, 22, 20].map((d) => back(d, "no-email"))]); // at risk but not identified: no email
    const cfg = { enabled: true, min_score: 60 };

    expect(await runRecovery(env, t, cfg, at)).toEqual({ started: 1, sent: 1, recovered: 0 });
    expect(await runRecovery(env, t, cfg, at + 3600_000)).toEqual({ started: 0, sent: 0, recovered: 0 }); // same day: nothing new
    expect(await sentTo(t, "gone@customers.example")).toEqual(["analytics.churn_recovery_1"]);

    expect((await runRecovery(env, t, cfg, at + 4 * DAY)).sent).toBe(1);
    expect(await sentTo(t, "gone@customers.example")).toEqual(["analytics.churn_recovery_1", "analytics.churn_recovery_2"]);

    // They come back before the last email: the series stops.
    await store(t, [
      { ...ev("gone", "opened_app", 0), ts: at + 8 * DAY },
      { ...ev("gone", "opened_app", 0), ts: at + 9 * DAY },
    ]);
    // (steady keeps coming meanwhile)
    await store(
      t,
      [3, 6, 9].map((d) => ({ ...ev("steady", "opened_app", 0), ts: at + d * DAY })),
    );
    expect(await runRecovery(env, t, cfg, at + 10 * DAY)).toEqual({ started: 0, sent: 0, recovered: 1 });
    expect(await sentTo(t, "gone@customers.example")).toHaveLength(2);
    expect(await sentTo(t, "steady@customers.example")).toEqual([]);
    const row = await db().select().from(analyticsRecovery).where(eq(analyticsRecovery.tenantId, t)).get();
    expect(row).toMatchObject({ personId: "gone", step: 2, recoveredAt: at + 10 * DAY });
  });
});
