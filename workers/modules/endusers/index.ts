// Public entry of the end-users module: the only file other modules import (see docs/engineering.md).
// Modules that serve end users do not import this module to check who is calling: they use the
// platform's resolver (`endUserOf(c, tenantId)` / `requireEndUser(c, tenantId)` in
// workers/platform/end-users.ts, or `{ auth: "enduser" }` routes), and register what they keep about
// an end user for the GDPR erase in workers/platform/end-user-hooks.ts (through workers/compose.ts).
export { findEndUserByEmail, getEndUser, serializeSelf, type EndUser } from "./accounts.service";
export { erasePortalData } from "./portal.service";
export { portalBrand } from "./settings.service";
// The portal's session for other modules' hosted pages (/community/<slug>): who is signed in.
export { hostedEndUser, safeNext } from "./portal.session";
// Voice-to-action (modules/voice): the portal account of a lead a ticket is opened for.
export { endUserForContact } from "./contacts";
export { endUserSignUps } from "./daily-figures";
// Wizards (modules/wizards, multi-tenant configuration): the portal's custom domain with DNS verification, and its brand.
export {
  checkDomainVerification,
  getDomainVerification,
  serializeDomainVerification,
  startDomainVerification,
  clearCustomDomain,
} from "./domain-verification";
export { getPortalSettings, updatePortalSettings } from "./settings.service";
