import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { AppEnv } from "./platform/context";
import { handleError, notFound, problemResponse } from "./platform/errors";
import { newId } from "./platform/ids";
import { createLogger } from "./platform/logger";
import { enforceRateLimit } from "./platform/ratelimit";
import { clientIp } from "./platform/request";
import { drainUnreadBody } from "./platform/request-body";
import { registerApiDocs } from "./platform/openapi";
import { healthRoutes } from "./modules/health/routes";
import { mailboxRoutes } from "./modules/messaging/mailbox.routes";
import { mailboxPage } from "./modules/messaging/mailbox.page";
import { identityRoutes } from "./modules/identity/routes";
import { tenancyRoutes } from "./modules/tenancy/routes";
import { onboardingRoutes } from "./modules/onboarding/routes";
import { billingRoutes } from "./modules/billing/routes";
import { webhookRoutes as billingWebhookRoutes } from "./modules/billing/webhooks.routes";
import { simulatorPages } from "./modules/billing/simulator.page";
import { usageBenchRoutes } from "./modules/billing/bench.routes";
import { devSmsPage, messagingCallbackRoutes, messagingPublicRoutes, messagingRoutes } from "./modules/messaging/routes";
import { webhooksRoutes } from "./modules/webhooks/routes";
import { chatPublicRoutes, chatRoutes, widgetRoutes } from "./modules/chat/routes";
import { knowledgeRoutes } from "./modules/knowledge/routes";
import { aiRoutes } from "./modules/ai/routes";
import { changelogPages, releasesPublicRoutes, releasesRoutes } from "./modules/releases/routes";
import { analyticsBenchRoutes, analyticsPublicRoutes, analyticsRoutes, trackerRoutes } from "./modules/analytics/routes";
import { analyticsDashboardRoutes } from "./modules/analytics/dashboards.routes";
import { surveysPublicRoutes, surveysRoutes, surveysScriptRoutes } from "./modules/surveys/routes";
import { filesBenchRoutes, filesPublicRoutes, filesRoutes, fileServeRoutes } from "./modules/files/routes";
import { buyScriptRoutes, checkoutPages, commercePublicRoutes, commerceRoutes } from "./modules/commerce/routes";
import { commerceWebhookRoutes } from "./modules/commerce/webhooks.routes";
import { commerceSimulatorPages } from "./modules/commerce/simulator.page";
import { forumActivityRoutes } from "./modules/forum/activity.routes";
import { forumMembersPublicRoutes, forumMembersRoutes } from "./modules/forum/members.routes";
import { forumModerationPublicRoutes, forumModerationRoutes } from "./modules/forum/moderation.routes";
import { forumPublicRoutes } from "./modules/forum/public.routes";
import { forumStaffRoutes } from "./modules/forum/staff.routes";
import { forumBenchRoutes } from "./modules/forum/bench.routes";
import { salesBenchRoutes } from "./modules/sales/bench.routes";
import { communityPages } from "./modules/forum/community.page";
import { salesRoutes } from "./modules/sales/routes";
import { scoringRoutes } from "./modules/sales/scoring.routes";
import { outreachRoutes } from "./modules/outreach/routes";
import { draftsRoutes } from "./modules/outreach/drafts.routes";
import { outreachInboundRoutes } from "./modules/outreach/inbound.routes";
import { outreachDevRoutes } from "./modules/outreach/dev.routes";
import { outreachOpensRoutes } from "./modules/outreach/opens.routes";
import { aiSafetyRoutes } from "./modules/ai/safety.routes";
import { crmSyncRoutes } from "./modules/crmsync/routes";
import { voiceRoutes } from "./modules/voice/routes";
import { salesboardRoutes } from "./modules/salesboard/routes";
import { workflowsBenchRoutes, workflowsPublicRoutes, workflowsRoutes, workflowsWebhookRoutes } from "./modules/workflows/routes";
import { fusionRoutes } from "./modules/fusion/routes";
import { insightsOptOutPage, insightsRoutes } from "./modules/insights/routes";
import { wizardsRoutes } from "./modules/wizards/routes";
import { securityPolicyRoutes } from "./modules/tenancy/security-policy.routes";
import { assistantRoutes } from "./modules/assistant/routes";
import {
  endUsersAdminRoutes,
  portalAssistantRoutes,
  portalAuthRoutes,
  portalInboxRoutes,
  portalMeRoutes,
  portalOrderRoutes,
  portalPages,
  portalStaffRoutes,
  portalTicketRoutes,
} from "./modules/endusers/routes";

/** Builds the Hono app: middleware chain → module routers → OpenAPI document. */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

  // Outermost, so it runs after the response is final (local dev only; see request-body.ts).
  app.use("*", drainUnreadBody);
  app.use("*", async (c, next) => {
    const requestId = c.req.header("CF-Ray") ?? newId("req");
    c.set("requestId", requestId);
    const started = Date.now();
    await next();
    c.header("X-Request-ID", requestId);
    if (c.res.status >= 500 || c.env.ENVIRONMENT !== "test") {
      const tenant = c.get("tenant");
      createLogger({ request_id: requestId, tenant_id: tenant?.id }).info("request", {
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        ms: Date.now() - started,
      });
    }
  });
  app.onError(handleError);
  app.notFound((c) => problemResponse(c, notFound("Route")));

  // The dashboard is same-origin; CORS here only serves API clients on other origins with keys.
  app.use(
    "/api/*",
    cors({ origin: (o) => o, allowHeaders: ["Authorization", "Content-Type", "X-Tenant-ID", "Idempotency-Key"], maxAge: 600 }),
  );
  app.use("/api/*", async (c, next) => {
    await enforceRateLimit(c, "RL_IP", clientIp(c));
    await next();
  });

  app.route("/api", healthRoutes);
  app.route("/api/v1", identityRoutes);
  app.route("/api/v1", tenancyRoutes);
  app.route("/api/v1", onboardingRoutes);
  app.route("/api/v1", billingRoutes);
  app.route("/webhooks", billingWebhookRoutes);
  app.route("/webhooks", messagingCallbackRoutes);
  app.route("/dev/payment-simulator", simulatorPages);
  app.route("/dev/billing-bench", usageBenchRoutes);
  app.route("/api/v1", chatRoutes);
  app.route("/", chatPublicRoutes);
  app.route("/", widgetRoutes);
  app.route("/api/v1", mailboxRoutes);
  app.get("/dev/mailbox", mailboxPage);
  app.route("/api/v1", messagingRoutes);
  app.route("/api/v1", webhooksRoutes);
  app.route("/api/v1", knowledgeRoutes);
  app.route("/api/v1", aiRoutes);
  app.route("/api/v1", releasesRoutes);
  app.route("/public/v1", releasesPublicRoutes);
  app.route("/changelog", changelogPages);
  app.route("/api/v1", surveysRoutes);
  app.route("/", surveysPublicRoutes);
  app.route("/", surveysScriptRoutes);
  app.route("/public/v1", messagingPublicRoutes);
  app.route("/api/v1", analyticsRoutes);
  app.route("/api/v1", analyticsDashboardRoutes);
  app.route("/public/v1", analyticsPublicRoutes);
  app.route("/", trackerRoutes);
  app.route("/dev/analytics-bench", analyticsBenchRoutes);
  app.route("/api/v1", filesRoutes);
  app.route("/public/v1", filesPublicRoutes);
  app.route("/", fileServeRoutes);
  app.route("/dev/files-bench", filesBenchRoutes);
  app.route("/api/v1", commerceRoutes);
  app.route("/public/v1", commercePublicRoutes);
  app.route("/checkout", checkoutPages);
  app.route("/", buyScriptRoutes);
  app.route("/webhooks", commerceWebhookRoutes);
  app.route("/dev/commerce-simulator", commerceSimulatorPages);
  app.route("/api/v1", forumActivityRoutes);
  app.route("/api/v1", forumModerationRoutes);
  app.route("/api/v1", forumMembersRoutes);
  app.route("/public/v1", forumModerationPublicRoutes);
  app.route("/public/v1", forumMembersPublicRoutes);
  app.route("/api/v1", forumStaffRoutes);
  app.route("/public/v1", forumPublicRoutes);
  app.route("/api/v1", endUsersAdminRoutes);
  // Sales AI (docs/sales.md): CRM and scoring, outreach, the AI safety console.
  app.route("/api/v1", salesRoutes);
  app.route("/api/v1", scoringRoutes);
  app.route("/api/v1", outreachRoutes);
  app.route("/api/v1", draftsRoutes);
  app.route("/webhooks", outreachInboundRoutes);
  app.route("/public/v1", outreachOpensRoutes);
  app.route("/api/v1", outreachDevRoutes);
  app.route("/api/v1", aiSafetyRoutes);
  app.route("/api/v1", crmSyncRoutes);
  app.route("/api/v1", salesboardRoutes);
  app.route("/api/v1", workflowsRoutes);
  app.route("/api/v1", wizardsRoutes);
  app.route("/api/v1", securityPolicyRoutes);
  app.route("/public/v1", workflowsPublicRoutes);
  app.route("/webhooks", workflowsWebhookRoutes);
  app.route("/dev/workflows-bench", workflowsBenchRoutes);
  app.route("/api/v1", insightsRoutes);
  app.route("/public/v1/insights/digest/opt-out", insightsOptOutPage);
  app.route("/api/v1", voiceRoutes);
  app.route("/api/v1", fusionRoutes);
  app.route("/api/v1", assistantRoutes);
  app.route("/public/v1", portalAuthRoutes);
  app.route("/public/v1", portalMeRoutes);
  app.route("/public/v1", portalTicketRoutes);
  app.route("/public/v1", portalInboxRoutes);
  app.route("/public/v1", portalOrderRoutes);
  app.route("/public/v1", portalAssistantRoutes);
  app.route("/api/v1", portalStaffRoutes);
  app.route("/portal", portalPages);
  app.route("/community", communityPages);
  app.route("/dev/forum-bench", forumBenchRoutes);
  app.route("/dev/sales-bench", salesBenchRoutes);
  app.get("/dev/sms", devSmsPage);

  registerApiDocs(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
