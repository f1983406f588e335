// Shared e2e helpers: Chromium via playwright-core, per-context client IPs, axe, screenshots, mailbox, TOTP.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import * as OTPAuth from "otpauth";
import { chromium } from "playwright-core";
import { ROOT } from "../../scripts/local.mjs";

/**
 * A spec the runner gave a stack of its own (E2E_OWN_STACKS, keyed by spec file name: e.g. the demo
 * seed, which writes that stack's D1 file from outside the Worker) sees that stack's URL and state.
 * node --test runs each spec file as its own process, with the file as argv[1].
 */
const OWN_STACK = JSON.parse(process.env.E2E_OWN_STACKS ?? "{}")[basename(process.argv[1] ?? "")];
export const BASE = OWN_STACK?.url ?? process.env.E2E_BASE_URL ?? "http://127.0.0.1:8787";
/** The local state dir (D1/R2 files) of the stack this spec talks to. */
export const STATE_DIR = OWN_STACK?.stateDir ?? process.env.E2E_STATE_DIR;
export const ARTIFACTS = join(ROOT, "e2e/artifacts");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

let ipSeq = Math.floor(Math.random() * 200);
/**
 * A fresh browser context (own storage) with its own client IP header, so the per-IP auth
 * rate limit (10/min) applies per simulated person rather than to the whole suite.
 */
export async function newContext(browser, opts = {}) {
  ipSeq = (ipSeq + 1) % 250;
  // 10.x, never the 127.0.x addresses specs pick for themselves, so a context cannot share a spec's budget.
  const ip = `10.${(process.pid % 200) + 1}.${Math.floor(Math.random() * 250)}.${ipSeq + 1}`;
  const ctx = await browser.newContext({
    baseURL: BASE,
    viewport: opts.viewport ?? { width: 1280, height: 860 },
    colorScheme: opts.colorScheme ?? "light",
    extraHTTPHeaders: { "CF-Connecting-IP": ip },
    reducedMotion: "reduce",
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
  });
  ctx.setDefaultTimeout(20_000);
  ctx.ip = ip;
  return ctx;
}

export const uniqueEmail = (tag) => `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
export const PASSWORD = "e2e-password-0123";

/** Runs axe-core in the page; returns serious/critical violations (as readable strings). */
export async function axe(page) {
  await page.evaluate(AXE);
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  return results
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.join(", ")}`);
}

/**
 * Screenshots are for people looking at what was built (e2e/artifacts); CI, where nobody looks,
 * skips them (~290 full-page PNGs a run, CPU the two lanes share) unless E2E_SCREENSHOTS=1.
 * Failure screenshots (onFail) are always taken.
 */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ? process.env.E2E_SCREENSHOTS === "1" : process.env.CI !== "true";
export async function screenshot(page, name) {
  if (SCREENSHOTS) await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * How far the page scrolls sideways (px), once layout has settled: after a viewport change, charts
 * (ResizeObserver) and grids reflow on later frames, so this waits up to 5 s for the page to fit
 * before measuring what is left.
 */
export async function horizontalOverflow(page) {
  const measure = () => document.documentElement.scrollWidth - window.innerWidth;
  await page.waitForFunction(`(${measure})() <= 1`, null, { timeout: 5000 }).catch(() => {});
  return page.evaluate(measure);
}

/** Latest email to `to` whose subject matches, from the local dev mailbox (waits for the outbox). */
export async function waitForMail(to, subject, { timeoutMs = 20_000, after = 0 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${BASE}/api/v1/dev/mailbox?to=${encodeURIComponent(to)}&limit=20`, {
      headers: { "CF-Connecting-IP": "127.0.0.250" },
    });
    if (res.ok) {
      const { data } = await res.json();
      const hit = data.find((m) => subject.test(m.subject) && Date.parse(m.created_at) >= after);
      if (hit) return hit;
    }
    await sleep(300);
  }
  throw new Error(`No email to ${to} matching ${subject} within ${timeoutMs}ms`);
}

/** First link in an email's text to the given path (e.g. "/invite"), made relative to BASE. */
export function linkFrom(mail, path) {
  const m = mail.text.match(new RegExp(`https?://[^\\s"]+${path.replace(/[/?]/g, "\\$&")}\\?token=[^\\s"]+`));
  if (!m) throw new Error(`No ${path} link in: ${mail.text}`);
  const url = new URL(m[0]);
  return `${url.pathname}${url.search}`;
}

export function totp(secret) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
}

/**
 * A code from a time step that the server has not seen yet (the API accepts each step once, and
 * steps within ±1 of its clock, as authenticators drift): the current step's code, else the next
 * step's — what a device whose clock runs up to 30 s fast shows — so a second sign-in need not wait
 * out the step (up to 30 s); only a third code in the same step waits.
 */
export async function freshCode(secret, usedSteps) {
  const t = totp(secret);
  for (;;) {
    const now = Math.floor(Date.now() / 30_000);
    const step = [now, now + 1].find((s) => !usedSteps.has(s) && [...usedSteps].every((u) => s > u));
    if (step !== undefined) {
      usedSteps.add(step);
      return t.generate({ timestamp: step * 30_000 });
    }
    await sleep(1000);
  }
}

/** Direct API call with a bearer token (for asserting what the UI hides is also refused). */
export async function apiCall(path, { method = "GET", token, tenant, body, ip } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (tenant) headers["X-Tenant-ID"] = tenant;
  if (ip) headers["CF-Connecting-IP"] = ip;
  const res = await fetch(`${BASE}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Signs up through the UI and lands on onboarding. */
export async function signUpUI(page, { name, email, password = PASSWORD }) {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/onboarding");
  await page.getByRole("heading", { name: "Set up your workspace" }).waitFor();
}

export async function loginUI(page, { email, password = PASSWORD }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Runs `fn`; on failure saves e2e/artifacts/FAIL-<name>.png and adds the page's visible text to the error. */
export async function onFail(page, name, fn) {
  try {
    return await fn();
  } catch (err) {
    await page.screenshot({ path: join(ARTIFACTS, `FAIL-${name}.png`), fullPage: true }).catch(() => {});
    const text = await page.evaluate(() => document.body.innerText.slice(0, 600)).catch(() => "");
    err.message += `\n  page ${page.url()} shows: ${JSON.stringify(text)}`;
    throw err;
  }
}

/**
 * Switches the loaded SPA page to `theme` as another tab's change would (the app listens for the
 * `weft.theme` storage event) — no reload, which costs seconds against the dev server — with CSS
 * transitions off so axe and screenshots see the final colours. Returns whether `dark` is applied.
 */
export async function liveTheme(page, theme) {
  await page.addStyleTag({ content: "*,*::before,*::after{transition:none!important}" });
  return page.evaluate((t) => {
    localStorage.setItem("weft.theme", t);
    window.dispatchEvent(new StorageEvent("storage", { key: "weft.theme", newValue: t }));
    return document.documentElement.classList.contains("dark");
  }, theme);
}

/** Dismisses every toast on the page (instead of waiting out their 4–8 s), e.g. before a screenshot. */
export async function dismissToasts(page) {
  const buttons = page.getByRole("button", { name: "Dismiss notification" });
  while ((await buttons.count()) > 0) await buttons.first().click();
}
