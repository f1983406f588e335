import { createApp } from "./app";
import { composeModules } from "./compose";
import type { Env } from "./platform/env";
import { consumeDeadLetters, consumeOutbox, releaseScheduled } from "./modules/messaging/consumer";
import { runListSyncCron } from "./modules/messaging";
import { createLogger } from "./platform/logger";
import { setInternalDispatcher } from "./platform/internal-dispatch";
import { consumeUsage } from "./modules/billing/usage.consumer";
import { runBillingCron } from "./modules/billing/cron";
import { consumeKnowledge, consumeKnowledgeDeadLetters } from "./modules/knowledge/indexer";
import { runReleasesCron } from "./modules/releases/cron";
import { consumeAnalytics } from "./modules/analytics/ingest.consumer";
import { consumeForwardDeadLetters, consumeForwarding } from "./modules/analytics/forward.consumer";
import { runAnalyticsCron } from "./modules/analytics/cron";
import { runFilesCron } from "./modules/files/cron";
import { runCommerceCron } from "./modules/commerce/cron";
import { runForumCron } from "./modules/forum/cron";
import { runSalesCron } from "./modules/sales/cron";
import { consumeSalesImports } from "./modules/sales/import.consumer";
import { runOutreachCron } from "./modules/outreach/cron";
import { runAiCron } from "./modules/ai/cron";
import { runCrmSyncCron } from "./modules/crmsync/cron";
import { runWorkflowsCron } from "./modules/workflows/cron";
import { runInsightsCron } from "./modules/insights/cron";

composeModules();
const app = createApp();
// The assistant runs its tools through the real routes (platform/internal-dispatch.ts).
setInternalDispatcher((req, env, ctx) => Promise.resolve(app.fetch(req, env, ctx)));
const log = createLogger({ component: "queue" });

export default {
  fetch: app.fetch,

  async queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    // Queue names carry an environment suffix in production (weft-outbox-prod); match on the stem.
    const name = batch.queue;
    if (name.startsWith("weft-knowledge"))
      return name.endsWith("-dlq") ? consumeKnowledgeDeadLetters(batch, env) : consumeKnowledge(batch, env);
    if (name.startsWith("weft-analytics-forward"))
      return name.endsWith("-dlq") ? consumeForwardDeadLetters(batch, env) : consumeForwarding(batch, env);
    if (name.startsWith("weft-sales-imports")) return consumeSalesImports(batch, env);
    if (name.endsWith("-dlq")) return consumeDeadLetters(batch, env);
    if (name.startsWith("weft-outbox")) return consumeOutbox(batch, env);
    if (name.startsWith("weft-usage")) return consumeUsage(batch, env);
    if (name.startsWith("weft-analytics")) return consumeAnalytics(batch, env);
    log.error("unknown_queue", { queue: name });
    batch.retryAll();
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    // Every cron tick: release scheduled messages that are now within the Queue's delay horizon.
    ctx.waitUntil(releaseScheduled(env).then((r) => log.info("outbox_cron", r)));
    // Email-list sync (messaging): queue the scheduled syncs of Mailchimp/SendGrid/Kit connections that are due.
    ctx.waitUntil(
      runListSyncCron(env, controller.scheduledTime)
        .then((r) => r.queued && log.info("list_sync_cron", r))
        .catch((e) => log.error("list_sync_cron_failed", { error: String(e) })),
    );
    // Billing: usage → Stripe meter events (every tick); dunning, invoices, pruning (daily cron).
    ctx.waitUntil(
      runBillingCron(controller.cron, env, controller.scheduledTime).catch((e) => log.error("billing_cron_failed", { error: String(e) })),
    );
    // Release notes: publish the scheduled ones that are due (every tick).
    ctx.waitUntil(
      runReleasesCron(env, controller.scheduledTime)
        .then((r) => r.published && log.info("releases_cron", r))
        .catch((e) => log.error("releases_cron_failed", { error: String(e) })),
    );
    // Analytics: raw events past their retention period (daily cron).
    ctx.waitUntil(
      runAnalyticsCron(controller.cron, env, controller.scheduledTime).catch((e) =>
        log.error("analytics_cron_failed", { error: String(e) }),
      ),
    );
    // AI: the call log past the workspace's retention (its setting, capped by its plan's; daily cron).
    ctx.waitUntil(
      runAiCron(controller.cron, env, controller.scheduledTime)
        .then((r) => r.deleted && log.info("ai_cron", r))
        .catch((e) => log.error("ai_cron_failed", { error: String(e) })),
    );
    // Files: purge the trash after 30 days, forget stale multipart uploads (daily cron).
    ctx.waitUntil(
      runFilesCron(controller.cron, env, controller.scheduledTime)
        .then((r) => (r.purged || r.uploads) && log.info("files_cron", r))
        .catch((e) => log.error("files_cron_failed", { error: String(e) })),
    );
    // Commerce: checkouts past their hold expire (with their unpaid orders); stock and coupon uses
    // held by them go back (every tick).
    ctx.waitUntil(
      runCommerceCron(env, controller.scheduledTime)
        .then((r) => (r.checkouts || r.reservations || r.redemptions) && log.info("commerce_cron", r))
        .catch((e) => log.error("commerce_cron_failed", { error: String(e) })),
    );
    // Community: digest e-mails to members who are due (each workspace's digest_hours; every tick).
    ctx.waitUntil(
      runForumCron(env, controller.scheduledTime)
        .then((r) => r.digests && log.info("forum_cron", r))
        .catch((e) => log.error("forum_cron_failed", { error: String(e) })),
    );
    // Sales AI: stale lead scores re-scored; outreach drafts due steps and sends approved drafts in their windows.
    ctx.waitUntil(
      runSalesCron(env, controller.scheduledTime)
        .then((r) => r.rescored && log.info("sales_cron", r))
        .catch((e) => log.error("sales_cron_failed", { error: String(e) })),
    );
    ctx.waitUntil(
      runOutreachCron(env, controller.scheduledTime)
        .then((r) => (r.drafted || r.sent) && log.info("outreach_cron", r))
        .catch((e) => log.error("outreach_cron_failed", { error: String(e) })),
    );
    // CRM sync: connections whose scheduled sync is due (each connection's interval; every tick).
    ctx.waitUntil(
      runCrmSyncCron(env, controller.scheduledTime)
        .then((r) => r.ran && log.info("crm_sync_cron", r))
        .catch((e) => log.error("crm_sync_cron_failed", { error: String(e) })),
    );
    // Workflows: schedule triggers whose next due minute has come start a run (every tick).
    ctx.waitUntil(
      runWorkflowsCron(env, controller.scheduledTime)
        .then((r) => r.started && log.info("workflows_cron", r))
        .catch((e) => log.error("workflows_cron_failed", { error: String(e) })),
    );
    // Insights: yesterday's metric snapshots + anomaly alerts (a bounded slice of workspaces per tick), then due digests.
    ctx.waitUntil(
      runInsightsCron(env, controller.scheduledTime)
        .then((r) => (r.tenants || r.digests) && log.info("insights_cron", r))
        .catch((e) => log.error("insights_cron_failed", { error: String(e) })),
    );
  },
} satisfies ExportedHandler<Env>;

// Durable Objects (chat)
export { ChatSession } from "./modules/chat/session.do";
export { TenantInbox } from "./modules/chat/inbox.do";
export { ChatEcho } from "./modules/chat/echo.do";
export { ProviderPacer } from "./modules/messaging/pacer.do";

// Cloudflare Workflows (automation): one AutomationRun instance per workflow run.
export { AutomationRun } from "./modules/workflows/automation-run.do";
