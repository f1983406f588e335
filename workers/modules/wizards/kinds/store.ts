/**
 * Store set-up wizard: currency, tax, first product, payment provider, review. Finishing writes them
 * through commerce's `applyStoreSetup` (the services behind the commerce routes, `commerce:write`),
 * each part an upsert so a retried finish creates nothing twice.
 */
import { z } from "zod";
import { getConfig } from "../../../platform/env";
import { applyStoreSetup, type StoreSetupInput } from "../../commerce";
import type { WizardDefinition, WizardObject, WizardState, WizardStep } from "../types";

const step = <S extends z.ZodTypeAny>(s: WizardStep<S>) => s as unknown as WizardStep;
const currencyCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, "A three-letter currency code such as USD or EUR"));

const currencyStep = z.object({ currency: currencyCode });
const taxStep = z.object({
  rates: z
    .array(
      z.object({
        country: z
          .string()
          .trim()
          .transform((s) => s.toUpperCase())
          .pipe(z.string().regex(/^[A-Z]{2}$/, "A two-letter country code such as US or DE")),
        region: z
          .string()
          .trim()
          .transform((s) => s.toUpperCase())
          .pipe(z.string().regex(/^([A-Z0-9]{1,3})?$/, "A region code such as CA, or empty for the whole country"))
          .optional(),
        name: z.string().trim().min(1).max(60).optional(),
        rate_percent: z.number({ message: "Enter the rate as a percentage, e.g. 20" }).min(0).max(100),
        inclusive: z.boolean().default(false),
      }),
    )
    .max(10, "At most 10 rates here; add more on the Commerce settings page"),
});
const productStep = z
  .object({
    skip: z.boolean().default(false),
    title: z.string().trim().max(200).default(""),
    price: z.string().trim().max(20).default(""),
    description: z.string().max(2000).optional(),
    image_file_id: z.string().max(64).nullable().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.skip) return;
    if (!p.title) ctx.addIssue({ code: "custom", path: ["title"], message: "Give the product a name" });
    if (!/^\d{1,13}(\.\d{1,3})?$/.test(p.price)) ctx.addIssue({ code: "custom", path: ["price"], message: "Enter a price such as 19.99" });
  });
const paymentStep = z
  .object({
    provider: z.enum(["simulator", "stripe"]),
    secret_key: z.string().trim().max(300).optional(),
    publishable_key: z.string().trim().max(300).optional(),
    webhook_secret: z.string().trim().max(300).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.provider === "stripe" && !/^(sk|rk)_(test|live)_\w{6,}/.test(p.secret_key ?? ""))
      ctx.addIssue({ code: "custom", path: ["secret_key"], message: "A Stripe secret key starts with sk_test_ or sk_live_" });
    if (p.provider === "stripe" && p.publishable_key && !/^pk_(test|live)_/.test(p.publishable_key))
      ctx.addIssue({ code: "custom", path: ["publishable_key"], message: "A Stripe publishable key starts with pk_test_ or pk_live_" });
  });

type Answers = {
  currency?: z.infer<typeof currencyStep>;
  tax?: z.infer<typeof taxStep>;
  product?: z.infer<typeof productStep>;
  payment?: z.infer<typeof paymentStep>;
};

/** A stable SKU for the first product, from its name: a retried finish (or a re-run) updates it instead of adding another. */
export const firstProductSku = (title: string) =>
  `${
    title
      .toUpperCase()
      .normalize("NFKD")
      .replace(/[^A-Z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "PRODUCT"
  }-1`;

/** What the answers ask commerce to write. */
export function storeSetupOf(state: WizardState): StoreSetupInput {
  const a = state as Answers;
  const currency = a.currency?.currency ?? "USD";
  const p = a.product;
  const pay = a.payment;
  return {
    currency,
    tax: (a.tax?.rates ?? []).map((r) => ({
      country: r.country,
      region: r.region || undefined,
      name: r.name,
      rate_ppm: Math.round(r.rate_percent * 10_000),
      inclusive: r.inclusive,
    })),
    product:
      p && !p.skip
        ? {
            title: p.title,
            price: p.price,
            sku: firstProductSku(p.title),
            description: p.description,
            image_file_id: p.image_file_id ?? null,
          }
        : null,
    stripe:
      pay?.provider === "stripe" && pay.secret_key
        ? { secret_key: pay.secret_key, publishable_key: pay.publishable_key || null, webhook_secret: pay.webhook_secret || null }
        : null,
  };
}

export const storeWizard: WizardDefinition = {
  kind: "store",
  title: "Store set-up",
  description: "Pick your currency and tax, add a first product and connect payments, then open your store.",
  permission: "commerce:write",
  group: "Sell",
  steps: [
    step({
      id: "currency",
      title: "Currency",
      description: "Prices, carts and orders use this currency by default.",
      schema: currencyStep,
    }),
    step({
      id: "tax",
      title: "Tax",
      description: "The tax charged per destination; a region's rate wins over its country's. Leave empty to charge none.",
      schema: taxStep,
    }),
    step({
      id: "product",
      title: "First product",
      description: "One product to start selling; you can add variants, stock and more images later.",
      schema: productStep,
    }),
    step({
      id: "payment",
      title: "Payments",
      description: "Connect Stripe with your own keys, or try checkout with the local payment simulator (offline, no real money).",
      schema: paymentStep,
      status: async (ctx) => ({ ready: true, detail: { simulator_available: getConfig(ctx.env).isLocal } }),
    }),
    step({
      id: "review",
      title: "Review",
      description: "Check what will be set up; finishing creates or updates it.",
      schema: z.object({}).passthrough(),
      status: async (_ctx, state) => ({ ready: true, detail: { summary: storeSetupOf(state) as unknown as Record<string, unknown> } }),
    }),
  ],
  complete: async (ctx, state) => {
    const input = storeSetupOf(state);
    const r = await applyStoreSetup(ctx.env, ctx.db, ctx.tenantId, input, ctx.actor);
    const out: WizardObject[] = [
      { type: "commerce_settings", id: ctx.tenantId, label: `Currency ${r.currency}`, href: "/commerce/settings" },
    ];
    r.taxRateIds.forEach((id, i) => {
      const t = input.tax[i];
      out.push({
        type: "commerce_tax_rate",
        id,
        label: `Tax ${t ? `${t.country}${t.region ? `-${t.region}` : ""} ${t.rate_ppm / 10_000} %` : ""}`.trim(),
        href: "/commerce/settings",
      });
    });
    if (r.product)
      out.push({ type: "commerce_product", id: r.product.id, label: r.product.title, href: `/commerce/products/${r.product.id}` });
    out.push(
      r.stripe
        ? { type: "commerce_payment_provider", id: "stripe", label: "Stripe keys saved", href: "/commerce/settings" }
        : { type: "commerce_payment_provider", id: "simulator", label: "Payment simulator (local, offline)", href: "/commerce/settings" },
    );
    return out;
  },
};
