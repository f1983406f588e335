import type { Address } from "../../../../schema/commerce-orders";
import { alert, esc, money, notice, page, type Shop } from "./layout";

/** The public checkout as docs/commerce-api.md's `Checkout` shape (what the checkout service returns). */
export interface CheckoutView {
  id: string;
  status: "open" | "paying" | "completed" | "expired" | "cancelled";
  currency: string;
  email: string | null;
  shipping_address: Address | null;
  shipping_rate_id: string | null;
  shipping_options: { id: string; name: string; amount: number }[];
  coupon_code: string | null;
  coupon_problem: string | null;
  coupon_message?: string | null;
  lines: {
    variant_id: string;
    title: string;
    variant_title: string;
    quantity: number;
    unit_amount: number;
    total: number;
    image_file_id: string | null;
    type: "physical" | "digital";
  }[];
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number; tax_inclusive?: boolean };
  providers: string[];
  expires_at: string;
  order: { id: string; number: number; status: string; access_token: string } | null;
}

/** What the visitor typed (kept when the page comes back with errors) and the errors by field name. */
export interface FormState {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  message?: string | null;
  notice?: string | null;
}

const COUPON_TEXT: Record<string, string> = {
  unknown: "This code does not exist.",
  inactive: "This code is no longer active.",
  not_started: "This code is not valid yet.",
  expired: "This code has expired.",
  currency: "This code is for another currency.",
  min_subtotal: "Your order is below this code's minimum.",
  not_applicable: "This code does not apply to these items.",
  first_order_only: "This code is for a first order only.",
  usage_limit: "This code has been used up.",
  customer_limit: "You have already used this code.",
};
export const couponText = (problem: string) => COUPON_TEXT[problem] ?? "This code cannot be used on this order.";

const PROVIDER_LABEL: Record<string, string> = {
  stripe: "Pay by card",
  paypal: "Pay with PayPal",
  simulator: "Pay with the payment simulator",
};

/** Countries offered in the address form (ISO 3166-1 alpha-2); a stored other code is kept. */
const COUNTRIES: [string, string][] = [
  ["US", "United States"],
  ["CA", "Canada"],
  ["GB", "United Kingdom"],
  ["IE", "Ireland"],
  ["DE", "Germany"],
  ["AT", "Austria"],
  ["CH", "Switzerland"],
  ["FR", "France"],
  ["BE", "Belgium"],
  ["NL", "Netherlands"],
  ["LU", "Luxembourg"],
  ["ES", "Spain"],
  ["PT", "Portugal"],
  ["IT", "Italy"],
  ["DK", "Denmark"],
  ["SE", "Sweden"],
  ["NO", "Norway"],
  ["FI", "Finland"],
  ["PL", "Poland"],
  ["CZ", "Czechia"],
  ["AU", "Australia"],
  ["NZ", "New Zealand"],
  ["JP", "Japan"],
  ["SG", "Singapore"],
];

export const requiresShipping = (co: Pick<CheckoutView, "lines">) => co.lines.some((l) => l.type === "physical");
/** Inclusive tax (VAT in the prices) adds nothing on top: the total is the discounted goods plus shipping. */
export const taxIncluded = (t: CheckoutView["totals"]) =>
  t.tax_inclusive ?? (t.tax > 0 && t.total === t.subtotal - t.discount + t.shipping);

function field(
  s: FormState,
  name: string,
  label: string,
  value: string,
  o: { type?: string; autocomplete?: string; required?: boolean; inputmode?: string; optional?: boolean; max?: number } = {},
) {
  const v = s.values?.[name] ?? value;
  const err = s.errors?.[name];
  const id = `f-${name}`;
  return `<label for="${id}">${esc(label)}${o.optional ? ' <span class="opt">(optional)</span>' : ""}</label>
<input id="${id}" name="${name}" type="${o.type ?? "text"}" value="${esc(v)}"${o.autocomplete ? ` autocomplete="${o.autocomplete}"` : ""}${
    o.inputmode ? ` inputmode="${o.inputmode}"` : ""
  }${o.required ? " required" : ""} maxlength="${o.max ?? 200}"${err ? ` aria-invalid="true" aria-describedby="${id}-err"` : ""}>${
    err ? `<p class="err" id="${id}-err">${esc(err)}</p>` : ""
  }`;
}

function countrySelect(s: FormState, current: string) {
  const v = (s.values?.country ?? current) || "";
  const list = COUNTRIES.some(([c]) => c === v) || !v ? COUNTRIES : [...COUNTRIES, [v, v] as [string, string]];
  const err = s.errors?.country;
  return `<label for="f-country">Country</label><select id="f-country" name="country" autocomplete="country" required${
    err ? ' aria-invalid="true" aria-describedby="f-country-err"' : ""
  }><option value="">Choose…</option>${list
    .map(([code, name]) => `<option value="${code}"${code === v ? " selected" : ""}>${esc(name)}</option>`)
    .join("")}</select>${err ? `<p class="err" id="f-country-err">${esc(err)}</p>` : ""}`;
}

export function summary(co: CheckoutView, thumbs: Record<string, string>) {
  const c = co.currency;
  const lines = co.lines
    .map((l) => {
      const img = thumbs[l.variant_id]
        ? `<img class="thumb" src="${esc(thumbs[l.variant_id] ?? "")}" alt="" width="56" height="56">`
        : `<span class="thumb" aria-hidden="true">${esc(l.title.slice(0, 1).toUpperCase())}</span>`;
      const variant = l.variant_title && l.variant_title !== "Default" ? `${l.variant_title} · ` : "";
      return `<li>${img}<div class="li-main"><div class="li-title">${esc(l.title)}</div><div class="muted">${esc(variant)}Qty ${l.quantity} × ${money(
        l.unit_amount,
        c,
      )}${l.type === "digital" ? " · download" : ""}</div></div><div class="li-amount">${money(l.unit_amount * l.quantity, c)}</div></li>`;
    })
    .join("");
  const t = co.totals;
  const inclusive = taxIncluded(t);
  const rows = [
    `<tr><td>Subtotal</td><td>${money(t.subtotal, c)}</td></tr>`,
    t.discount ? `<tr><td>Discount${co.coupon_code ? ` (${esc(co.coupon_code)})` : ""}</td><td>−${money(t.discount, c)}</td></tr>` : "",
    requiresShipping(co)
      ? `<tr><td>Shipping</td><td>${co.shipping_rate_id ? (t.shipping ? money(t.shipping, c) : "Free") : "—"}</td></tr>`
      : "",
    t.tax && !inclusive ? `<tr><td>Tax</td><td>${money(t.tax, c)}</td></tr>` : "",
    `<tr class="total"><td>Total</td><td>${money(t.total, c)}</td></tr>`,
    t.tax && inclusive ? `<tr><td class="muted">Includes tax</td><td class="muted">${money(t.tax, c)}</td></tr>` : "",
  ].join("");
  return `<ul class="lines">${lines}</ul><table class="totals"><caption class="sr-only">Order totals</caption>${rows}</table>`;
}

function couponBlock(co: CheckoutView, base: string, s: FormState) {
  if (co.coupon_code && !co.coupon_problem)
    return `<h2>Discount code</h2><p><span class="badge">${esc(co.coupon_code)}</span> applied
<button class="link" type="submit" formaction="${base}/coupon/remove" formnovalidate aria-label="Remove discount code ${esc(co.coupon_code)}">Remove</button></p>`;
  const err =
    s.errors?.coupon_code ??
    (co.coupon_code && co.coupon_problem ? `${co.coupon_code}: ${co.coupon_message ?? couponText(co.coupon_problem)}` : null);
  return `<h2>Discount code</h2><div class="inline"><div><label for="f-coupon_code" class="sr-only">Discount code</label><input id="f-coupon_code" name="coupon_code" value="${esc(
    s.values?.coupon_code ?? "",
  )}" autocomplete="off" autocapitalize="characters" maxlength="40" placeholder="Discount code"${
    err ? ' aria-invalid="true" aria-describedby="f-coupon_code-err"' : ""
  }></div><button class="secondary" type="submit" formaction="${base}/coupon" formnovalidate>Apply</button></div>${
    err ? `<p class="err" id="f-coupon_code-err" role="alert">${esc(err)}</p>` : ""
  }`;
}

function shippingBlock(co: CheckoutView, s: FormState) {
  if (!co.shipping_address)
    return `<fieldset><legend>Delivery</legend><p class="muted">Enter your address to see the delivery options.</p></fieldset>`;
  if (!co.shipping_options.length)
    return `<fieldset><legend>Delivery</legend><p class="alert" role="alert">We cannot deliver to this address. Check the country, or choose another address.</p></fieldset>`;
  const chosen = s.values?.shipping_rate_id ?? co.shipping_rate_id ?? co.shipping_options[0]?.id;
  return `<fieldset><legend>Delivery</legend>${co.shipping_options
    .map(
      (o) =>
        `<label class="radio"><input type="radio" name="shipping_rate_id" value="${esc(o.id)}"${o.id === chosen ? " checked" : ""}><span>${esc(o.name)}</span><strong>${
          o.amount ? money(o.amount, co.currency) : "Free"
        }</strong></label>`,
    )
    .join("")}</fieldset>`;
}

function minutesLeft(expiresAt: string, now: number) {
  const m = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 60_000));
  return m <= 1 ? "less than a minute" : `${m} minutes`;
}

/** The checkout form: works as plain posts; every submit saves what was typed first. */
export function checkoutPage(shop: Shop, co: CheckoutView, thumbs: Record<string, string>, s: FormState = {}, now = Date.now()) {
  const base = `/checkout/${esc(shop.slug)}/${esc(co.id)}`;
  const a = co.shipping_address;
  const ships = requiresShipping(co);
  const address = ships
    ? `<h2>Shipping address</h2>
${field(s, "name", "Full name", a?.name ?? "", { autocomplete: "name", required: true })}
${field(s, "line1", "Address", a?.line1 ?? "", { autocomplete: "address-line1", required: true })}
${field(s, "line2", "Apartment, suite, etc.", a?.line2 ?? "", { autocomplete: "address-line2", optional: true })}
<div class="row2"><div>${field(s, "city", "City", a?.city ?? "", { autocomplete: "address-level2", required: true })}</div><div>${field(
        s,
        "postal_code",
        "Postal code",
        a?.postal_code ?? "",
        { autocomplete: "postal-code", required: true, max: 20 },
      )}</div></div>
<div class="row2"><div>${countrySelect(s, a?.country ?? "")}</div><div>${field(s, "region", "State / region", a?.region ?? "", {
        autocomplete: "address-level1",
        optional: true,
        max: 3,
      })}</div></div>
${field(s, "phone", "Phone", a?.phone ?? "", { type: "tel", autocomplete: "tel", optional: true, max: 30 })}
<button class="secondary" type="submit" formaction="${base}/details">Update delivery and totals</button>
${shippingBlock(co, s)}`
    : `<button class="secondary" type="submit" formaction="${base}/details">Save</button>`;
  // Paying saves the form first, so an address typed but not yet "updated" is fine; only a known
  // address that no shipping rate covers stops payment.
  const canPay = !(ships && co.shipping_address && co.shipping_options.length === 0);
  const pay = co.providers.length
    ? co.providers
        .map(
          (p) =>
            `<button type="submit" formaction="${base}/pay" name="provider" value="${esc(p)}"${canPay ? "" : " disabled"}>${esc(
              PROVIDER_LABEL[p] ?? `Pay with ${p}`,
            )} · ${money(co.totals.total, co.currency)}</button>`,
        )
        .join("")
    : `<p class="alert" role="alert">This shop cannot take payments right now. Please try again later.</p>`;
  const body = `<h1 class="sr-only">Checkout</h1><div class="grid">
<section class="card summary" aria-labelledby="sum-h"><h2 id="sum-h">Order summary</h2>${summary(co, thumbs)}</section>
<section class="card" aria-labelledby="det-h"><form method="post" action="${base}/details" novalidate>
${alert(s.message)}${notice(s.notice ?? (co.status === "paying" ? "Your payment was started but not completed. Choose a payment method to try again; your details are kept as they were." : null))}
<fieldset class="details"${co.status === "paying" ? " disabled" : ""}><h2 id="det-h">Contact</h2>
${field(s, "email", "Email", co.email ?? "", { type: "email", autocomplete: "email", inputmode: "email", required: true, max: 254 })}
<p class="muted">Your receipt${ships ? " and shipping updates" : " and download links"} go here.</p>
${address}
${couponBlock(co, base, s)}</fieldset>
<h2>Payment</h2>${pay}
<p class="muted">Your items are held for ${minutesLeft(co.expires_at, now)}.</p>
</form></section></div>`;
  return page(shop, "Checkout", body, { testMode: co.providers.includes("simulator") });
}
