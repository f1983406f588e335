import type { CreateCommerceVariant } from "../../lib/api-types";
import { parseMajor, toMajorText, type Variant } from "./client";

/** A variant as edited: amounts as the text typed, per currency. */
export interface VariantDraft {
  key: string;
  id?: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  prices: Record<string, string>;
  weight: string;
  track: boolean;
  onHand: string;
}

let seq = 0;
export const draftKey = () => `v${++seq}`;

export function emptyDraft(options: string[], track = true): VariantDraft {
  return {
    key: draftKey(),
    sku: "",
    title: "",
    options: Object.fromEntries(options.map((o) => [o, ""])),
    prices: {},
    weight: "",
    track,
    onHand: "0",
  };
}

export function draftOf(v: Variant): VariantDraft {
  return {
    key: v.id,
    id: v.id,
    sku: v.sku,
    title: v.title,
    options: { ...v.options },
    prices: Object.fromEntries(Object.entries(v.prices).map(([c, a]) => [c, toMajorText(a, c)])),
    weight: v.weight_grams === null ? "" : String(v.weight_grams),
    track: v.inventory.tracked,
    onHand: String(v.inventory.on_hand),
  };
}

/** The API body of a draft, or the problems with it (field → message) to show before sending. */
export function draftToInput(
  d: VariantDraft,
  options: string[],
  currencies: string[],
): { input: CreateCommerceVariant; errors: null } | { input: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.sku.trim()) errors.sku = "Required";
  const prices: Record<string, number> = {};
  for (const c of currencies) {
    const a = parseMajor(d.prices[c] ?? "", c);
    if (a === null) continue;
    if (Number.isNaN(a)) errors[`price_${c}`] = "Not an amount";
    else prices[c] = a;
  }
  if (Object.keys(prices).length === 0 && !Object.keys(errors).some((k) => k.startsWith("price_")))
    errors[`price_${currencies[0] ?? "USD"}`] = "Give at least one price";
  for (const o of options) if (!d.options[o]?.trim()) errors[`option_${o}`] = "Required";
  const weight = d.weight.trim() === "" ? null : Number(d.weight);
  if (weight !== null && (!Number.isInteger(weight) || weight < 0)) errors.weight = "Whole grams";
  const onHand = Number(d.onHand || "0");
  if (!Number.isInteger(onHand) || onHand < 0) errors.onHand = "A whole number ≥ 0";
  if (Object.keys(errors).length) return { input: null, errors };
  return {
    errors: null,
    input: {
      sku: d.sku.trim(),
      title: d.title.trim() || undefined,
      options: Object.fromEntries(options.map((o) => [o, d.options[o]?.trim() ?? ""])),
      prices,
      weight_grams: weight,
      track_inventory: d.track,
      on_hand: d.track ? onHand : undefined,
    },
  };
}
