import type { IcpDefinition } from "./types";

export interface ExampleLead {
  industry: string;
  employees: string;
  title: string;
  country: string;
  hasPhone: boolean;
}

export function sizeBand(n: number): string {
  return n <= 10 ? "1-10" : n <= 50 ? "11-50" : n <= 200 ? "51-200" : n <= 1000 ? "201-1000" : n <= 5000 ? "1001-5000" : "5000+";
}

const wordMatch = (title: string, kw: string) => new RegExp(`\\b${kw.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").test(title);

/**
 * An estimate of how the ICP scores an example lead, for the editor's live preview: the weights of
 * the traits the example has, summed and kept within 0–100 (the server's scoring.ts is the real one;
 * it also adds engagement).
 */
export function exampleScore(icp: IcpDefinition, weights: Record<string, number>, ex: ExampleLead) {
  const lines: { label: string; points: number }[] = [];
  const add = (key: string, label: string) => {
    const w = weights[key] ?? 0;
    if (w) lines.push({ label, points: w });
  };
  const industry = ex.industry.trim().toLowerCase();
  if (industry && icp.industries.some((i) => i.toLowerCase() === industry)) add("industry", `Industry is ${ex.industry}`);
  const n = Number(ex.employees);
  if (ex.employees && Number.isFinite(n) && icp.sizes.includes(sizeBand(n))) add("size", `Company size ${sizeBand(n)}`);
  const kw = icp.titles.find((t) => ex.title && wordMatch(ex.title, t));
  if (kw) add("title", `Title matches “${kw}”`);
  const c = ex.country.trim().toUpperCase();
  if (c && icp.regions.some((r) => r.toUpperCase() === c)) add("region", `Region ${c}`);
  if (ex.hasPhone) add("has_phone", "Has a phone number");
  const excluded = icp.excluded.some((x) => {
    const [k, v = ""] = x.split(":");
    return (k === "industry" && v.toLowerCase() === industry) || (k === "country" && v.toUpperCase() === c);
  });
  const missing = icp.required.filter(
    (r) => (r === "industry" && !lines.some((l) => l.label.startsWith("Industry"))) || (r === "title" && !kw),
  );
  const sum = lines.reduce((s, l) => s + l.points, 0);
  const score = excluded || missing.length ? 0 : Math.max(0, Math.min(100, Math.round(sum)));
  return { lines, score, excluded, missing };
}
