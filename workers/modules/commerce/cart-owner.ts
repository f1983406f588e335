import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import type { Db } from "../../platform/db";
import { endUserOf } from "../../platform/end-users";
import { notFound } from "../../platform/errors";
import { getCartRow } from "./carts.service";

/**
 * Carts and the workspace's end users (docs/endusers.md): a storefront call may carry the portal
 * end user's access token (`Authorization: Bearer …`), so the cart, and the order it becomes, are
 * theirs — and show in their portal. A cart id alone is a capability for an anonymous cart only:
 * a signed-in customer's cart answers to that customer's token, and is "not found" for anyone else
 * (another end user, or the bare id), exactly like an unknown cart.
 */
export async function callerEndUserId(c: Context<AppEnv>, tenantId: string): Promise<string | null> {
  return (await endUserOf(c, tenantId))?.id ?? null;
}
export const callerEndUser = (c: Context<AppEnv>, tenantId: string) => endUserOf(c, tenantId);

/** 404 unless the caller may use this cart (anonymous cart, or the caller is its end user). */
export async function assertCartAccess(c: Context<AppEnv>, db: Db, tenantId: string, cartId: string): Promise<void> {
  const cart = await getCartRow(db, tenantId, cartId);
  if (!cart.endUserId) return;
  if ((await callerEndUserId(c, tenantId)) !== cart.endUserId) throw notFound("Cart");
}
