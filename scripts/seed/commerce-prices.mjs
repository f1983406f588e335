// Prices the demo orders (scripts/seed/commerce-orders.mjs) by the rules of the pricing function
// (workers/modules/commerce/pricing.ts, docs/commerce.md): discount and tax computed once per order and
// split over the lines by largest remainder; NY sales tax exclusive, German VAT inclusive with
// shipping; US shipping $6, free over $75; German shipping by weight.

/** Variant → [product id, title, variant title, sku, type, grams, USD, EUR] (the catalogue of commerce.mjs). */
export function catalogueIndex(products, glazes) {
  const out = {};
  for (const [id, title, , type, weight, , spec] of products) {
    if (spec)
      glazes.forEach((glaze, g) => {
        out[`${id}_${g}`] = [
          `prod_demo_${id}`,
          title,
          glaze,
          `${spec[0]}-${glaze.slice(0, 3).toUpperCase()}`,
          type,
          weight,
          spec[1],
          spec[2],
        ];
      });
    else if (id === "gift_box") out[`${id}_0`] = [`prod_demo_${id}`, title, "", "GIFT-MUG-2", type, weight, 5200, 4900];
    else out[`${id}_0`] = [`prod_demo_${id}`, title, "", "GUIDE-GLAZE-PDF", type, weight ?? 0, 1500, 1400];
  }
  return out;
}

const halfUpDiv = (a, b) => Math.floor((2 * a + b) / (2 * b)); // round half up for a, b ≥ 0

/** Largest-remainder split of `amount` over `weights` (ties to the earlier one), as docs/commerce.md. */
function allocate(amount, weights) {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (!sum || !amount) return weights.map(() => 0);
  const floors = weights.map((w) => Math.floor((amount * w) / sum));
  const rems = weights.map((w, i) => ({ i, r: (amount * w) % sum }));
  let left = amount - floors.reduce((s, f) => s + f, 0);
  for (const { i } of rems.sort((a, b) => b.r - a.r || a.i - b.i)) {
    if (left-- <= 0) break;
    floors[i] += 1;
  }
  return floors;
}

/** Prices an order like the pricing function: lines, discount, shipping, tax, total. */
export function price(cat, items, currency, addressKey, coupon) {
  const eur = currency === "EUR";
  const lines = items.map(([key, quantity]) => {
    const [productId, title, variantTitle, sku, type, grams, usd, eurAmount] = cat[key];
    const unit = eur ? eurAmount : usd;
    return { key, productId, title, variantTitle, sku, type, grams, quantity, unit, subtotal: unit * quantity };
  });
  const subtotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const discount = coupon ? halfUpDiv(subtotal * 1000, 10_000) : 0;
  const discounts = allocate(
    discount,
    lines.map((l) => l.subtotal),
  );
  lines.forEach((l, i) => {
    l.discount = discounts[i];
  });
  const physical = lines.some((l) => l.type === "physical");
  const weight = lines.reduce((s, l) => s + (l.type === "physical" ? l.grams * l.quantity : 0), 0);
  let shipping = 0;
  let shippingName = null;
  if (physical && eur) {
    shipping = weight <= 1000 ? 590 : weight <= 5000 ? 990 : 1790;
    shippingName = "DHL Paket";
  } else if (physical) {
    shipping = subtotal - discount >= 7500 ? 0 : 600;
    shippingName = "Standard (US)";
  }
  let tax = 0;
  let inclusive = false;
  const goods = lines.map((l) => l.subtotal - l.discount);
  if (addressKey === "ny") tax = halfUpDiv((subtotal - discount) * 88_750, 1_000_000);
  if (addressKey === "de") {
    inclusive = true;
    tax = halfUpDiv((subtotal - discount + shipping) * 190_000, 1_190_000);
  }
  const split = allocate(tax, inclusive ? [...goods, shipping] : goods);
  lines.forEach((l, i) => {
    l.tax = split[i];
    l.total = l.subtotal - l.discount + (inclusive ? 0 : l.tax);
  });
  const total = subtotal - discount + shipping + (inclusive ? 0 : tax);
  return { lines, subtotal, discount, shipping, shippingName, tax, inclusive, total };
}
