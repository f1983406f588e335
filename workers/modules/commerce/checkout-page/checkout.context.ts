import type { Context } from "hono";
import type { AppEnv } from "../../../platform/context";
import { getDb, type Db } from "../../../platform/db";
import { getTenantBySlug } from "../../../platform/directory";
import { Problem } from "../../../platform/errors";
import { appOrigin } from "../../../platform/request";
import { workspaceBrand } from "../../../platform/workspace-brand";
import { signedFileUrl } from "../../files";
import { serializeCheckout, type CheckoutRow } from "../checkouts.service";
import { getOrderRow } from "../orders.service";
import { checkoutPage, type CheckoutView, type FormState } from "./checkout.markup";
import type { Fields } from "./checkout.form";
import { messagePage, type Shop } from "./layout";

// What the checkout page routes (checkout.page.ts) share: the shop of the URL, the CSRF rule,
// rendering a checkout or where its state sends the buyer, and the start problems as pages.

/** Same rule as the portal's pages: Sec-Fetch-Site, else the Origin must name this host. */
export function crossSite(c: Context<AppEnv>): boolean {
  const site = c.req.header("Sec-Fetch-Site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = c.req.header("Origin");
  if (!origin) return false;
  try {
    const host = new URL(origin).host;
    return host !== c.req.header("Host") && host !== new URL(c.req.url).host && host !== new URL(appOrigin(c)).host;
  } catch {
    return true;
  }
}

export interface Ctx {
  db: Db;
  tenantId: string;
  shop: Shop;
}

export async function shopOf(c: Context<AppEnv>): Promise<Ctx> {
  const slug = c.req.param("slug") ?? "";
  if (!/^[a-z0-9-]{1,64}$/i.test(slug)) throw new Problem(404, "not-found", "Not found", "Shop was not found.");
  const db = getDb(c.env.DB);
  const tenant = await getTenantBySlug(db, slug);
  const brand = await workspaceBrand(c.env, tenant.id, appOrigin(c));
  const primary = brand?.primaryColor && /^#[0-9a-f]{6}$/i.test(brand.primaryColor) ? brand.primaryColor : "#4f46e5";
  return {
    db,
    tenantId: tenant.id,
    shop: { slug: tenant.slug, name: brand?.name || tenant.name, primary, logoUrl: brand?.logoUrl ?? null },
  };
}

export const checkoutPath = (shop: Shop, id: string) => `/checkout/${shop.slug}/${id}`;
export const orderPath = (shop: Shop, orderId: string, token: string) =>
  `/checkout/${shop.slug}/orders/${orderId}?token=${encodeURIComponent(token)}`;

export async function form(c: Context<AppEnv>): Promise<Fields> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v.slice(0, 1000) : ""]));
}

export async function view(c: Context<AppEnv>, x: Ctx, co: CheckoutRow): Promise<CheckoutView> {
  const order = co.orderId ? await getOrderRow(x.db, x.tenantId, co.orderId).catch(() => null) : null;
  return (await serializeCheckout(c.env, x.db, co, order)) as CheckoutView;
}

/** Signed thumbnail URLs (files module) of the lines' product images; a deleted image shows the placeholder. */
export async function thumbsOf(c: Context<AppEnv>, tenantId: string, co: CheckoutView): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await Promise.all(
    co.lines.map(async (l) => {
      if (!l.image_file_id) return;
      try {
        const { url } = await signedFileUrl(c.env, {
          tenantId,
          fileId: l.image_file_id,
          expiresIn: 3600,
          origin: appOrigin(c),
          variant: { w: 112, h: 112, fit: "cover", format: "webp" },
        });
        out[l.variant_id] = url;
      } catch {
        // no thumbnail rather than a broken page
      }
    }),
  );
  return out;
}

/** The checkout page, or where its state sends the buyer (the order page, an expired notice). */
export async function render(c: Context<AppEnv>, x: Ctx, co: CheckoutRow, s: FormState = {}, status: 200 | 400 | 409 = 200) {
  const v = await view(c, x, co);
  if (v.status === "completed" && v.order) return c.redirect(orderPath(x.shop, v.order.id, v.order.access_token), 303);
  if (v.status === "expired" || v.status === "cancelled") return expiredPage(c, x, co);
  return c.html(checkoutPage(x.shop, v, await thumbsOf(c, x.tenantId, v), s), status);
}

export function expiredPage(c: Context<AppEnv>, x: Ctx, co: CheckoutRow) {
  const back = co.cancelUrl ? { href: co.cancelUrl, label: "Back to the shop" } : undefined;
  return c.html(
    messagePage(
      x.shop,
      "This checkout has expired",
      "Your items were held for a limited time and have been released. Nothing was charged.",
      back,
    ),
    410,
  );
}

export function soldOutPage(c: Context<AppEnv>, x: Ctx, e: Problem) {
  return c.html(messagePage(x.shop, "Sold out", `Sorry — ${e.detail ?? "some items are no longer available."}`, undefined, "error"), 409);
}

/** Problems a start (Buy link, cart) can meet, as pages; anything else is a bug and throws. */
export function startProblem(c: Context<AppEnv>, x: Ctx, e: unknown) {
  if (!(e instanceof Problem)) throw e;
  if (e.slug === "insufficient-stock") return soldOutPage(c, x, e);
  if (e.status === 404 || e.status === 422)
    return c.html(
      messagePage(x.shop, "Not available", "This item is not available any more.", undefined, "error"),
      e.status === 404 ? 404 : 422,
    );
  if (e.status === 409)
    return c.html(messagePage(x.shop, "This cart is closed", e.detail ?? "This cart was already checked out.", undefined, "error"), 409);
  if (e.status === 400) return c.html(messagePage(x.shop, "This link is not valid", e.detail ?? e.title, undefined, "error"), 400);
  throw e;
}
