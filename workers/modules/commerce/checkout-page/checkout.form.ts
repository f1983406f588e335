import { z } from "@hono/zod-openapi";
import type { Address } from "../../../../schema/commerce-orders";
import type { Problem } from "../../../platform/errors";
import type { CheckoutPatch } from "../checkouts.service";

/**
 * The checkout form's fields → a checkout patch. Every button of the form posts all fields, so
 * whatever the buyer typed is saved before a coupon is applied or a payment starts. Blank optional
 * fields are left out; an address counts once any of its fields is filled (then its required
 * fields must be). Errors come back by field name, for the page to show beside each input.
 */
export type Fields = Record<string, string>;
export type FieldErrors = Record<string, string>;

const ADDRESS_FIELDS = ["name", "line1", "line2", "city", "postal_code", "country", "region", "phone"] as const;
const email = z.email().max(254);

export function readDetails(f: Fields, o: { ships: boolean }): { patch: CheckoutPatch; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const patch: CheckoutPatch = {};
  const mail = (f.email ?? "").trim();
  if (mail) {
    if (email.safeParse(mail).success) patch.email = mail;
    else errors.email = "Enter an email address like name@example.com.";
  }
  if (o.ships && ADDRESS_FIELDS.some((k) => (f[k] ?? "").trim())) {
    const v = (k: string) => (f[k] ?? "").trim();
    const need: [string, string][] = [
      ["name", "Enter the name for the delivery."],
      ["line1", "Enter the street address."],
      ["city", "Enter the city."],
      ["postal_code", "Enter the postal code."],
    ];
    for (const [k, msg] of need) if (!v(k)) errors[k] = msg;
    const country = v("country").toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) errors.country = "Choose the country.";
    const region = v("region").toUpperCase();
    if (region && !/^[A-Z0-9]{1,3}$/.test(region)) errors.region = "Use the state or region code, such as NY or CA.";
    for (const k of ADDRESS_FIELDS) if (v(k).length > (k === "phone" ? 30 : 200)) errors[k] = "This is too long.";
    if (!Object.keys(errors).some((k) => (ADDRESS_FIELDS as readonly string[]).includes(k))) {
      const a: Address = { name: v("name"), line1: v("line1"), city: v("city"), postal_code: v("postal_code"), country };
      if (v("line2")) a.line2 = v("line2");
      if (region) a.region = region;
      if (v("phone")) a.phone = v("phone");
      patch.shipping_address = a;
    }
  }
  const rate = (f.shipping_rate_id ?? "").trim();
  if (rate && rate.length <= 64) patch.shipping_rate_id = rate;
  return { patch, errors };
}

/** A service's validation problem (`errors: [{ path, message }]`) as messages by form field. */
export function problemFields(e: Problem): FieldErrors {
  const list = (e.extensions.errors as { path?: string; field?: string; message: string }[] | undefined) ?? [];
  const out: FieldErrors = {};
  const text: Record<string, string> = {
    email: "Enter your email address: the receipt goes there.",
    shipping_address: "Enter the delivery address.",
    shipping_rate_id: "No delivery option covers this address. Check the country.",
    provider: "This payment method is not available. Choose another one.",
  };
  for (const item of list) {
    const path = (item.path ?? item.field ?? "").replace(/^shipping_address\./, "");
    const key = path === "shipping_address" ? "line1" : path;
    out[key] = text[path] ?? item.message;
  }
  return out;
}
