import { checkQuota, meter, quotaExceeded } from "./modules/billing";
import { configureMessaging } from "./modules/messaging";
import { publishEvent, publishEventSafely, webhookChannel } from "./modules/webhooks";
import { recordHouseEvent } from "./modules/analytics";
import { eraseCommerceEndUser, isCommerceCustomer } from "./modules/commerce";
import { erasePortalData, hostedEndUser, portalBrand } from "./modules/endusers";
import { eraseForumEndUser } from "./modules/forum";
import { registerHoldHandler } from "./modules/ai";
import { releaseHeldDraft, stopSequencesOnBounce } from "./modules/outreach";
import { registerCustomerSource, registerEndUserEraser } from "./platform/end-user-hooks";
import { configureProductEvents } from "./platform/product-events";
import { setBrandSource } from "./platform/workspace-brand";
import { setHostedEndUserSource } from "./platform/hosted-end-user";
import { setWorkspaceEventListener } from "./platform/workspace-events";
import { onWorkspaceEvent } from "./modules/workflows";
import { notifyBuddy } from "./modules/wizards";

/**
 * The composition root's wiring: where a lower module needs something from one above it, the
 * upper module's function is plugged in here, so no module imports upward and the module graph
 * stays acyclic (docs/engineering.md, "Module boundaries"). workers/index.ts runs it at start-up;
 * the test setup runs it too, for tests that call module functions directly.
 *
 * Messaging is the bottom module (every module sends through its outbox), yet its outbox delivers
 * the `webhook` channel and raises workspace events (both modules/webhooks), and billable emails
 * count against the `emails` plan limit (modules/billing).
 */
export function composeModules(): void {
  // Weft's own product events (sign-up, verify, onboarding, invitations, first paid plan) land in its
  // own analytics — the house workspace — from modules below analytics (platform/product-events.ts).
  configureProductEvents(recordHouseEvent);
  // Deleting an end user (GDPR, modules/endusers) erases what each module keeps about them.
  registerEndUserEraser("commerce", eraseCommerceEndUser);
  // The portal's "existing customers only" sign-up: an email with a paid order is a customer.
  registerCustomerSource("commerce", isCommerceCustomer);
  registerEndUserEraser("portal", erasePortalData); // tickets, notifications, uploads, shares, assistant log
  registerEndUserEraser("forum", eraseForumEndUser); // posts blanked to a tombstone author, reactions/votes/drafts/reading gone, counters fixed
  // A writer's draft the AI safety rules held is released (or dropped) when a person decides in the console.
  registerHoldHandler("sales_draft", releaseHeldDraft);
  // Hosted pages of other modules (the checkout) wear the portal's brand: name, colour, logo.
  setBrandSource(portalBrand);
  // …and know the portal's signed-in customer from its session cookies (an order bought there is theirs).
  setHostedEndUserSource(hostedEndUser);
  // Workspace events (every webhook catalogue event) start the published workflows whose event trigger matches;
  // member.joined also tells the newcomer's buddy from the team set-up wizard.
  setWorkspaceEventListener(async (db, e) => {
    await Promise.all([onWorkspaceEvent(db, e), notifyBuddy(db, e)]);
  });
  configureMessaging({
    webhookChannel,
    publishEvent,
    // Also outreach: a draft's email that bounced stops the lead's sequences now (it never throws either).
    publishEventSafely: async (db, queue, e) => {
      await Promise.all([publishEventSafely(db, queue, e), stopSequencesOnBounce(db, e)]);
    },
    emailQuota: {
      check: (db, d1, tenantId, n) => checkQuota(db, d1, tenantId, "emails", n),
      exceeded: (q, requested, origin) => quotaExceeded({ ...q, meter: "emails" }, requested, origin),
      meter: (env, e) => meter(env, { ...e, meter: "emails" }),
    },
  });
}
