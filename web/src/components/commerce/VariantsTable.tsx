import type { ReactNode } from "react";
import { cx } from "../ui/cx";
import type { VariantDraft } from "./variant-draft";

const cell = "h-9 w-full rounded-md border border-line bg-surface px-2 text-sm aria-[invalid=true]:border-danger";

/**
 * The variants as an editable grid: one row per variant — option values, SKU, a price per
 * currency, weight, "track inventory" and on hand. Every input has an accessible name naming
 * its row ("Price USD, variant 2"); errors show under the input.
 */
export function VariantsTable({
  drafts,
  options,
  currencies,
  errors,
  onChange,
  actions,
  onHandEditable,
  disabled,
}: {
  drafts: VariantDraft[];
  options: string[];
  currencies: string[];
  errors: Record<string, Record<string, string>>;
  onChange: (key: string, patch: Partial<VariantDraft>) => void;
  actions: (d: VariantDraft, index: number) => ReactNode;
  /** On hand is typed for new variants; existing ones change through "Adjust stock". */
  onHandEditable: (d: VariantDraft) => boolean;
  disabled?: boolean;
}) {
  const err = (d: VariantDraft, f: string) => errors[d.key]?.[f];
  const input = (d: VariantDraft, i: number, field: string, label: string, value: string, set: (v: string) => void, extra = "") => (
    <div>
      <input
        aria-label={`${label}, variant ${i + 1}`}
        aria-invalid={err(d, field) ? true : undefined}
        className={cx(cell, extra)}
        value={value}
        disabled={disabled}
        onChange={(e) => set(e.target.value)}
      />
      {err(d, field) && <p className="mt-0.5 text-xs text-danger">{err(d, field)}</p>}
    </div>
  );
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">Variants</caption>
        <thead className="border-b border-line text-xs font-medium tracking-wide text-muted uppercase">
          <tr>
            {options.map((o) => (
              <th key={o} scope="col" className="px-2 py-2">
                {o}
              </th>
            ))}
            <th scope="col" className="px-2 py-2">
              SKU
            </th>
            {currencies.map((c) => (
              <th key={c} scope="col" className="px-2 py-2">
                Price {c}
              </th>
            ))}
            <th scope="col" className="px-2 py-2">
              Weight (g)
            </th>
            <th scope="col" className="px-2 py-2">
              Track
            </th>
            <th scope="col" className="px-2 py-2">
              On hand
            </th>
            <th scope="col" className="px-2 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {drafts.map((d, i) => (
            <tr key={d.key} className="align-top">
              {options.map((o) => (
                <td key={o} className="px-2 py-2">
                  {input(
                    d,
                    i,
                    `option_${o}`,
                    o,
                    d.options[o] ?? "",
                    (v) => onChange(d.key, { options: { ...d.options, [o]: v } }),
                    "min-w-20",
                  )}
                </td>
              ))}
              <td className="px-2 py-2">{input(d, i, "sku", "SKU", d.sku, (v) => onChange(d.key, { sku: v }), "min-w-28 font-mono")}</td>
              {currencies.map((c) => (
                <td key={c} className="px-2 py-2">
                  {input(
                    d,
                    i,
                    `price_${c}`,
                    `Price ${c}`,
                    d.prices[c] ?? "",
                    (v) => onChange(d.key, { prices: { ...d.prices, [c]: v } }),
                    "min-w-20 tabular-nums",
                  )}
                </td>
              ))}
              <td className="px-2 py-2">
                {input(d, i, "weight", "Weight in grams", d.weight, (v) => onChange(d.key, { weight: v }), "w-20")}
              </td>
              <td className="px-2 py-2 text-center">
                <input
                  type="checkbox"
                  aria-label={`Track inventory, variant ${i + 1}`}
                  className="mt-2.5 size-4 accent-accent"
                  checked={d.track}
                  disabled={disabled}
                  onChange={(e) => onChange(d.key, { track: e.target.checked })}
                />
              </td>
              <td className="px-2 py-2">
                {!d.track ? (
                  <span className="mt-2 block text-muted">∞</span>
                ) : onHandEditable(d) ? (
                  input(d, i, "onHand", "On hand", d.onHand, (v) => onChange(d.key, { onHand: v }), "w-20 tabular-nums")
                ) : (
                  <span className="mt-2 block tabular-nums">{d.onHand}</span>
                )}
              </td>
              <td className="px-2 py-2 whitespace-nowrap">{actions(d, i)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
