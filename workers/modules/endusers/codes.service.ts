import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { endUserCodes, type EndUserCodePurpose } from "../../../schema/endusers";
import { sha256Hex, timingSafeEqual } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { gone } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { type OutboxMessage, send } from "../messaging";

/**
 * One-time proofs of an email address: a magic-link token (256 bits, hashed) and, for sign-in, a
 * 6-digit code in the same email. Single use; a new proof of the same purpose for the same address
 * retires the older ones; a code allows MAX_CODE_ATTEMPTS wrong guesses before its row is spent
 * (with the per-IP/per-address rate limits in front, a code cannot be brute-forced).
 */
export const CODE_TTL_MS: Record<EndUserCodePurpose, number> = {
  sign_in: 15 * 60_000,
  verify_email: 24 * 3600_000,
  reset_password: 3600_000,
  change_email: 24 * 3600_000,
};
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
export const MAX_CODE_ATTEMPTS = 5;

const sixDigits = () => String((crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % 1_000_000).padStart(6, "0");
const codeHash = (id: string, code: string) => sha256Hex(`${id}:${code}`);

export interface IssuedCode {
  token: string;
  code: string | null;
}

export async function issueCode(
  db: Db,
  tenantId: string,
  o: { purpose: EndUserCodePurpose; email: string; endUserId: string | null; ttlMs?: number },
): Promise<IssuedCode> {
  const id = newId("euc");
  const token = randomToken();
  const code = o.purpose === "sign_in" ? sixDigits() : null;
  const now = Date.now();
  await db.batch([
    db
      .update(endUserCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(endUserCodes.tenantId, tenantId),
          eq(endUserCodes.email, o.email),
          eq(endUserCodes.purpose, o.purpose),
          isNull(endUserCodes.usedAt),
        ),
      ),
    db.insert(endUserCodes).values({
      tenantId,
      id,
      purpose: o.purpose,
      email: o.email,
      endUserId: o.endUserId,
      tokenHash: await sha256Hex(token),
      codeHash: code ? await codeHash(id, code) : null,
      expiresAt: now + (o.ttlMs ?? CODE_TTL_MS[o.purpose]),
      createdAt: now,
    }),
  ]);
  return { token, code };
}

export interface ConsumedCode {
  email: string;
  endUserId: string | null;
}

const invalid = () => gone("This link or code is invalid, used or expired; request a new one.");

/** Marks the magic-link token used; unknown, used, expired and other-purpose tokens are refused alike (410). */
export async function consumeToken(
  db: Db,
  tenantId: string,
  token: string,
  purposes: EndUserCodePurpose[],
): Promise<ConsumedCode & { purpose: EndUserCodePurpose }> {
  const now = Date.now();
  const claimed = await db
    .update(endUserCodes)
    .set({ usedAt: now })
    .where(and(eq(endUserCodes.tenantId, tenantId), eq(endUserCodes.tokenHash, await sha256Hex(token)), isNull(endUserCodes.usedAt)))
    .returning({
      email: endUserCodes.email,
      endUserId: endUserCodes.endUserId,
      expiresAt: endUserCodes.expiresAt,
      purpose: endUserCodes.purpose,
    });
  const row = claimed[0];
  if (!row || row.expiresAt < now || !purposes.includes(row.purpose)) throw invalid();
  return { email: row.email, endUserId: row.endUserId, purpose: row.purpose };
}

/** Checks a 6-digit sign-in code against the newest live code sent to `email`; counts wrong guesses. */
export async function consumeSignInCode(db: Db, tenantId: string, email: string, code: string): Promise<ConsumedCode> {
  const now = Date.now();
  const row = await db
    .select()
    .from(endUserCodes)
    .where(
      and(
        eq(endUserCodes.tenantId, tenantId),
        eq(endUserCodes.email, email),
        eq(endUserCodes.purpose, "sign_in"),
        isNull(endUserCodes.usedAt),
      ),
    )
    .orderBy(desc(endUserCodes.createdAt))
    .get();
  if (!row?.codeHash || row.expiresAt < now || row.attempts >= MAX_CODE_ATTEMPTS) throw invalid();
  if (!timingSafeEqual(await codeHash(row.id, code), row.codeHash)) {
    const spent = row.attempts + 1 >= MAX_CODE_ATTEMPTS;
    await db
      .update(endUserCodes)
      .set({ attempts: sql`${endUserCodes.attempts} + 1`, ...(spent ? { usedAt: now } : {}) })
      .where(and(eq(endUserCodes.tenantId, tenantId), eq(endUserCodes.id, row.id)));
    throw invalid();
  }
  const claimed = await db
    .update(endUserCodes)
    .set({ usedAt: now })
    .where(and(eq(endUserCodes.tenantId, tenantId), eq(endUserCodes.id, row.id), isNull(endUserCodes.usedAt)))
    .returning({ id: endUserCodes.id });
  if (claimed.length === 0) throw invalid(); // a concurrent use won
  return { email: row.email, endUserId: row.endUserId };
}

export interface PortalMailer {
  db: Db;
  outbox: Queue<OutboxMessage>;
  tenantId: string;
  site: string; // brand name
  portalUrl: string; // https://app/portal/<slug>
}

/** Sends an end-user email through messaging (security category: cannot be opted out of). */
export async function mailEndUser(
  m: PortalMailer,
  to: string,
  template: "sign_in" | "invitation" | "verify_email" | "change_email" | "reset_password",
  data: Record<string, unknown>,
) {
  await send(m.db, m.outbox, {
    tenantId: m.tenantId,
    to: { email: to },
    channels: ["email"],
    template: `endusers.${template}`,
    data: { site: m.site, ...data },
    category: template === "invitation" ? "transactional" : "security",
  });
}

/** The hosted portal page that takes a token from an email (it posts it to the API). */
export const linkFor = (m: PortalMailer, page: "magic" | "verify" | "reset", token: string) => `${m.portalUrl}/${page}?token=${token}`;
