import { and, eq, isNull } from "drizzle-orm";
import { userTokens } from "../../../schema/identity";
import { sha256Hex } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { gone } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";

type Purpose = "verify_email" | "reset_password";
export const TOKEN_TTL_MS: Record<Purpose, number> = { verify_email: 24 * 3600_000, reset_password: 3600_000 };

/** Issues a single-use token (only its hash is stored); earlier unused tokens of the same purpose stop working. */
export async function issueUserToken(db: Db, userId: string, purpose: Purpose): Promise<string> {
  const token = randomToken();
  const now = Date.now();
  await db.batch([
    db
      .update(userTokens)
      .set({ usedAt: now })
      .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt))),
    db.insert(userTokens).values({
      id: newId("utk"),
      userId,
      purpose,
      tokenHash: await sha256Hex(token),
      expiresAt: now + TOKEN_TTL_MS[purpose],
      createdAt: now,
    }),
  ]);
  return token;
}

/** Marks the token used and returns its user id; unknown, used and expired tokens are refused alike. */
export async function consumeUserToken(db: Db, token: string, purpose: Purpose): Promise<string> {
  const now = Date.now();
  const claimed = await db
    .update(userTokens)
    .set({ usedAt: now })
    .where(and(eq(userTokens.tokenHash, await sha256Hex(token)), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)))
    .returning({ userId: userTokens.userId, expiresAt: userTokens.expiresAt });
  const row = claimed[0];
  if (!row || row.expiresAt < now) {
    throw gone(
      purpose === "verify_email"
        ? "This verification link is invalid, used or expired; request a new one."
        : "This reset link is invalid, used or expired; request a new one.",
    );
  }
  return row.userId;
}
