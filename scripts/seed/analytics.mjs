// The demo workspace's product analytics (modules/analytics): 60 days of a small shop's traffic —
// ~1,800 visitors with page views (SPA paths, referrers, UTM campaigns, countries, devices),
// outbound clicks, a purchase funnel (product viewed → cart → checkout → paid) and a sign-up funnel
// (signed up → verified → activated), subscription events (trial → paid → upgrade or cancel, with revenue) for the visitors who create an account (identified, so their
// anonymous events belong to them). Deterministic (hash-based choices, fixed ids, ON CONFLICT DO
// NOTHING): a re-seed inserts nothing twice, and the rollups (kept by the insert trigger) stay exact.
import { createHash } from "node:crypto";
import { q, TENANT } from "./sql.mjs";

const DAY = 86_400_000;
const DAYS = 60;
const pick = (key, n) => createHash("sha256").update(key).digest().readUInt32BE(0) % n;
const choose = (key, list) => list[pick(key, list.length)];

const SITE = "https://democo.example";
const PATHS = ["/", "/", "/shop", "/shop", "/mugs/speckled", "/mugs/celadon", "/shipping", "/returns", "/blog/glazes"];
const SOURCES = [
  { ref: null },
  { ref: null },
  { ref: "https://www.google.com/" },
  { ref: "https://www.google.com/" },
  { ref: "https://www.instagram.com/" },
  { ref: "https://www.pinterest.com/" },
  { ref: null, utm: ["newsletter", "email", "december-drop"] },
  { ref: "https://news.ycombinator.com/" },
];
const COUNTRIES = ["US", "US", "US", "DE", "DE", "GB", "GB", "FR", "NL", "CA", "AU", "JP", "AT"];
const DEVICES = [
  ["desktop", "Chrome", "macOS"],
  ["desktop", "Chrome", "Windows"],
  ["desktop", "Firefox", "Linux"],
  ["desktop", "Safari", "macOS"],
  ["mobile", "Safari", "iOS"],
  ["mobile", "Safari", "iOS"],
  ["mobile", "Chrome", "Android"],
  ["tablet", "Safari", "iOS"],
];

/** The demo's events, as rows ready for the insert (short keys keep each statement small). */
export function demoEvents(now) {
  const today = Math.floor(now / DAY);
  const rows = [];
  const aliases = [];
  const persons = [];
  let n = 0;
  // Whole days only (yesterday and before): a re-seed later the same day must produce the same rows.
  for (let d = DAYS; d >= 1; d--) {
    // Traffic grows over the two months, with quieter weekends.
    const dow = new Date((today - d) * DAY).getUTCDay();
    const visitors = Math.round((22 + (DAYS - d) * 0.35) * (dow === 0 || dow === 6 ? 0.7 : 1));
    for (let v = 0; v < visitors; v++) {
      const key = `d${d}v${v}`;
      const anon = `anon-${key}`;
      const start = (today - d) * DAY + 7 * 3600_000 + pick(`${key}t`, 14 * 3600_000);
      const src = choose(`${key}s`, SOURCES);
      const [device, browser, os] = choose(`${key}dv`, DEVICES);
      const country = choose(`${key}c`, COUNTRIES);
      const session = `s-${key}`;
      let t = start;
      let person = anon;
      const add = (name, path, props = {}, first = false) => {
        const ref = first ? src.ref : null;
        rows.push({
          i: `seed-ev-${key}-${n++}`,
          n: name,
          d: person === anon ? anon : person,
          p: person,
          t,
          s: session,
          pa: path,
          r: ref ? new URL(ref).hostname.replace(/^www\./, "") : null,
          us: first && src.utm ? src.utm[0] : null,
          um: first && src.utm ? src.utm[1] : null,
          uc: first && src.utm ? src.utm[2] : null,
          c: country,
          dv: device,
          b: browser,
          o: os,
          pr: JSON.stringify({ $current_url: `${SITE}${path}`, ...(ref ? { $referrer: ref } : {}), $session_id: session, ...props }),
        });
        t += 20_000 + pick(`${key}${n}gap`, 90_000);
      };
      const pages = 1 + pick(`${key}np`, 4);
      for (let i = 0; i < pages; i++) add("$pageview", choose(`${key}p${i}`, PATHS), {}, i === 0);
      if (pick(`${key}out`, 10) === 0) add("$outbound_click", "/blog/glazes", { href: "https://example.com/ceramics-guide" });
      // Purchase funnel: each step loses some people.
      if (pick(`${key}f1`, 100) < 45) {
        add("product_viewed", "/mugs/speckled", { product: "speckled-mug" });
        if (pick(`${key}f2`, 100) < 40) {
          add("cart_added", "/mugs/speckled", { product: "speckled-mug", price_cents: 3400 });
          if (pick(`${key}f3`, 100) < 60) {
            add("checkout_started", "/checkout");
            if (pick(`${key}f4`, 100) < 70) add("order_paid", "/checkout/thanks", { amount_cents: 3400 + 600 * pick(`${key}q`, 3) });
          }
        }
      }
      // Sign-up funnel: an account, identified from then on (the anonymous events move to the user).
      if (pick(`${key}su`, 100) < 12) {
        const user = `user-${key}`;
        const plan = choose(`${key}plan`, ["free", "free", "starter", "pro"]);
        aliases.push({ a: anon, u: user });
        persons.push({
          id: user,
          tr: JSON.stringify({ email: `${user}@customers.example`, plan, signed_up_at: new Date(t).toISOString() }),
          t,
        });
        person = user;
        for (const r of rows) if (r.p === anon) r.p = user;
        add("$identify", "/signup", { $anon_distinct_id: anon, $set: { plan } });
        add("signed_up", "/signup", { plan });
        if (pick(`${key}v`, 100) < 75) {
          add("email_verified", "/verify");
          if (pick(`${key}a`, 100) < 65) add("activated", "/app", { milestone: "first_order_tracked" });
        }
        // Expansion (the shop's own subscription plans): trials, paid starts, upgrades, cancellations, limits.
        const mrr = { starter: 1_900, pro: 4_900 };
        if (plan !== "free") {
          const base = { plan, seats: 1, mrr_cents: mrr[plan] };
          const trial = pick(`${key}tr`, 100) < 50;
          if (trial) add("trial_started", "/billing", base);
          if (!trial || pick(`${key}cv`, 100) < 60) {
            add("subscription_started", "/billing", { ...base, from_trial: trial });
            if (plan === "starter" && pick(`${key}up`, 100) < 30)
              add("subscription_changed", "/billing", {
                from_plan: "starter",
                plan: "pro",
                seats_from: 1,
                seats: 2,
                mrr_from_cents: mrr.starter,
                mrr_cents: mrr.pro + 1_000,
                direction: "upgrade",
              });
            else if (pick(`${key}cx`, 100) < 12) add("subscription_canceled", "/billing", base);
          }
        } else if (pick(`${key}lim`, 100) < 30)
          add("limit_approached", "/app", { meter: "tracked_orders", used: 45, limit: 50, percent: 90, plan });
      }
    }
  }
  return { rows, aliases, persons };
}

function chunks(list, maxBytes = 90_000) {
  const out = [];
  let cur = [];
  let size = 0;
  for (const r of list) {
    const s = JSON.stringify(r).length + 1;
    if (cur.length && size + s > maxBytes) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(r);
    size += s;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** INSERTs for the demo's analytics events, aliases and persons (statements ≤ ~100 KB, D1's limit). */
export function analyticsSql({ now }) {
  const { rows, aliases, persons } = demoEvents(now);
  const events = chunks(rows).map(
    (c) => `INSERT INTO analytics_events (tenant_id, id, name, distinct_id, person_id, ts, received_at, source, session_id, host, path,
  referrer_host, utm_source, utm_medium, utm_campaign, country, device, browser, os, is_bot, props)
SELECT ${TENANT}, j.value->>'i', j.value->>'n', j.value->>'d', j.value->>'p', j.value->>'t', j.value->>'t', 'web', j.value->>'s',
  'democo.example', j.value->>'pa', j.value->>'r', j.value->>'us', j.value->>'um', j.value->>'uc', j.value->>'c', j.value->>'dv',
  j.value->>'b', j.value->>'o', 0, j.value->>'pr'
FROM json_each(${q(JSON.stringify(c))}) AS j WHERE true ON CONFLICT DO NOTHING;`,
  );
  return `${events.join("\n")}
INSERT INTO analytics_aliases (tenant_id, distinct_id, person_id, created_at)
SELECT ${TENANT}, j.value->>'a', j.value->>'u', ${now} FROM json_each(${q(JSON.stringify(aliases))}) AS j WHERE true ON CONFLICT DO NOTHING;
INSERT INTO analytics_persons (tenant_id, id, traits, first_seen_at, last_seen_at)
SELECT ${TENANT}, j.value->>'id', j.value->>'tr', j.value->>'t', j.value->>'t' FROM json_each(${q(JSON.stringify(persons))}) AS j WHERE true ON CONFLICT DO NOTHING;
`;
}
