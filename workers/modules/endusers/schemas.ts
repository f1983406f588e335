import { z } from "@hono/zod-openapi";
import { END_USER_SOURCES, SIGNUP_POLICIES } from "../../../schema/endusers";
import { pageQuerySchema } from "../../platform/pagination";

// Same rules as staff accounts (modules/identity/schemas.ts), kept here so the two can drift apart on purpose.
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email("Enter a valid email address"))
  .transform((e) => e.toLowerCase())
  .openapi({ example: "ada@example.com" });
export const passwordSchema = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(256, "Use at most 256 characters")
  .openapi({ example: "correct horse battery staple" });
const hasControl = (s: string) => Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
export const nameSchema = z
  .string()
  .trim()
  .max(100)
  .refine((s) => !hasControl(s), "must not contain control characters or line breaks");
const tokenSchema = z.string().min(10).max(200);

/** `{portal}`: the workspace's slug (hosted portal) or its publishable key (its own site, with an allowed Origin). */
export const portalParam = z.object({
  portal: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "portal", in: "path" }, example: "acme", description: "Workspace slug, or a publishable key (pk_live_…)" }),
});

export const portalInfoSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    signup_policy: z.enum(SIGNUP_POLICIES),
    primary_color: z.string().nullable(),
    accent_color: z.string().nullable(),
    logo_url: z.string().nullable(),
    portal_url: z.string(),
    handover: z.boolean().openapi({ description: "Whether the workspace set up hand-over from its own accounts" }),
  })
  .openapi("PortalInfo");

export const endUserSelfSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    email_verified: z.boolean(),
    has_password: z.boolean(),
    created_at: z.string().nullable(),
  })
  .openapi("EndUserSelf");

export const endUserTokensSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    end_user: endUserSelfSchema,
  })
  .openapi("EndUserTokens");

export const signupBody = z.object({ email: emailSchema, password: passwordSchema, name: nameSchema.default("") }).openapi("EndUserSignup");
export const signinBody = z.object({ email: emailSchema, password: z.string().min(1).max(256) }).openapi("EndUserSignin");
export const emailBody = z.object({ email: emailSchema });
export const codeVerifyBody = z
  .object({
    email: emailSchema.optional(),
    code: z
      .string()
      .regex(/^\d{6}$/, "Enter the 6-digit code from the email")
      .optional(),
    token: tokenSchema.optional().openapi({ description: "The magic link's token" }),
  })
  .refine((b) => Boolean(b.token) !== Boolean(b.code && b.email), {
    message: "Send either `token` (magic link) or `email` and `code`",
    path: ["code"],
  })
  .openapi("EndUserCodeVerify");
export const tokenBody = z.object({ token: tokenSchema });
export const resetBody = z.object({ token: tokenSchema, password: passwordSchema });
export const refreshBody = z.object({ refresh_token: tokenSchema });
export const handoverBody = z.object({ jwt: z.string().min(10).max(4096) }).openapi("EndUserHandover");
export const acceptedSchema = z.object({ status: z.literal("accepted"), message: z.string() });

export const profilePatch = z.object({ name: nameSchema }).openapi("EndUserProfilePatch");
export const passwordChangeBody = z
  .object({ current_password: z.string().min(1).max(256).optional(), new_password: passwordSchema })
  .openapi("EndUserPasswordChange");
export const emailChangeBody = z.object({ email: emailSchema }).openapi("EndUserEmailChange");

// Staff side (/api/v1/end-users).
export const endUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    email_verified: z.boolean(),
    has_password: z.boolean(),
    blocked: z.boolean(),
    blocked_at: z.string().nullable(),
    blocked_reason: z.string().nullable(),
    external_id: z.string().nullable(),
    source: z.enum(END_USER_SOURCES),
    invited_at: z.string().nullable(),
    last_seen_at: z.string().nullable(),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .openapi("EndUser");

export const listQuery = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional().openapi({ description: "Search email and name" }),
  blocked: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
});
export const inviteBody = z
  .object({
    email: emailSchema,
    name: nameSchema.default(""),
    send_invite: z.boolean().default(true).openapi({ description: "Email a sign-in link valid 7 days" }),
  })
  .openapi("EndUserInvite");
export const blockBody = z.object({ reason: z.string().trim().max(500).optional() });
export const eraseResultSchema = z.object({ erased: z.literal(true), modules: z.record(z.string(), z.number()) });

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour like #4f46e5")
  .nullable();
export const portalSettingsSchema = z
  .object({
    enabled: z.boolean(),
    signup_policy: z.enum(SIGNUP_POLICIES),
    brand_name: z.string().nullable(),
    logo_file_id: z.string().nullable(),
    primary_color: z.string().nullable(),
    accent_color: z.string().nullable(),
    custom_domain: z.string().nullable(),
    has_handover_secret: z.boolean(),
    updated_at: z.string().nullable(),
    portal_url: z.string(),
  })
  .openapi("PortalSettings");
export const portalSettingsInput = z
  .object({
    enabled: z.boolean().optional(),
    signup_policy: z.enum(SIGNUP_POLICIES).optional(),
    brand_name: nameSchema.nullable().optional(),
    logo_file_id: z.string().max(64).nullable().optional(),
    primary_color: color.optional(),
    accent_color: color.optional(),
    custom_domain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Use a host name like account.example.com")
      .nullable()
      .optional(),
  })
  .openapi("PortalSettingsInput");
export const handoverSecretSchema = z.object({ secret: z.string() }).openapi("HandoverSecret");
