// The demo workspace's shop (modules/commerce, part 1): a small pottery catalogue in two
// collections — mugs and bowls with glaze variants, a physical gift box and a digital glazing
// guide — priced in USD and EUR (integer minor units), with stock; tax rates (New York exclusive,
// Germany VAT inclusive), shipping rates (flat with free-over, by weight), two coupons and the
// shop's settings. Fixed ids and ON CONFLICT DO NOTHING: a re-seed changes nothing. The FTS index
// fills itself from the products' triggers. The order history (part 2) is in commerce-orders.mjs, the
// subscriptions (part 3) in commerce-subscriptions.mjs.
import { commerceOrdersSql } from "./commerce-orders.mjs";
import { commerceSubscriptionsSql } from "./commerce-subscriptions.mjs";
import { insert, raw, TENANT } from "./sql.mjs";

const DAY = 86_400_000;
const T = raw(TENANT);
const GLAZES = ["Celadon", "Tenmoku", "Shino"];

/** [id suffix, title, description, type, weight g, collection, [sku stem, USD, EUR, stock per glaze] or single variant] */
const PRODUCTS = [
  [
    "everyday_mug",
    "Everyday mug",
    "A 350 ml wheel-thrown stoneware mug with a generous handle. Dishwasher safe.",
    "physical",
    380,
    "mugs",
    ["MUG-EVD", 2800, 2600, [12, 4, 0]],
  ],
  [
    "espresso_cup",
    "Espresso cup",
    "A small 90 ml cup for a single shot, thrown thin and light.",
    "physical",
    150,
    "mugs",
    ["CUP-ESP", 1800, 1700, [20, 15, 8]],
  ],
  [
    "ramen_bowl",
    "Ramen bowl",
    "A deep 1 l bowl with a wide rim, for noodles and soup.",
    "physical",
    720,
    "bowls",
    ["BWL-RMN", 4200, 3900, [6, 6, 2]],
  ],
  [
    "salad_bowl",
    "Serving bowl",
    "A 28 cm serving bowl for salads and sharing plates.",
    "physical",
    1600,
    "bowls",
    ["BWL-SRV", 9500, 8900, [3, 1, 2]],
  ],
  [
    "gift_box",
    "Gift box: two mugs",
    "Two everyday mugs in Celadon and Shino, boxed with a handwritten card.",
    "physical",
    900,
    "mugs",
    null,
  ],
  [
    "glaze_guide",
    "Glazing guide (PDF)",
    "Our studio's glaze recipes and firing notes, 48 pages. Delivered as a download after payment.",
    "digital",
    null,
    null,
    null,
  ],
];

export function commerceSql({ now }) {
  const created = now - 60 * DAY;
  const products = [];
  const variants = [];
  const prices = [];
  const links = [];
  PRODUCTS.forEach(([id, title, description, type, weight, collection, spec], i) => {
    const productId = `prod_demo_${id}`;
    const at = created + i * DAY;
    const rows = spec
      ? GLAZES.map((glaze, g) => ({
          sku: `${spec[0]}-${glaze.slice(0, 3).toUpperCase()}`,
          options: { Glaze: glaze },
          title: glaze,
          usd: spec[1],
          eur: spec[2],
          stock: spec[3][g],
        }))
      : [
          {
            sku: id === "gift_box" ? "GIFT-MUG-2" : "GUIDE-GLAZE-PDF",
            options: {},
            title: "Default",
            usd: id === "gift_box" ? 5200 : 1500,
            eur: id === "gift_box" ? 4900 : 1400,
            stock: id === "gift_box" ? 5 : 0,
          },
        ];
    products.push({
      tenant_id: T,
      id: productId,
      title,
      slug: title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, ""),
      description,
      status: "active",
      type,
      digital_file_id: null,
      images: [],
      options: spec ? ["Glaze"] : [],
      weight_grams: weight,
      keywords: rows.map((r) => [r.sku, ...Object.values(r.options)].join(" ")).join(" "),
      created_at: at,
      updated_at: at,
    });
    rows.forEach((r, position) => {
      const variantId = `var_demo_${id}_${position}`;
      variants.push({
        tenant_id: T,
        id: variantId,
        product_id: productId,
        title: r.title,
        sku: r.sku,
        options: r.options,
        position,
        weight_grams: null,
        track_inventory: type === "physical",
        on_hand: r.stock,
        reserved: 0,
        created_at: at,
        updated_at: at,
      });
      for (const [currency, amount] of [
        ["USD", r.usd],
        ["EUR", r.eur],
      ])
        prices.push({ tenant_id: T, variant_id: variantId, currency, product_id: productId, amount, compare_at_amount: null });
    });
    if (collection) links.push({ tenant_id: T, collection_id: `col_demo_${collection}`, product_id: productId, created_at: at });
  });
  return [
    insert("commerce_settings", [
      { tenant_id: T, currencies: ["USD", "EUR"], default_currency: "USD", reservation_minutes: 15, updated_at: created },
    ]),
    insert("commerce_collections", [
      {
        tenant_id: T,
        id: "col_demo_mugs",
        title: "Mugs & cups",
        slug: "mugs",
        description: "For coffee, tea and everything between.",
        created_at: created,
        updated_at: created,
      },
      {
        tenant_id: T,
        id: "col_demo_bowls",
        title: "Bowls",
        slug: "bowls",
        description: "Deep, wide and serving bowls.",
        created_at: created,
        updated_at: created,
      },
    ]),
    insert("commerce_products", products),
    insert("commerce_variants", variants),
    insert("commerce_variant_prices", prices),
    insert("commerce_product_collections", links),
    insert("commerce_tax_rates", [
      {
        tenant_id: T,
        id: "txr_demo_us_ny",
        country: "US",
        region: "NY",
        name: "NY sales tax",
        rate_ppm: 88_750,
        inclusive: false,
        applies_to_shipping: false,
        created_at: created,
        updated_at: created,
      },
      {
        tenant_id: T,
        id: "txr_demo_de",
        country: "DE",
        region: "",
        name: "MwSt.",
        rate_ppm: 190_000,
        inclusive: true,
        applies_to_shipping: true,
        created_at: created,
        updated_at: created,
      },
    ]),
    insert("commerce_shipping_rates", [
      {
        tenant_id: T,
        id: "shr_demo_us_flat",
        name: "Standard (US)",
        currency: "USD",
        countries: ["US"],
        kind: "flat",
        amount: 600,
        weight_bands: [],
        free_over_amount: 7500,
        active: true,
        created_at: created,
        updated_at: created,
      },
      {
        tenant_id: T,
        id: "shr_demo_eu_post",
        name: "DHL Paket",
        currency: "EUR",
        countries: ["DE", "AT", "FR", "NL"],
        kind: "weight",
        amount: 0,
        weight_bands: [
          { up_to_grams: 1000, amount: 590 },
          { up_to_grams: 5000, amount: 990 },
          { up_to_grams: 20000, amount: 1790 },
        ],
        free_over_amount: null,
        active: true,
        created_at: created,
        updated_at: created,
      },
    ]),
    insert("commerce_coupons", [
      {
        tenant_id: T,
        id: "cpn_demo_welcome",
        code: "WELCOME10",
        name: "10 % off a first order",
        kind: "percent",
        percent_off_bps: 1000,
        amount_off: null,
        currency: null,
        applies_to: "order",
        product_ids: [],
        min_subtotal: null,
        starts_at: null,
        ends_at: null,
        first_order_only: true,
        max_redemptions: null,
        max_per_customer: 1,
        redeemed_count: 0,
        active: true,
        created_at: created,
        updated_at: created,
      },
      {
        tenant_id: T,
        id: "cpn_demo_bowls",
        code: "BOWLS5",
        name: "$5 off bowls over $40",
        kind: "amount",
        percent_off_bps: null,
        amount_off: 500,
        currency: "USD",
        applies_to: "products",
        product_ids: ["prod_demo_ramen_bowl", "prod_demo_salad_bowl"],
        min_subtotal: 4000,
        starts_at: created,
        ends_at: now + 30 * DAY,
        first_order_only: false,
        max_redemptions: 100,
        max_per_customer: null,
        redeemed_count: 0,
        active: true,
        created_at: created,
        updated_at: created,
      },
    ]),
    commerceOrdersSql({ now, products: PRODUCTS, glazes: GLAZES }),
    commerceSubscriptionsSql({ now }),
  ].join("\n");
}
