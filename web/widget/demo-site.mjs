// LOCAL DEMO: a fake tenant website ("Demo Co shop") with the Weft chat widget installed, served on
// its own origin (a different port) so the widget runs cross-origin exactly as on a real site.
// `npm start` seeds a publishable key for it and serves it; the e2e chat spec starts one too.
import { createServer } from "node:http";
import { wrangler } from "../../scripts/local.mjs";
import { demoShopPage } from "./demo-shop.mjs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The demo's publishable key (public by design; local demo data only). */
export const DEMO_CHAT_KEY = "pk_live_localdemo000000000000000000000000000000000000000";

const q = (v) => `'${String(v).replace(/'/g, "''")}'`;

/**
 * Idempotently gives the seeded demo workspace a publishable key for the demo site (its allowed
 * origins follow the current port), the widget's look and greeting, and a few saved replies.
 */
export function seedDemoChat({ stateDir, origins }) {
  const dir = mkdtempSync(join(tmpdir(), "weft-demo-chat-"));
  try {
    const file = join(dir, "chat.sql");
    writeFileSync(file, demoChatSql({ origins }));
    wrangler(["d1", "execute", "DB", "--local", "--file", file], { stateDir, quiet: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** seedDemoChat()'s SQL (scripts/seed.mjs runs it with the rest of the demo seed). */
export function demoChatSql({ origins }) {
  const now = Date.now();
  const created = now - 88 * 86_400_000;
  const canned = [
    ["cr_demo_shipping", "shipping", "Orders leave the studio within **2 business days**, and the tracking link arrives by email."],
    ["cr_demo_returns", "returns", "Returns are free within **30 days**: start one from your order page and print the label."],
    [
      "cr_demo_damaged",
      "damaged",
      "I'm so sorry it arrived broken! Could you send a photo of the piece and the box? We'll ship a replacement right away, no need to return it.",
    ],
    [
      "cr_demo_wholesale",
      "wholesale",
      "Thanks for your interest! Wholesale starts at 24 pieces (40% off retail), lead time 4–6 weeks. I'll email you our price list.",
    ],
  ];
  return `
INSERT INTO publishable_keys (tenant_id, id, name, key, allowed_origins, created_by, revoked_at, created_at, updated_at)
SELECT t.id, 'pk_localdemo', 'Demo site (local)', ${q(DEMO_CHAT_KEY)}, ${q(JSON.stringify(origins))}, 'seed', NULL, ${created}, ${created} FROM tenants t WHERE t.slug = 'demo'
ON CONFLICT(key) DO UPDATE SET allowed_origins = excluded.allowed_origins, revoked_at = NULL, updated_at = ${now}
WHERE publishable_keys.allowed_origins <> excluded.allowed_origins OR publishable_keys.revoked_at IS NOT NULL;
INSERT INTO chat_settings (tenant_id, color, position, theme, locale, title, logo_url, greeting, prechat, ai_enabled, notify_email, identity_secret_enc, identity_required, updated_at)
SELECT t.id, '#b45309', 'right', 'auto', 'auto', 'Demo Co studio', NULL, 'Hi! Questions about an order, shipping or caring for your ceramics? Ask away.',
  '{"enabled":false,"name":"optional","email":"optional"}', 1, NULL, NULL, 0, ${created} FROM tenants t WHERE t.slug = 'demo'
ON CONFLICT DO NOTHING;
${canned
  .map(
    ([id, shortcut, body]) => `INSERT INTO chat_canned_responses (tenant_id, id, shortcut, body, created_by, created_at)
SELECT t.id, ${q(id)}, ${q(shortcut)}, ${q(body)}, 'seed', ${created} FROM tenants t WHERE t.slug = 'demo'
ON CONFLICT DO NOTHING;`,
  )
  .join("\n")}
`;
}

export function demoPage({ weftUrl, key, theme = "light" }) {
  return `<!doctype html>
<html lang="en" class="${theme === "dark" ? "dark" : ""}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Demo Co — local demo shop</title>
<style>
  body{margin:0;font:16px/1.5 Georgia,serif;background:#faf7f2;color:#2b2118}
  .dark body{background:#1c1917;color:#f5f5f4}
  header{padding:18px 32px;border-bottom:1px solid #e7dccb;display:flex;justify-content:space-between;align-items:center}
  main{max-width:760px;margin:40px auto;padding:0 24px}
  .banner{background:#fef3c7;color:#78350f;padding:8px 32px;font:13px system-ui,sans-serif}
  /* hostile host CSS: the widget must not be affected */
  button{all:unset;color:red!important} *{letter-spacing:.02em}
</style></head>
<body>
<div class="banner">LOCAL DEMO — a fake tenant website served by <code>npm start</code>, with the Weft chat widget and analytics tracker installed. <a href="/shop">Try its shop</a> (Weft's storefront API and hosted checkout).</div>
<header><strong>Demo Co</strong><nav><a href="/" data-spa>Shop</a> · <a href="/shipping" data-spa>Shipping</a> · <a href="/returns" data-spa>Returns</a> · <a href="https://example.com/ceramics-guide">Care guide ↗</a></nav></header>
<main>
  <h1 id="title">Handmade ceramics</h1>
  <p id="copy">Every mug is thrown by hand in our studio. Questions about shipping or returns? Use the chat bubble in the corner.</p>
  <p><span role="button" tabindex="0" id="add-to-cart" style="display:inline-block;padding:8px 14px;border:1px solid #b45309;border-radius:8px;cursor:pointer">Add the speckled mug to cart</span> <span id="cart-note"></span></p>
</main>
<script>
  // A single-page site: navigation through history.pushState (the tracker records each as a page view).
  var pages = { "/": ["Handmade ceramics", "Every mug is thrown by hand in our studio."], "/shipping": ["Shipping", "Orders leave the studio within 2 business days."], "/returns": ["Returns", "Free returns within 30 days."] };
  function render() { var p = pages[location.pathname] || pages["/"]; document.getElementById("title").textContent = p[0]; document.getElementById("copy").textContent = p[1]; }
  document.addEventListener("click", function (e) { var a = e.target.closest && e.target.closest("a[data-spa]"); if (!a) return; e.preventDefault(); history.pushState({}, "", a.getAttribute("href")); render(); });
  window.addEventListener("popstate", render);
  function addToCart() { window.weft && weft.track("cart_added", { product: "speckled-mug", price_cents: 3400 }); document.getElementById("cart-note").textContent = "Added!"; }
  document.getElementById("add-to-cart").addEventListener("click", addToCart);
  document.getElementById("add-to-cart").addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); addToCart(); } });
  render();
</script>
<script src="${weftUrl}/a.js" data-key="${key}" defer></script>
<script src="${weftUrl}/widget.js" data-key="${key}" async></script>
</body></html>`;
}

/**
 * Serves the demo page, and its shop at /shop (`shop`: the workspace's slug, for the hosted
 * checkout's links); resolves with { url, close }.
 */
export function startDemoSite({ port, host = "localhost", weftUrl, key = DEMO_CHAT_KEY, shop = "demo" }) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const theme = url.searchParams.get("theme") ?? "light";
    const isShop = url.pathname === "/shop" || url.pathname.startsWith("/shop/");
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(isShop ? demoShopPage({ weftUrl, key, shop, theme }) : demoPage({ weftUrl, key, theme }));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve({ url: `http://${host}:${port}`, close: () => new Promise((r) => server.close(() => r())) }));
  });
}
