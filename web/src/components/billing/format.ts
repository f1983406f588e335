/** Money is integer cents from the API; bytes meters are shown in GB. */
export const usd = (cents: number) =>
  (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: cents % 100 === 0 ? 0 : 2 });
const GB = 1024 ** 3;
export function quantity(unit: string, n: number): string {
  if (unit === "bytes")
    return n >= GB
      ? `${(n / GB).toLocaleString("en-US", { maximumFractionDigits: 1 })} GB`
      : `${(n / 1024 ** 2).toLocaleString("en-US", { maximumFractionDigits: 1 })} MB`;
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
