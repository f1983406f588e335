/**
 * What ingestion derives from the request and the event's own properties, once, so reports group
 * on plain columns: page host/path, referrer host (external only), UTM tags, device class,
 * browser, OS and whether the user agent is a bot.
 */
import { isbot } from "isbot";

export interface UaInfo {
  device: "desktop" | "mobile" | "tablet" | "bot" | "other";
  browser: string | null;
  os: string | null;
  bot: boolean;
}

const BROWSERS: [RegExp, string][] = [
  [/edg(e|a|ios)?\//i, "Edge"],
  [/opr\/|opera/i, "Opera"],
  [/samsungbrowser/i, "Samsung Internet"],
  [/firefox|fxios/i, "Firefox"],
  [/chrome|crios|chromium/i, "Chrome"],
  [/safari/i, "Safari"],
];
const OSES: [RegExp, string][] = [
  [/windows/i, "Windows"],
  [/iphone|ipad|ipod/i, "iOS"],
  [/android/i, "Android"],
  [/cros/i, "ChromeOS"],
  [/mac os x|macintosh/i, "macOS"],
  [/linux/i, "Linux"],
];

/** Coarse user-agent classification (a full UA database is not worth its bundle size here). */
export function parseUserAgent(ua: string | null | undefined): UaInfo {
  if (!ua) return { device: "other", browser: null, os: null, bot: false };
  if (isbot(ua)) return { device: "bot", browser: null, os: null, bot: true };
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? null;
  const os = OSES.find(([re]) => re.test(ua))?.[1] ?? null;
  const tablet = /ipad|tablet|(android(?!.*mobile))/i.test(ua);
  const mobile = !tablet && /mobi|iphone|ipod|android/i.test(ua);
  const device = tablet ? "tablet" : mobile ? "mobile" : browser || os ? "desktop" : "other";
  return { device, browser, os, bot: false };
}

export interface PageInfo {
  host: string | null;
  path: string | null;
  referrerHost: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
}

function tryUrl(v: unknown): URL | null {
  if (typeof v !== "string" || !v) return null;
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

const clip = (v: string | null | undefined, n = 200) => (v ? v.slice(0, n) : null);

/**
 * Page fields from `$current_url` / `$referrer` (the tracker's property names, as PostHog's). A
 * referrer on the page's own host is navigation, not a source, so it is dropped; `utm_*` come from
 * the page URL unless the event carries them as properties.
 */
export function pageInfo(props: Record<string, unknown>): PageInfo {
  const url = tryUrl(props.$current_url);
  const ref = tryUrl(props.$referrer);
  const host = url?.hostname ?? null;
  const refHost = ref && ref.hostname !== host ? ref.hostname.replace(/^www\./, "") : null;
  const utm = (k: string) => {
    const p = props[`utm_${k}`];
    return clip(typeof p === "string" ? p : (url?.searchParams.get(`utm_${k}`) ?? null), 100);
  };
  return {
    host,
    path: url ? clip(url.pathname || "/", 300) : typeof props.$pathname === "string" ? clip(props.$pathname, 300) : null,
    referrerHost: clip(refHost, 200),
    utmSource: utm("source"),
    utmMedium: utm("medium"),
    utmCampaign: utm("campaign"),
  };
}
