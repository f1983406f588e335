/** Money is integer cents from the API; bytes meters in B/KB/MB/GB/TB (binary units, as the plan limits are). */
export const usd = (cents: number) =>
  (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: cents % 100 === 0 ? 0 : 2 });
const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];
export function quantity(unit: string, n: number): string {
  if (unit === "bytes") {
    // 1 GB limits stay "1 GB", a few uploaded files read "812 KB" rather than "0 MB".
    let v = n;
    let u = 0;
    while (v >= 1024 && u < BYTE_UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    return `${v.toLocaleString("en-US", { maximumFractionDigits: u === 0 || v >= 100 ? 0 : 1 })} ${BYTE_UNITS[u]}`;
  }
  return n.toLocaleString("en-US");
}
export const PLAN_LABEL: Record<string, string> = {
  free: "Free",
  starter: "Starter",
  professional: "Professional",
  enterprise: "Enterprise",
};
export const STATUS_TONE: Record<string, "success" | "warning" | "danger" | "accent" | "neutral"> = {
  active: "success",
  trialing: "accent",
  past_due: "warning",
  restricted: "danger",
  canceled: "neutral",
};
