import type { ScoreLine } from "../../../schema/sales";
import { SIZE_BANDS, type IcpDefinition, type SizeBand, type TraitWeights } from "../../../schema/sales-scoring";
import { REGION_GROUPS } from "./scoring.regions";

/**
 * Lead scoring, pure (no I/O): a lead (+ its company) → the traits it has → points per trait from the
 * ICP's weights → a 0–100 score with the lines that explain it. The lines' points always sum to the
 * unclamped score; the stored score is that sum clamped to 0–100. An excluded lead, or one missing a
 * required trait, scores 0: its lines show what it would have scored and one last line taking it back.
 */

/** The fields of a lead scoring reads (a `sales_leads` row satisfies it). */
export interface ScorableLead {
  email: string | null;
  title: string | null;
  phone: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  region: string | null;
  linkedinUrl: string | null;
  tags: string[];
  opens: number;
  replies: number;
  siteVisits: number;
  unsubscribedAt: number | null;
  bouncedAt: number | null;
}
/** The company fields that fill a lead's gaps (a `sales_companies` row satisfies it). */
export interface ScorableCompany {
  domain: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  region: string | null;
}

/** Binary fit traits, then counted engagement traits. These are the keys of `TraitWeights` and the refit's features. */
export const FIT_TRAITS = ["industry", "size", "title", "region", "has_phone", "has_email", "has_linkedin"] as const;
export const ENGAGEMENT_TRAITS = ["engagement:open", "engagement:reply", "engagement:site_visit"] as const;
export const TRAITS = [...FIT_TRAITS, ...ENGAGEMENT_TRAITS] as const;
export type Trait = (typeof TRAITS)[number];
export const isTrait = (k: string): k is Trait => (TRAITS as readonly string[]).includes(k);

/** Traits `required` may name. */
export const REQUIRABLE = FIT_TRAITS;
/** `excluded` entries: a flag, or `<field>:<value>`. */
export const EXCLUDE_FLAGS = ["unsubscribed", "bounced"] as const;
export const EXCLUDE_FIELDS = ["industry", "country", "region", "domain", "title", "size", "tag"] as const;

export const DEFAULT_CAPS = { open: 5, site_visit: 5 } as const;

/** The hand-set starting weights: points for having a trait (for opens and visits: per one, up to the cap). */
export const DEFAULT_WEIGHTS: Record<Trait, number> = {
  industry: 25,
  size: 20,
  title: 25,
  region: 10,
  has_phone: 5,
  has_email: 0,
  has_linkedin: 0,
  "engagement:open": 2,
  "engagement:reply": 15,
  "engagement:site_visit": 3,
};

export const DEFAULT_DEFINITION: IcpDefinition = {
  industries: [],
  sizes: [],
  titles: [],
  regions: [],
  required: [],
  excluded: [],
  engagementCaps: { ...DEFAULT_CAPS },
};

/** Head count → size band. */
export function sizeBand(employees: number | null | undefined): SizeBand | null {
  if (employees === null || employees === undefined || !Number.isFinite(employees) || employees < 1) return null;
  if (employees <= 10) return "1-10";
  if (employees <= 50) return "11-50";
  if (employees <= 200) return "51-200";
  if (employees <= 1000) return "201-1000";
  if (employees <= 5000) return "1001-5000";
  return "5000+";
}
export const isSizeBand = (s: string): s is SizeBand => (SIZE_BANDS as readonly string[]).includes(s);

/** Lower-case words (letters and digits); "Sr. VP, Sales & Ops" → ["sr", "vp", "sales", "ops"]. */
export function words(s: string | null | undefined): string[] {
  return (
    (s ?? "")
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}
/** Whether `phrase`'s words occur as consecutive whole words of `text` ("vp" is in "VP Sales", not in "MVP"). */
export function containsPhrase(text: string | null | undefined, phrase: string): boolean {
  const t = words(text);
  const p = words(phrase);
  if (!p.length || p.length > t.length) return false;
  outer: for (let i = 0; i + p.length <= t.length; i++) {
    for (let j = 0; j < p.length; j++) if (t[i + j] !== p[j]) continue outer;
    return true;
  }
  return false;
}

const norm = (s: string | null | undefined) => (s ?? "").trim().toLowerCase();

function regionMatches(icpRegion: string, country: string | null, region: string | null): boolean {
  const r = norm(icpRegion);
  const c = norm(country);
  if (c && r === c) return true;
  if (region && norm(region) === r) return true;
  const group = REGION_GROUPS[r];
  return !!(c && group?.includes(c.toUpperCase()));
}

/** What scoring sees of a lead: its own fields, gaps filled from its company. */
export interface LeadFacts {
  email: string | null;
  title: string | null;
  phone: string | null;
  domain: string | null;
  industry: string | null;
  size: SizeBand | null;
  country: string | null;
  region: string | null;
  linkedin: boolean;
  tags: string[];
  opens: number;
  replies: number;
  siteVisits: number;
  unsubscribed: boolean;
  bounced: boolean;
}
export function leadFacts(lead: ScorableLead, company: ScorableCompany | null): LeadFacts {
  const emailDomain = lead.email?.includes("@") ? lead.email.split("@").pop() : null;
  return {
    email: lead.email,
    title: lead.title,
    phone: lead.phone?.trim() ? lead.phone : null,
    domain: norm(lead.domain || company?.domain || emailDomain) || null,
    industry: lead.industry || company?.industry || null,
    size: sizeBand(lead.employees ?? company?.employees),
    country: lead.country || company?.country || null,
    region: lead.region || company?.region || null,
    linkedin: !!lead.linkedinUrl?.trim(),
    tags: lead.tags ?? [],
    opens: Math.max(0, lead.opens || 0),
    replies: Math.max(0, lead.replies || 0),
    siteVisits: Math.max(0, lead.siteVisits || 0),
    unsubscribed: lead.unsubscribedAt !== null && lead.unsubscribedAt !== undefined,
    bounced: lead.bouncedAt !== null && lead.bouncedAt !== undefined,
  };
}

/** One fit trait the lead has, with the human reason (the ICP entry it matched). */
interface FitHit {
  trait: (typeof FIT_TRAITS)[number];
  label: string;
}
function fitHits(f: LeadFacts, icp: IcpDefinition): FitHit[] {
  const hits: FitHit[] = [];
  const industry = f.industry ? icp.industries.find((i) => norm(i) === norm(f.industry) || containsPhrase(f.industry, i)) : undefined;
  if (industry) hits.push({ trait: "industry", label: `Industry is ${f.industry} (ICP: ${industry})` });
  if (f.size && icp.sizes.includes(f.size)) hits.push({ trait: "size", label: `Company size ${f.size} employees` });
  const title = f.title ? icp.titles.find((t) => containsPhrase(f.title, t)) : undefined;
  if (title) hits.push({ trait: "title", label: `Title "${f.title}" matches "${title}"` });
  const region = icp.regions.find((r) => regionMatches(r, f.country, f.region));
  if (region) hits.push({ trait: "region", label: `Located in ${[f.region, f.country].filter(Boolean).join(", ")} (ICP: ${region})` });
  if (f.phone) hits.push({ trait: "has_phone", label: "Has a phone number" });
  if (f.email) hits.push({ trait: "has_email", label: "Has an email address" });
  if (f.linkedin) hits.push({ trait: "has_linkedin", label: "Has a LinkedIn profile" });
  return hits;
}

const caps = (icp: IcpDefinition) => ({
  open: icp.engagementCaps?.open ?? DEFAULT_CAPS.open,
  site_visit: icp.engagementCaps?.site_visit ?? DEFAULT_CAPS.site_visit,
});

/** How many of a counted trait count (opens, visits up to their caps; a reply counts once). */
export function engagementCounts(f: LeadFacts, icp: IcpDefinition): Record<(typeof ENGAGEMENT_TRAITS)[number], { n: number; cap: number }> {
  const c = caps(icp);
  return {
    "engagement:open": { n: Math.min(f.opens, c.open), cap: c.open },
    "engagement:reply": { n: Math.min(f.replies, 1), cap: 1 },
    "engagement:site_visit": { n: Math.min(f.siteVisits, c.site_visit), cap: c.site_visit },
  };
}

/** The excluded entry that rules this lead out, if any. */
export function exclusionHit(f: LeadFacts, icp: IcpDefinition): { entry: string; label: string } | null {
  for (const entry of icp.excluded) {
    const e = entry.trim();
    if (e === "unsubscribed" && f.unsubscribed) return { entry, label: "Excluded: unsubscribed" };
    if (e === "bounced" && f.bounced) return { entry, label: "Excluded: email bounced" };
    const i = e.indexOf(":");
    if (i < 0) continue;
    const field = e.slice(0, i);
    const value = e.slice(i + 1);
    const nv = norm(value);
    const hit =
      (field === "industry" && !!f.industry && (norm(f.industry) === nv || containsPhrase(f.industry, value))) ||
      (field === "country" && norm(f.country) === nv) ||
      (field === "region" && regionMatches(value, f.country, f.region)) ||
      (field === "domain" && !!f.domain && (f.domain === nv || f.domain.endsWith(`.${nv}`))) ||
      (field === "title" && containsPhrase(f.title, value)) ||
      (field === "size" && f.size === value) ||
      (field === "tag" && f.tags.some((t) => norm(t) === nv));
    if (hit) return { entry, label: `Excluded: ${field} is ${value}` };
  }
  return null;
}

export interface ScoreResult {
  score: number; // 0–100
  unclamped: number; // the sum of the lines
  lines: ScoreLine[];
  /** "excluded" / "missing_required" when the score was forced to 0. */
  zeroedBy: "excluded" | "missing_required" | null;
}

const weightOf = (w: TraitWeights, t: Trait) => (Number.isFinite(w[t]) ? w[t] : (DEFAULT_WEIGHTS[t] ?? 0));

/** Score a lead under an ICP and weights. Pure; the lines sum to `unclamped`. */
export function scoreLead(lead: ScorableLead, company: ScorableCompany | null, icp: IcpDefinition, weights: TraitWeights): ScoreResult {
  const f = leadFacts(lead, company);
  const lines: ScoreLine[] = [];
  const hits = fitHits(f, icp);
  for (const h of hits) {
    const points = weightOf(weights, h.trait);
    if (points !== 0) lines.push({ trait: h.trait, label: h.label, points });
  }
  const eng = engagementCounts(f, icp);
  const engLabel = {
    "engagement:open": (_n: number, per: number, cap: number) =>
      `Opened ${f.opens} email${f.opens === 1 ? "" : "s"} (${per} each, up to ${cap} counted)`,
    "engagement:reply": () => `Replied${f.replies > 1 ? ` ${f.replies} times` : ""}`,
    "engagement:site_visit": (_n: number, per: number, cap: number) =>
      `Visited the site ${f.siteVisits} time${f.siteVisits === 1 ? "" : "s"} (${per} each, up to ${cap} counted)`,
  } as const;
  for (const t of ENGAGEMENT_TRAITS) {
    const { n, cap } = eng[t];
    const per = weightOf(weights, t);
    if (n > 0 && per !== 0) lines.push({ trait: t, label: engLabel[t](n, per, cap), points: per * n });
  }
  let sum = lines.reduce((s, l) => s + l.points, 0);

  const excluded = exclusionHit(f, icp);
  const has = new Set<string>(hits.map((h) => h.trait));
  const missing = icp.required.find((r) => !has.has(r));
  let zeroedBy: ScoreResult["zeroedBy"] = null;
  if (excluded) {
    lines.push({ trait: `excluded:${excluded.entry}`, label: excluded.label, points: -sum });
    zeroedBy = "excluded";
  } else if (missing) {
    lines.push({ trait: `required:${missing}`, label: `Required trait missing: ${REQUIRED_LABEL[missing] ?? missing}`, points: -sum });
    zeroedBy = "missing_required";
  }
  if (zeroedBy) sum = 0;
  return { score: Math.max(0, Math.min(100, Math.round(sum))), unclamped: sum, lines, zeroedBy };
}

const REQUIRED_LABEL: Record<string, string> = {
  industry: "industry in the ICP",
  size: "company size in the ICP",
  title: "title matching the ICP",
  region: "region in the ICP",
  has_phone: "a phone number",
  has_email: "an email address",
  has_linkedin: "a LinkedIn profile",
};

/**
 * The refit's feature vector: 1/0 per fit trait, and for counted traits the share of the cap reached
 * (0–1), so a coefficient is "log-odds of having the trait fully". Same order as TRAITS.
 */
export function traitVector(lead: ScorableLead, company: ScorableCompany | null, icp: IcpDefinition): number[] {
  const f = leadFacts(lead, company);
  const has = new Set<string>(fitHits(f, icp).map((h) => h.trait));
  const eng = engagementCounts(f, icp);
  return TRAITS.map((t) => {
    if (t === "engagement:open" || t === "engagement:reply" || t === "engagement:site_visit")
      return eng[t].cap > 0 ? eng[t].n / eng[t].cap : 0;
    return has.has(t) ? 1 : 0;
  });
}

/** How many units a trait counts at most (1 for fit traits): its full points are weight × this. */
export function traitCap(t: Trait, icp: IcpDefinition): number {
  const c = caps(icp);
  if (t === "engagement:open") return c.open;
  if (t === "engagement:site_visit") return c.site_visit;
  return 1;
}

/** Every trait with its weight (missing keys → defaults). */
export function fullWeights(w: TraitWeights): Record<Trait, number> {
  return Object.fromEntries(TRAITS.map((t) => [t, weightOf(w, t)])) as Record<Trait, number>;
}
