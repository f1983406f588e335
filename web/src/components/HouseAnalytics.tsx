import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../lib/api";
import { useMe } from "../lib/auth";

declare global {
  interface Window {
    weft?: { identify(id: string, traits?: Record<string, unknown>): void };
    weftSurveys?: { identify(id: string, traits?: Record<string, unknown>): void };
  }
}

/**
 * Weft measures itself with its own product: when the house workspace has a publishable key for
 * this dashboard's origin (GET /public/v1/house), the dashboard loads the same tracker (/a.js) and
 * surveys (/surveys.js: NPS prompt, feedback button) any tenant puts on its site, and identifies the
 * signed-in user. Without such a key (tenants' installs, tests) nothing is loaded.
 */
export function HouseAnalytics() {
  const me = useMe();
  const house = useQuery({
    queryKey: ["house-analytics"],
    queryFn: () => api("GET /public/v1/house", { anonymous: true, tenantId: null }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const key = house.data?.publishable_key ?? null;
  const user = me.data?.user;
  useEffect(() => {
    if (!key || !user) return;
    const identify = () => {
      window.weft?.identify(user.id, { email: user.email, name: user.name });
      window.weftSurveys?.identify(user.id, { signed_up_at: user.created_at });
    };
    for (const src of ["/a.js", "/surveys.js"]) {
      if (document.querySelector(`script[data-weft-house][src="${src}"]`)) continue;
      const s = document.createElement("script");
      s.src = src;
      s.defer = true;
      s.dataset.key = key;
      s.dataset.weftHouse = "";
      s.addEventListener("load", identify);
      document.body.appendChild(s);
    }
    identify();
  }, [key, user]);
  return null;
}
