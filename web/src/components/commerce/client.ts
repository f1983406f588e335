/**
 * Shared types (from the generated api-types), money formatting, order status labels and the CSV
 * requests of the commerce ("Sell") pages.
 */
import type { Res } from "../../lib/api";
import type { CommerceOrder, CommerceOrderDetail, CommercePaymentProviders, CommerceRefund } from "../../lib/api-types";
import { getAccessToken, getTenantId } from "../../lib/session";

export type {
  CommerceCollection as Collection,
  CommerceCoupon as Coupon,
  CommerceProduct as Product,
  CommerceShippingRate as ShippingRate,
  CommerceTaxRate as TaxRate,
  CommerceVariant as Variant,
} from "../../lib/api-types";
export type Customer = Res<"GET /api/v1/commerce/customers">["data"][number];
export type CustomerDetail = Res<"GET /api/v1/commerce/customers/{key}">;
export type Sales = Res<"GET /api/v1/commerce/sales">;

// ——— Money: integer minor units + ISO 4217 code ———

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      f = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(currency, f);
  }
  return f;
}
/** Decimal places of a currency (USD 2, JPY 0, KWD 3), as Intl knows them. */
export function exponent(currency: string): number {
  return formatter(currency).resolvedOptions().maximumFractionDigits ?? 2;
}
/** 2500 USD → "$25.00". */
export function formatMoney(amount: number, currency: string): string {
  return formatter(currency).format(amount / 10 ** exponent(currency));
}
/** Minor units → the decimal text an input shows ("25.00"). */
export function toMajorText(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return "";
  const e = exponent(currency);
  return (amount / 10 ** e).toFixed(e);
}
/** "25.5" → 2550 for USD; null for blank; NaN for anything that is not a non-negative amount with at most the currency's decimals. */
export function parseMajor(text: string, currency: string): number | null {
  const t = text.trim().replace(/,/g, "");
  if (t === "") return null;
  const e = exponent(currency);
  const m = /^(\d{1,12})(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] ?? "").length > e) return Number.NaN;
  return Number(m[1]) * 10 ** e + Number((m[2] ?? "").padEnd(e, "0") || 0);
}

// ——— Orders and payment providers (docs/commerce-api.md) ———

export const ORDER_STATUSES = [
  "pending",
  "payment_failed",
  "paid",
  "fulfilled",
  "partially_refunded",
  "refunded",
  "cancelled",
  "expired",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const FULFILMENT_STATUSES = ["unfulfilled", "partial", "fulfilled", "not_required"] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

export type Order = CommerceOrder;
export type OrderDetail = CommerceOrderDetail;
export type OrderLine = OrderDetail["lines"][number];
export type OrderEvent = OrderDetail["events"][number];
export type Refund = CommerceRefund;
export type Fulfilment = OrderDetail["fulfilments"][number];
export type Address = NonNullable<Order["shipping_address"]>;
export type PaymentProviders = CommercePaymentProviders;

export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending: "Pending",
  payment_failed: "Payment failed",
  paid: "Paid",
  fulfilled: "Fulfilled",
  partially_refunded: "Partially refunded",
  refunded: "Refunded",
  cancelled: "Cancelled",
  expired: "Expired",
};
export const STATUS_TONE: Record<OrderStatus, "neutral" | "accent" | "success" | "warning" | "danger"> = {
  pending: "warning",
  payment_failed: "danger",
  paid: "success",
  fulfilled: "accent",
  partially_refunded: "warning",
  refunded: "neutral",
  cancelled: "neutral",
  expired: "neutral",
};
export const FULFILMENT_LABEL: Record<FulfilmentStatus, string> = {
  unfulfilled: "Unfulfilled",
  partial: "Partly shipped",
  fulfilled: "Shipped",
  not_required: "No shipping",
};

/** A non-JSON request (CSV in or out) with the session's token and workspace. */
export async function rawRequest(method: string, path: string, body?: string, contentType = "text/csv"): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = getTenantId();
  if (tenant) headers["X-Tenant-ID"] = tenant;
  if (body !== undefined) headers["Content-Type"] = contentType;
  return fetch(path, { method, headers, body });
}
