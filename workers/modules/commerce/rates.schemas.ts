import { z } from "@hono/zod-openapi";
import { SHIPPING_KINDS } from "../../../schema/commerce";
import { amountField, currencyField, plain } from "./catalogue.schemas";

const country = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, "a two-letter ISO 3166-1 country code such as US"));
const region = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{1,3}$/, "a subdivision code such as CA (ISO 3166-2 without the country)"));

export const taxRateInput = z
  .object({
    country,
    region: region.optional().openapi({ description: "Omit for the whole country; a region's rate wins over its country's" }),
    name: plain(60).min(1).optional().openapi({ example: "VAT" }),
    rate_ppm: z.number().int().min(0).max(1_000_000).openapi({ description: "Parts per million: 20 % = 200000, 8.875 % = 88750" }),
    inclusive: z.boolean().optional().openapi({ description: "Catalogue prices for this destination already include the tax" }),
    applies_to_shipping: z.boolean().optional(),
  })
  .openapi("CommerceTaxRateInput");
export const taxRateSchema = z
  .object({
    id: z.string(),
    country: z.string(),
    region: z.string().nullable(),
    name: z.string(),
    rate_ppm: z.number().int(),
    inclusive: z.boolean(),
    applies_to_shipping: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CommerceTaxRate");

const band = z.object({ up_to_grams: z.number().int().min(1).max(1_000_000_000), amount: amountField });
export const shippingRateInput = z
  .object({
    name: plain(100).min(1),
    currency: currencyField,
    countries: z.array(country).max(250).optional().openapi({ description: "Destinations ([] or omitted = everywhere)" }),
    kind: z.enum(SHIPPING_KINDS),
    amount: amountField.optional().openapi({ description: "For a flat rate" }),
    weight_bands: z
      .array(band)
      .max(50)
      .optional()
      .openapi({ description: "For a weight rate: the first band whose up_to_grams ≥ the cart's weight" }),
    free_over_amount: amountField.nullable().optional().openapi({ description: "Free when the discounted subtotal reaches this" }),
    active: z.boolean().optional(),
  })
  .openapi("CommerceShippingRateInput");
export const shippingRateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    countries: z.array(z.string()),
    kind: z.enum(SHIPPING_KINDS),
    amount: z.number().int(),
    weight_bands: z.array(z.object({ up_to_grams: z.number().int(), amount: z.number().int() })),
    free_over_amount: z.number().int().nullable(),
    active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CommerceShippingRate");

export const settingsSchema = z
  .object({
    currencies: z
      .array(z.string().regex(/^[A-Z]{3}$/, "a three-letter upper-case ISO 4217 code"))
      .min(1)
      .max(20),
    default_currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter upper-case ISO 4217 code"),
    reservation_minutes: z.number().int().min(1).max(1440).openapi({ description: "How long a checkout holds stock" }),
  })
  .openapi("CommerceSettings");

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
