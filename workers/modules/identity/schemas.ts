import { z } from "@hono/zod-openapi";

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
export const nameSchema = z.string().trim().min(1, "Enter a name").max(100);

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    email_verified: z.boolean(),
    mfa_enabled: z.boolean(),
    created_at: z.string(),
  })
  .openapi("User");

export const tenantSummarySchema = z.object({ id: z.string(), name: z.string(), slug: z.string() }).openapi("TenantSummary");

export const tokensSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ description: "Access token lifetime in seconds" }),
    user: userSchema,
  })
  .openapi("Tokens");

export const signupBodySchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    name: nameSchema,
    workspace_name: z.string().trim().min(1).max(100).optional().openapi({ description: 'Defaults to "<name>\'s workspace"' }),
    invite_token: z.string().min(10).max(200).optional().openapi({ description: "Join the inviting workspace instead of creating one" }),
  })
  .openapi("SignupRequest");

export const signupResponseSchema = tokensSchema
  .extend({
    tenant: tenantSummarySchema.nullable(),
    memberships: z.array(z.object({ tenant: tenantSummarySchema, role: z.string() })),
  })
  .openapi("SignupResponse");

export const loginBodySchema = z.object({ email: emailSchema, password: z.string().min(1).max(256) }).openapi("LoginRequest");
export const mfaRequiredSchema = z
  .object({ mfa_required: z.literal(true), mfa_token: z.string(), expires_in: z.number().int() })
  .openapi("MfaRequired");
export const loginMfaBodySchema = z
  .object({
    mfa_token: z.string().min(1),
    code: z
      .string()
      .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app")
      .optional(),
    recovery_code: z.string().trim().min(8).max(20).optional(),
  })
  .refine((b) => Boolean(b.code) !== Boolean(b.recovery_code), { message: "Send either `code` or `recovery_code`", path: ["code"] })
  .openapi("LoginMfaRequest");

export const refreshBodySchema = z.object({ refresh_token: z.string().min(10).max(200) }).openapi("RefreshRequest");
export const tokenBodySchema = z.object({ token: z.string().min(10).max(200) });
export const resetBodySchema = z.object({ token: z.string().min(10).max(200), password: passwordSchema });
export const forgotBodySchema = z.object({ email: emailSchema });
export const acceptedSchema = z.object({ status: z.literal("accepted"), message: z.string() }).openapi("Accepted");
export const okSchema = z.object({ status: z.literal("ok") });
