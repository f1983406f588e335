/**
 * Shared types, money formatting and the untyped calls of the commerce ("Sell") pages.
 * Catalogue, coupons, rates, customers and sales are typed from the generated api-types; the
 * orders and payment-provider endpoints (docs/commerce-api.md) are typed here by hand from the
 * contract until they are in the generated file.
 */
import { api, type Res } from "../../lib/api";
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

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code: string;
  country: string;
  phone?: string;
}
export interface Order {
  id: string;
  number: number;
  status: OrderStatus;
  fulfilment_status: FulfilmentStatus;
  email: string;
  end_user_id: string | null;
  currency: string;
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  refunded: number;
  coupon_code: string | null;
  shipping_address: Address | null;
  shipping_name: string | null;
  provider: "stripe" | "paypal" | "simulator";
  provider_payment_id: string | null;
  failure_reason: string | null;
  created_at: string;
  paid_at: string | null;
  fulfilled_at: string | null;
  cancelled_at: string | null;
  refunded_at: string | null;
  line_count: number;
  item_count: number;
}
export interface OrderLine {
  id: string;
  product_id: string;
  variant_id: string;
  title: string;
  variant_title: string;
  sku: string;
  type: "physical" | "digital";
  quantity: number;
  unit_amount: number;
  discount: number;
  tax: number;
  total: number;
  fulfilled_quantity: number;
  refunded_quantity: number;
}
export interface OrderEvent {
  id: string;
  type: string;
  actor: string;
  detail: Record<string, unknown>;
  created_at: string;
}
export interface Refund {
  id: string;
  amount: number;
  lines: { line_id: string; quantity: number }[];
  reason: string;
  status: "pending" | "succeeded" | "failed";
  failure_reason: string | null;
  created_at: string;
}
export interface Fulfilment {
  id: string;
  lines: { line_id: string; quantity: number }[];
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  created_at: string;
}
export interface OrderDetail extends Order {
  lines: OrderLine[];
  events: OrderEvent[];
  refunds: Refund[];
  fulfilments: Fulfilment[];
}
export interface PaymentProviders {
  stripe: {
    configured: boolean;
    enabled: boolean;
    publishable_key: string | null;
    secret_hint: string | null;
    webhook_url: string;
    webhook_configured: boolean;
  };
  paypal: {
    configured: boolean;
    enabled: boolean;
    client_id: string | null;
    webhook_id: string | null;
    webhook_url: string;
    mode: "sandbox" | "live";
  };
  simulator: { available: boolean };
}

interface CallOpts {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
}
/**
 * A call to an endpoint that is not (yet) in the generated types: same auth, tenant header,
 * refresh and problem+json handling as `api`, with the response typed by the caller.
 */
export const call = api as unknown as <T>(key: string, opts?: CallOpts) => Promise<T>;

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
