// Browser push opt-in: the service worker at /sw.js, "Enable push notifications" in the bell
// (permission granted through the browser context), subscription registered with the API and
// removed again, and the service worker's push handler showing a notification (pushed through
// the DevTools protocol, since headless Chromium has no push service to deliver real ones).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, BASE, launch, loginUI, newContext, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

// A syntactically valid subscription (P-256 point + 16-byte auth), used when the browser's own
// push service is unavailable (headless Chromium without Google's push service).
const FAKE_SUB = {
  endpoint: "https://push.example.net/e2e-browser",
  keys: {
    p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    auth: "BTBZMqHH6r4Tts7J_aSIgg",
  },
};

test("enable and disable push notifications from the notification centre", async () => {
  const ip = "127.0.19.2";
  const owner = { name: "Push Owner", email: uniqueEmail("push") };
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...owner, password: PASSWORD, workspace_name: "Push Co" },
    ip,
  });
  assert.equal(signup.status, 201);
  const token = signup.body.access_token;
  const tenant = signup.body.tenant?.id ?? signup.body.memberships?.[0]?.tenant?.id;
  const mySubs = async () => (await apiCall("/api/v1/push/subscriptions", { token, tenant, ip })).body.data;

  const ctx = await newContext(browser);
  await ctx.grantPermissions(["notifications"], { origin: BASE });
  const page = await ctx.newPage();
  await loginUI(page, owner);
  await page.waitForURL((u) => u.pathname === "/");

  // The service worker is served from the app's origin.
  const sw = await page.request.get("/sw.js");
  assert.equal(sw.status(), 200);
  assert.match(await sw.text(), /notificationclick/);

  const openBell = async () => {
    await page.getByTestId("notification-bell").click();
    return page.getByRole("region", { name: "Notifications" });
  };
  const panel = await openBell();
  await panel.getByRole("button", { name: "Enable push notifications" }).click();
  // Either the real push service answers, or (headless, offline) the browser refuses: both are shown.
  const outcome = await Promise.race([
    panel
      .getByText("Push notifications are on for this browser.")
      .waitFor({ timeout: 30_000 })
      .then(() => "subscribed"),
    panel
      .getByRole("alert")
      .waitFor({ timeout: 30_000 })
      .then(() => "refused"),
  ]);
  console.log(
    `push: real pushManager.subscribe() → ${outcome}${outcome === "refused" ? `: ${await panel.getByRole("alert").innerText()}` : ""}`,
  );
  const registered = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/"))?.active?.scriptURL ?? null);
  assert.ok(registered?.endsWith("/sw.js"), `service worker registered: ${registered}`);

  if (outcome === "refused") {
    // Continue past the missing push service with a stand-in subscription; everything else is real.
    await page.evaluate((sub) => {
      const fake = {
        endpoint: sub.endpoint,
        options: { applicationServerKey: null },
        toJSON: () => sub,
        unsubscribe: async () => ((window.__fakeSub = null), true),
      };
      PushManager.prototype.subscribe = async () => {
        window.__fakeSub = fake;
        return fake;
      };
      PushManager.prototype.getSubscription = async () => window.__fakeSub ?? null;
    }, FAKE_SUB);
    await panel.getByRole("button", { name: "Enable push notifications" }).click();
    await panel.getByText("Push notifications are on for this browser.").waitFor();
  }
  const subs = await mySubs();
  assert.equal(subs.length, 1, JSON.stringify(subs));
  for (const v of await axe(page)) assert.fail(`push toggle: ${v}`);
  await screenshot(page, "messaging-push-enabled");

  // The service worker's push handler: deliver a push message through DevTools and read the notification back.
  const cdp = await ctx.newCDPSession(page);
  const regId = new Promise((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) =>
      e.registrations.forEach((r) => r.scopeURL.startsWith(BASE) && !r.isDeleted && resolve(r.registrationId)),
    ),
  );
  await cdp.send("ServiceWorker.enable");
  const push = {
    origin: new URL(BASE).origin,
    registrationId: await regId,
    data: JSON.stringify({ title: "Invoice paid", body: "Thanks!", url: "/messaging", tag: "billing" }),
  };
  // On a loaded CI machine a DevTools push can be dropped while Chromium restarts an idle service
  // worker, so it is re-delivered every 5 s; the "billing" tag makes repeats replace one another.
  let shown = [];
  for (let i = 0; i < 200 && shown.length === 0; i++) {
    if (i % 50 === 0) await cdp.send("ServiceWorker.deliverPushMessage", push);
    shown = await page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, url: n.data?.url })),
    );
    if (!shown.length) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(shown, [{ title: "Invoice paid", body: "Thanks!", url: "/messaging" }]);

  await panel.getByRole("button", { name: "Disable push notifications" }).click();
  await panel.getByText("Push notifications are off for this browser.").waitFor();
  assert.deepEqual(await mySubs(), []);
  await page.keyboard.press("Escape");
  await ctx.close();
});
