import { and, eq, isNull } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { recoveryCodes, users } from "../../../schema/identity";
import { auditInsert, type Actor } from "../../platform/audit";
import { forgetAccess } from "../../platform/auth";
import { decryptSecret, encryptSecret, sha256Hex } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { badRequest, conflict, unauthorized } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import type { User } from "./users.service";

const PERIOD = 30;
const RECOVERY_CODE_COUNT = 10;

function totpFor(secretBase32: string, label: string) {
  return new TOTP({ issuer: "Weft", label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** RFC 6238 check with ±1 step of clock drift; returns the matched time step or null. */
export function matchTotp(secretBase32: string, code: string, at = Date.now()): number | null {
  const delta = totpFor(secretBase32, "x").validate({ token: code, timestamp: at, window: 1 });
  return delta == null ? null : Math.floor(at / 1000 / PERIOD) + delta;
}

const normaliseRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomToken(8).slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5, 10)}`;
  });
}

async function replaceRecoveryCodes(db: Db, userId: string, codes: string[]) {
  const now = Date.now();
  const rows = await Promise.all(
    codes.map(async (c) => ({ id: newId("rcv"), userId, codeHash: await sha256Hex(normaliseRecovery(c)), createdAt: now })),
  );
  return [db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)), db.insert(recoveryCodes).values(rows)] as const;
}

/** Step 1 of enrolment: a fresh secret stored sealed but not yet active. */
export async function beginMfaEnrollment(db: Db, user: User, encryptionKey: string) {
  if (user.mfaEnabledAt)
    throw conflict("Two-factor authentication is already on. Turn it off first to enrol a new device.", "mfa-already-enabled");
  const secret = new Secret({ size: 20 }).base32;
  await db
    .update(users)
    .set({ mfaSecret: await encryptSecret(secret, encryptionKey), updatedAt: Date.now() })
    .where(eq(users.id, user.id));
  return { secret, otpauthUri: totpFor(secret, user.email).toString() };
}

/** Step 2: the first valid code turns MFA on and yields recovery codes (shown once). */
export async function confirmMfaEnrollment(db: Db, user: User, code: string, encryptionKey: string, actor: Actor): Promise<string[]> {
  if (user.mfaEnabledAt) throw conflict("Two-factor authentication is already on.", "mfa-already-enabled");
  if (!user.mfaSecret) throw badRequest("Start enrolment first (POST /api/v1/me/mfa/enroll).");
  const step = matchTotp(await decryptSecret(user.mfaSecret, encryptionKey), code);
  if (step == null) throw badRequest("That code is not valid. Check the time on your device and try the current code.");
  const codes = newRecoveryCodes();
  await db.batch([
    db.update(users).set({ mfaEnabledAt: Date.now(), mfaLastStep: step, updatedAt: Date.now() }).where(eq(users.id, user.id)),
    ...(await replaceRecoveryCodes(db, user.id, codes)),
    auditInsert(db, actor, { tenantId: null, action: "mfa.enabled", target: { type: "user", id: user.id } }),
  ]);
  // A workspace that requires MFA (its security policy) lets the user in from the next request.
  forgetAccess(user.id);
  return codes;
}

/**
 * Verifies a second factor: a TOTP code (each time step accepted once) or an unused recovery code.
 * Throws 401 on failure.
 */
export async function verifySecondFactor(
  db: Db,
  user: User,
  input: { code?: string; recovery_code?: string },
  encryptionKey: string,
  actor: Actor,
): Promise<void> {
  if (!user.mfaEnabledAt || !user.mfaSecret) throw badRequest("Two-factor authentication is not on for this account.");
  if (input.code) {
    const step = matchTotp(await decryptSecret(user.mfaSecret, encryptionKey), input.code);
    if (step != null && (user.mfaLastStep == null || step > user.mfaLastStep)) {
      const claimed = await db
        .update(users)
        .set({ mfaLastStep: step })
        .where(and(eq(users.id, user.id), user.mfaLastStep == null ? isNull(users.mfaLastStep) : eq(users.mfaLastStep, user.mfaLastStep)))
        .returning({ id: users.id });
      if (claimed.length) return;
    }
  } else if (input.recovery_code) {
    const hash = await sha256Hex(normaliseRecovery(input.recovery_code));
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: Date.now() })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hash), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    if (used.length) {
      await auditInsert(db, actor, { tenantId: null, action: "mfa.recovery_code_used", target: { type: "user", id: user.id } });
      return;
    }
  }
  await auditInsert(db, actor, { tenantId: null, action: "auth.mfa_failed", target: { type: "user", id: user.id } });
  throw unauthorized("That code is not valid or was already used.");
}

export async function disableMfa(db: Db, userId: string, actor: Actor) {
  await db.batch([
    db.update(users).set({ mfaEnabledAt: null, mfaSecret: null, mfaLastStep: null, updatedAt: Date.now() }).where(eq(users.id, userId)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    auditInsert(db, actor, { tenantId: null, action: "mfa.disabled", target: { type: "user", id: userId } }),
  ]);
  // …and refuses them from the next request once it is off.
  forgetAccess(userId);
}

export async function regenerateRecoveryCodes(db: Db, userId: string, actor: Actor): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.batch([
    ...(await replaceRecoveryCodes(db, userId, codes)),
    auditInsert(db, actor, { tenantId: null, action: "mfa.recovery_codes_regenerated", target: { type: "user", id: userId } }),
  ]);
  return codes;
}

export async function remainingRecoveryCodes(db: Db, userId: string): Promise<number> {
  const rows = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}
