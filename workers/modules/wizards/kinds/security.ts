/**
 * Security configuration wizard: MFA for the workspace, session lifetime, sign-in methods. Finishing
 * saves the workspace security policy (modules/tenancy/security-policy.ts), which platform/auth.ts
 * enforces on every workspace request — not just a saved preference.
 */
import { z } from "zod";
import { mfaNeededFirst, SESSION_LIFETIME_HOURS, setSecurityPolicy, userHasMfa } from "../../tenancy";
import { defineStep, type WizardDefinition, type WizardState } from "../types";

const lifetime = z
  .number()
  .int()
  .refine((h) => (SESSION_LIFETIME_HOURS as readonly number[]).includes(h), {
    message: `Pick one of ${SESSION_LIFETIME_HOURS.join(", ")} hours`,
  })
  .nullable();

const mfaStep = z.object({ require_mfa: z.boolean({ message: "Choose whether MFA is required" }) });
const sessionStep = z.object({ session_lifetime_hours: lifetime });
const methodsStep = z.object({ api_keys_allowed: z.boolean({ message: "Choose whether API keys may be used" }) });

/** The policy the answers describe. */
function policyOf(state: WizardState) {
  return {
    mfa_required: (state.mfa as z.infer<typeof mfaStep> | undefined)?.require_mfa ?? false,
    session_lifetime_hours: (state.sessions as z.infer<typeof sessionStep> | undefined)?.session_lifetime_hours ?? null,
    api_keys_allowed: (state.methods as z.infer<typeof methodsStep> | undefined)?.api_keys_allowed ?? true,
  };
}

const hoursLabel = (h: number | null) => (h === null ? "no workspace limit" : h < 24 ? `${h} h` : `${h / 24} day${h === 24 ? "" : "s"}`);

export const securityWizard: WizardDefinition = {
  kind: "security",
  title: "Security configuration",
  description: "Require two-factor authentication, limit how long sign-ins last, and choose how people and machines sign in.",
  permission: "tenant:update",
  group: "Settings",
  steps: [
    defineStep({
      id: "mfa",
      title: "Two-factor authentication",
      description: "Require every member to use an authenticator app code when they sign in to this workspace.",
      schema: mfaStep,
      // Refused while the person running it has no MFA: requiring it would lock them out.
      apply: async (ctx, input) => {
        if (input.require_mfa && !(await userHasMfa(ctx.db, ctx.userId))) throw mfaNeededFirst();
        return undefined;
      },
      status: async (ctx) => {
        const enrolled = await userHasMfa(ctx.db, ctx.userId);
        return { ready: true, detail: { you_have_mfa: enrolled, enroll_url: "/settings/security" } };
      },
    }),
    defineStep({
      id: "sessions",
      title: "Session lifetime",
      description: "After this long, people sign in again before they can use this workspace.",
      schema: sessionStep,
    }),
    defineStep({
      id: "methods",
      title: "Sign-in methods",
      description: "People sign in with email and password (plus their code when MFA is on); machines use secret API keys.",
      schema: methodsStep,
    }),
  ],
  complete: async (ctx, state) => {
    const policy = policyOf(state);
    await setSecurityPolicy(ctx.db, ctx.tenantId, policy, ctx.userId, ctx.actor);
    const parts = [
      policy.mfa_required ? "MFA required" : "MFA optional",
      `sessions: ${hoursLabel(policy.session_lifetime_hours)}`,
      policy.api_keys_allowed ? "API keys allowed" : "API keys off",
    ];
    return [{ type: "security_policy", id: ctx.tenantId, label: `Security policy — ${parts.join(" · ")}`, href: "/settings/security" }];
  },
};
