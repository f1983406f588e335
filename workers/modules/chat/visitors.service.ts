import { and, eq } from "drizzle-orm";
import { chatVisitors } from "../../../schema/chat";
import { sha256Hex } from "../../platform/crypto";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem, unauthorized } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { verifyIdentity, type IdentityInput, type VerifiedIdentity } from "./identity";
import { identitySecretOf, type ChatSettingsRow } from "./settings.service";

export type VisitorRow = typeof chatVisitors.$inferSelect;
export const VISITOR_TOKEN_PREFIX = "vt_";

export const identityRequired = () =>
  new Problem(
    401,
    "chat-identity-required",
    "Identity verification required",
    "This workspace only talks to verified users: pass a signed identity (JWT or user_hash) from your server.",
  );
export const identityInvalid = () =>
  new Problem(
    401,
    "chat-identity-invalid",
    "Identity verification failed",
    "The identity JWT or user_hash is not valid for this workspace (wrong secret, expired or malformed).",
  );

export const serializeVisitor = (v: VisitorRow) => ({
  id: v.id,
  name: v.name,
  email: v.email,
  user_id: v.userId,
  verified: !!v.verifiedAt,
});

/** The visitor behind a widget token, in this tenant only; enforces identity verification when on. */
export async function authenticateVisitor(db: Db, settings: ChatSettingsRow, token: string | null | undefined): Promise<VisitorRow> {
  if (!token?.startsWith(VISITOR_TOKEN_PREFIX) || token.length > 200)
    throw unauthorized("A visitor token is required; start a chat session first.");
  const v = await db
    .select()
    .from(chatVisitors)
    .where(tenantScope(db, settings.tenantId).where(chatVisitors, eq(chatVisitors.tokenHash, await sha256Hex(token))))
    .get();
  if (!v) throw unauthorized("This visitor token is not valid for this site; start a new chat session.");
  if (settings.identityRequired && !v.verifiedAt) throw identityRequired();
  return v;
}

/**
 * Starts or resumes a visitor. An existing token is kept unless the verified identity differs
 * (then a fresh visitor is issued, so one person's history never shows to another). With
 * enforcement on, no token is issued without a valid identity.
 */
export async function startVisitor(
  db: Db,
  env: Env,
  settings: ChatSettingsRow,
  input: {
    token?: string | null;
    identity?: IdentityInput | null;
    /** An identity the caller already verified (a portal end user's token, checked by the route). */
    verified?: VerifiedIdentity | null;
    name?: string | null;
    email?: string | null;
  },
): Promise<{ visitor: VisitorRow; token: string | null }> {
  let verified: VerifiedIdentity | null = input.verified ?? null;
  if (!verified && input.identity) {
    const secret = await identitySecretOf(env, settings);
    if (!secret)
      throw new Problem(
        400,
        "chat-identity-not-configured",
        "Identity verification is not set up",
        "Create an identity secret in the widget settings before sending identities.",
      );
    verified = await verifyIdentity(secret, input.identity);
    if (!verified) throw identityInvalid();
  }
  if (settings.identityRequired && !verified) throw identityRequired();
  const now = Date.now();

  if (input.token) {
    const hash = await sha256Hex(input.token);
    const existing = await db
      .select()
      .from(chatVisitors)
      .where(tenantScope(db, settings.tenantId).where(chatVisitors, eq(chatVisitors.tokenHash, hash)))
      .get();
    if (existing && (!verified || !existing.userId || existing.userId === verified.userId)) {
      const patch: Partial<VisitorRow> = { lastSeenAt: now };
      if (verified)
        Object.assign(patch, {
          userId: verified.userId,
          email: verified.email ?? existing.email,
          name: verified.name ?? existing.name,
          verifiedAt: existing.verifiedAt ?? now,
        });
      else {
        if (input.name && !existing.name) patch.name = input.name;
        if (input.email && !existing.email) patch.email = input.email;
      }
      await db
        .update(chatVisitors)
        .set(patch)
        .where(and(eq(chatVisitors.tenantId, settings.tenantId), eq(chatVisitors.id, existing.id)));
      return { visitor: { ...existing, ...patch }, token: null };
    }
  }
  const token = VISITOR_TOKEN_PREFIX + randomToken();
  const visitor: VisitorRow = {
    tenantId: settings.tenantId,
    id: newId("vis"),
    tokenHash: await sha256Hex(token),
    userId: verified?.userId ?? null,
    email: verified?.email ?? input.email ?? null,
    name: verified?.name ?? input.name ?? null,
    verifiedAt: verified ? now : null,
    createdAt: now,
    lastSeenAt: now,
  };
  await db.insert(chatVisitors).values(visitor);
  return { visitor, token };
}

export async function updateVisitorContact(
  db: Db,
  tenantId: string,
  v: VisitorRow,
  contact: { name?: string | null; email?: string | null },
) {
  // Verified identities come from the tenant's server and are not overwritten by form input.
  if (v.verifiedAt) return v;
  const patch = { name: contact.name ?? v.name, email: contact.email ?? v.email };
  await db
    .update(chatVisitors)
    .set(patch)
    .where(and(eq(chatVisitors.tenantId, tenantId), eq(chatVisitors.id, v.id)));
  return { ...v, ...patch };
}
