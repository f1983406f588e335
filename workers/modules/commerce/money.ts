/**
 * Money in integer minor units (cents, yen, fils) with an ISO 4217 code. Nothing in commerce holds
 * an amount as a float: decimals appear only at the edges (CSV import/export, display), converted
 * here with the currency's exponent.
 */

const ZERO_DECIMAL = new Set([
  "BIF",
  "CLP",
  "DJF",
  "GNF",
  "ISK",
  "JPY",
  "KMF",
  "KRW",
  "PYG",
  "RWF",
  "UGX",
  "UYI",
  "VND",
  "VUV",
  "XAF",
  "XOF",
  "XPF",
]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** Upper bound for any single amount (a unit price, a coupon's amount off): 10^12 minor units. */
export const MAX_AMOUNT = 1_000_000_000_000;

/** Digits after the decimal point of the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyExponent(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** "19.99" (USD) → 1999; null when it is not a non-negative decimal with at most the currency's decimals. */
export function parseMajor(value: string, currency: string): number | null {
  const exp = currencyExponent(currency);
  const m = /^(\d{1,13})(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return null;
  const [, whole, frac = ""] = m as unknown as [string, string, string | undefined];
  if (frac.length > exp) return null;
  const n = Number(whole) * 10 ** exp + (frac ? Number(frac.padEnd(exp, "0")) : 0);
  return Number.isSafeInteger(n) && n <= MAX_AMOUNT ? n : null;
}

/** 1999 (USD) → "19.99"; 500 (JPY) → "500". */
export function formatMajor(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === 0) return String(amount);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  const s = String(abs).padStart(exp + 1, "0");
  return `${sign}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

/**
 * round(a × num / den), half up (away from zero; all inputs here are ≥ 0), in exact integer
 * arithmetic (BigInt: a line of 999 units at 10^12 times a rate in ppm overflows 2^53).
 */
export function mulDivRound(a: number, num: number, den: number): number {
  if (den <= 0) throw new RangeError("den must be positive");
  const n = BigInt(a) * BigInt(num);
  const d = BigInt(den);
  return Number((2n * n + d) / (2n * d));
}

/**
 * Splits `total` into integers proportional to `weights` that sum exactly to `total` (largest
 * remainder method: everyone gets the floor, the leftover units go one each to the largest
 * remainders, ties to the earlier line). All-zero weights → all to the first.
 */
export function allocate(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const shares = weights.map((w, i) => {
    const exact = BigInt(total) * BigInt(w);
    const floor = exact / BigInt(sum);
    return { i, floor: Number(floor), rem: exact - floor * BigInt(sum) };
  });
  let left = total - shares.reduce((s, x) => s + x.floor, 0);
  const byRem = [...shares].sort((x, y) => (y.rem > x.rem ? 1 : y.rem < x.rem ? -1 : x.i - y.i));
  const out = shares.map((x) => x.floor);
  for (const x of byRem) {
    if (left <= 0) break;
    out[x.i] = (out[x.i] ?? 0) + 1;
    left--;
  }
  return out;
}
