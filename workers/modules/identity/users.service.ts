import { eq } from "drizzle-orm";
import { users } from "../../../schema/identity";
import type { Db } from "../../platform/db";
import { iso } from "../../platform/request";

export type User = typeof users.$inferSelect;

export const findUserByEmail = (db: Db, email: string) => db.select().from(users).where(eq(users.email, email.toLowerCase())).get();
export const getUser = (db: Db, id: string) => db.select().from(users).where(eq(users.id, id)).get();

export function serializeUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    email_verified: u.emailVerifiedAt != null,
    mfa_enabled: u.mfaEnabledAt != null,
    created_at: iso(u.createdAt)!,
  };
}
