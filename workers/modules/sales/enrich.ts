import { providerFetch } from "../billing";
import type { Env } from "../../platform/env";
import { companyNameFromDomain } from "./domains";

/**
 * Company enrichment: an adapter fills what it knows about a domain. Which runs: `clearbit` (the
 * Clearbit Company API, https://company.clearbit.com/v2/companies/find?domain=…, Bearer key) when
 * CLEARBIT_API_KEY is set, else `local-domain`, which only derives a name from the domain and
 * fills nothing it cannot know. Provider HTTP goes through billing's `providerFetch` so tests
 * route it to a local fake.
 */
export interface Enrichment {
  name?: string;
  industry?: string;
  employees?: number;
  country?: string;
}
export interface Enricher {
  name: string;
  enrich(domain: string): Promise<Enrichment>;
}

export const localDomainEnricher: Enricher = {
  name: "local-domain",
  enrich: async (domain) => ({ name: companyNameFromDomain(domain) }),
};

export const CLEARBIT_BASE = "https://company.clearbit.com";

/** Clearbit's Company API wire format: `{ name, category: { industry }, metrics: { employees }, geo: { countryCode } }`; 404 = unknown. */
export function clearbitEnricher(apiKey: string, base = CLEARBIT_BASE): Enricher {
  return {
    name: "clearbit",
    async enrich(domain) {
      const res = await providerFetch(`${base}/v2/companies/find?domain=${encodeURIComponent(domain)}`, {
        headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" },
      });
      if (res.status === 404 || res.status === 202) return localDomainEnricher.enrich(domain); // unknown or queued: no data yet
      if (!res.ok) throw new Error(`clearbit: HTTP ${res.status}`);
      const body = (await res.json()) as {
        name?: string | null;
        category?: { industry?: string | null } | null;
        metrics?: { employees?: number | null } | null;
        geo?: { countryCode?: string | null } | null;
      };
      const out: Enrichment = { name: body.name || companyNameFromDomain(domain) };
      if (body.category?.industry) out.industry = body.category.industry;
      if (typeof body.metrics?.employees === "number") out.employees = body.metrics.employees;
      if (body.geo?.countryCode) out.country = body.geo.countryCode.toUpperCase();
      return out;
    },
  };
}

/** Optional vars (not in platform Env: only this adapter reads them). */
export type EnrichEnv = { CLEARBIT_API_KEY?: string; CLEARBIT_BASE_URL?: string };

/** The enricher this deployment runs (see the module comment). */
export function enricherFor(env: Env): Enricher {
  const vars = env as Env & EnrichEnv;
  return vars.CLEARBIT_API_KEY ? clearbitEnricher(vars.CLEARBIT_API_KEY, vars.CLEARBIT_BASE_URL || CLEARBIT_BASE) : localDomainEnricher;
}

/** Enrichment never blocks a write: a failing provider falls back to the local name. */
export async function enrichSafely(enricher: Enricher, domain: string): Promise<Enrichment & { by: string }> {
  try {
    return { ...(await enricher.enrich(domain)), by: enricher.name };
  } catch {
    return { ...(await localDomainEnricher.enrich(domain)), by: localDomainEnricher.name };
  }
}
