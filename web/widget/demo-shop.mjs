// LOCAL DEMO: the fake tenant site's shop (/shop on the demo site, web/widget/demo-site.mjs). It is
// what a Weft customer would build on their own site: the catalogue from the public storefront API
// (/public/v1/commerce/products with the publishable key), add to cart through /buy.js (the Buy
// button script: public carts API, cart id in localStorage), a cart with a discount code (PATCH the
// cart), "Checkout" → Weft's hosted checkout, "Buy now" → the checkout link. Purchase-funnel events
// (product_viewed; cart_item_added comes from buy.js) go through the site's tracker, a.js.

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

export function demoShopPage({ weftUrl, key, shop, theme = "light" }) {
  return `<!doctype html>
<html lang="en" class="${theme === "dark" ? "dark" : ""}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Shop — Demo Co (local demo)</title>
<style>
  :root{--bg:#faf7f2;--fg:#2b2118;--muted:#6b5b4b;--line:#e7dccb;--card:#fff;--accent:#b45309;--accent-fg:#fff}
  .dark{--bg:#1c1917;--fg:#f5f5f4;--muted:#c4b5a5;--line:#44403c;--card:#292524;--accent:#f59e0b;--accent-fg:#1c1917}
  *{box-sizing:border-box}body{margin:0;font:16px/1.5 Georgia,serif;background:var(--bg);color:var(--fg)}
  .banner{background:#fef3c7;color:#78350f;padding:8px 20px;font:13px system-ui,sans-serif}
  header{padding:14px 20px;border-bottom:1px solid var(--line);display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
  header a{color:inherit}nav{display:flex;gap:16px;align-items:center}
  .layout{max-width:1100px;margin:0 auto;padding:20px;display:grid;gap:24px}
  @media (min-width:900px){.layout{grid-template-columns:1fr 340px;align-items:start}#cart{position:sticky;top:16px}}
  .grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}
  .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px;display:flex;flex-direction:column;gap:8px}
  .tile{aspect-ratio:4/3;border-radius:8px;display:flex;align-items:center;justify-content:center;font-size:40px;color:#fff;background:linear-gradient(135deg,#a16207,#57534e)}
  .card h2,.card h3{font-size:18px;margin:0}.card h2 a,.card h3 a{color:inherit}.price{font-weight:700}.muted{color:var(--muted);font-size:14px}
  label{font:600 14px system-ui,sans-serif;display:block;margin-bottom:2px}
  select,input{font:inherit;padding:8px 10px;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:inherit;width:100%;min-height:44px}
  .btn{font:600 15px system-ui,sans-serif;border-radius:8px;min-height:44px;padding:0 14px;cursor:pointer;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg)}
  .btn.ghost{background:transparent;color:var(--fg);border-color:var(--line)}.btn:disabled{opacity:.6;cursor:progress}
  .actions{display:flex;gap:8px;flex-wrap:wrap}.actions .btn{flex:1;white-space:nowrap;padding:0 10px}
  .btn:focus-visible,a:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
  #cart ul{list-style:none;margin:0;padding:0}#cart li{display:flex;justify-content:space-between;gap:8px;padding:8px 0;border-bottom:1px solid var(--line)}
  #cart table{width:100%;font-variant-numeric:tabular-nums;margin-top:8px}#cart td:last-child{text-align:right}
  .linkbtn{all:unset;cursor:pointer;text-decoration:underline;font:13px system-ui,sans-serif;color:var(--muted)}
  .linkbtn:focus-visible{outline:2px solid var(--accent)}
  .row{display:flex;gap:8px;align-items:flex-end}.row>div{flex:1}
  .msg{font:14px system-ui,sans-serif;margin:6px 0 0}.err{color:#b91c1c}.dark .err{color:#fca5a5}
  .detail{max-width:640px}
</style></head>
<body>
<div class="banner">LOCAL DEMO — a fake tenant website. Its shop runs on Weft's storefront API, the Buy button script and the hosted checkout (test payments through the payment simulator).</div>
<header><a href="/"><strong>Demo Co</strong></a><nav aria-label="Main"><a href="/shop" data-nav>Shop</a><a href="/">Home</a><a href="#cart">Cart (<span data-weft-cart-count>0</span>)</a></nav></header>
<div class="layout">
  <main id="main"><h1 id="title">Shop</h1><p class="muted" id="status" role="status">Loading the catalogue…</p><div id="products" class="grid"></div></main>
  <aside id="cart" class="card" aria-labelledby="cart-h"><h2 id="cart-h">Your cart</h2><div id="cart-body"><p class="muted">Your cart is empty.</p></div></aside>
</div>
<script>
  var WEFT = ${JSON.stringify(weftUrl)}, KEY = ${JSON.stringify(key)}, SHOP = ${JSON.stringify(shop)};
  var products = [], cart = null;
  var $ = function (id) { return document.getElementById(id); };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  function money(n, cur) { return new Intl.NumberFormat("en", { style: "currency", currency: cur }).format(n / 100); }
  function api(path, method, body) {
    return fetch(WEFT + "/public/v1/commerce" + path + (path.indexOf("?") < 0 ? "?" : "&") + "key=" + encodeURIComponent(KEY), {
      method: method || "GET", headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined,
    }).then(function (r) { return r.json().then(function (j) { if (!r.ok) throw j; return j; }); });
  }
  function track(name, props) { if (window.weft && weft.track) weft.track(name, props); }
  function variantPicker(p, id) {
    if (p.variants.length < 2) return "";
    return '<label for="' + id + '">' + esc(p.options[0] || "Variant") + '</label><select id="' + id + '" data-pick="' + esc(p.id) + '">' +
      p.variants.map(function (v) { return '<option value="' + esc(v.id) + '"' + (v.in_stock ? "" : " disabled") + ">" + esc(v.title) + (v.in_stock ? "" : " — sold out") + "</option>"; }).join("") + "</select>";
  }
  function firstInStock(p) { return p.variants.find(function (v) { return v.in_stock; }) || p.variants[0]; }
  function buttons(p) {
    var v = firstInStock(p), none = !p.variants.some(function (x) { return x.in_stock; });
    return '<div class="actions"><button class="btn" type="button" data-weft-add="' + esc(v.id) + '" data-for="' + esc(p.id) + '"' + (none ? " disabled" : "") +
      ' aria-label="Add ' + esc(p.title) + ' to cart">' + (none ? "Sold out" : "Add to cart") + '</button><button class="btn ghost" type="button" data-weft-buy="' + esc(v.id) +
      '" data-for="' + esc(p.id) + '"' + (none ? " disabled" : "") + ' aria-label="Buy ' + esc(p.title) + ' now">Buy now</button></div>';
  }
  function price(p) { return p.price_min === p.price_max ? money(p.price_min, p.currency) : "from " + money(p.price_min, p.currency); }
  function renderList() {
    $("title").textContent = "Shop";
    $("status").textContent = products.length + " products";
    $("products").className = "grid";
    $("products").innerHTML = products.map(function (p) {
      return '<article class="card"><div class="tile" aria-hidden="true">' + esc(p.title.charAt(0)) + '</div><h2><a href="/shop/' + esc(p.slug) + '" data-nav>' + esc(p.title) + '</a></h2>' +
        '<div class="price">' + price(p) + "</div>" + (p.type === "digital" ? '<div class="muted">Digital download</div>' : "") + variantPicker(p, "pick-" + p.id) + buttons(p) + "</article>";
    }).join("");
  }
  function renderDetail(p) {
    $("title").textContent = p.title;
    $("status").textContent = "";
    $("products").className = "detail";
    $("products").innerHTML = '<article class="card"><div class="tile" aria-hidden="true">' + esc(p.title.charAt(0)) + "</div><p>" + esc(p.description) + '</p><div class="price">' + price(p) + "</div>" +
      variantPicker(p, "pick-detail") + buttons(p) + '<a href="/shop" data-nav>← All products</a></article>';
    track("product_viewed", { product_id: p.id, slug: p.slug, price: p.price_min, currency: p.currency });
  }
  function route() {
    var slug = location.pathname.replace(/^\\/shop\\/?/, "");
    var p = slug && products.find(function (x) { return x.slug === slug; });
    if (p) renderDetail(p); else renderList();
  }
  document.addEventListener("change", function (e) {
    var id = e.target.getAttribute && e.target.getAttribute("data-pick");
    if (!id) return;
    document.querySelectorAll('[data-for="' + id + '"]').forEach(function (b) { b.setAttribute(b.hasAttribute("data-weft-add") ? "data-weft-add" : "data-weft-buy", e.target.value); });
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-nav]");
    if (!a) return;
    e.preventDefault(); history.pushState({}, "", a.getAttribute("href")); route(); window.scrollTo(0, 0);
  });
  window.addEventListener("popstate", route);
  function renderCart(c, msg) {
    cart = c;
    var body = $("cart-body");
    if (!c || c.status !== "open" || !c.lines.length) { body.innerHTML = '<p class="muted">Your cart is empty.</p>'; return; }
    var cur = c.currency, t = c.totals;
    var lines = c.lines.map(function (l) {
      return '<li><span>' + esc(l.product_title) + (l.variant_title && l.variant_title !== "Default" ? " · " + esc(l.variant_title) : "") + " × " + l.quantity +
        (l.problem ? ' <span class="err">(' + esc(l.problem.replace(/_/g, " ")) + ")</span>" : "") + '<br><button class="linkbtn" type="button" data-remove="' + esc(l.id) + '">Remove</button></span><span>' + money(l.subtotal, cur) + "</span></li>";
    }).join("");
    var coupon = c.coupon && c.coupon.applied
      ? '<p class="msg">Code <strong>' + esc(c.coupon.code) + '</strong> applied. <button class="linkbtn" type="button" id="coupon-remove">Remove code</button></p>'
      : '<form id="coupon-form" class="row"><div><label for="coupon">Discount code</label><input id="coupon" name="coupon" autocomplete="off" value="' + esc(c.coupon ? c.coupon.code : "") + '"></div><button class="btn ghost" type="submit">Apply</button></form>' +
        (c.coupon && c.coupon.message ? '<p class="msg err" role="alert">' + esc(c.coupon.message) + "</p>" : "");
    body.innerHTML = "<ul>" + lines + "</ul>" + coupon + "<table><caption class=\\"muted\\" style=\\"caption-side:bottom;text-align:left\\">Shipping and tax are worked out at checkout.</caption><tr><td>Subtotal</td><td>" + money(t.subtotal, cur) + "</td></tr>" +
      (t.discount ? "<tr><td>Discount</td><td>−" + money(t.discount, cur) + "</td></tr>" : "") + "<tr><td><strong>Total</strong></td><td><strong>" + money(t.subtotal - t.discount, cur) + "</strong></td></tr></table>" +
      '<button class="btn" type="button" data-weft-checkout style="width:100%;margin-top:12px">Checkout</button>' + (msg ? '<p class="msg" role="status">' + esc(msg) + "</p>" : "");
  }
  document.addEventListener("weft:cart", function (e) { renderCart(e.detail); });
  document.addEventListener("submit", function (e) {
    if (e.target.id !== "coupon-form") return;
    e.preventDefault();
    var code = $("coupon").value.trim();
    api("/carts/" + cart.id, "PATCH", { coupon_code: code || null }).then(function (c) { renderCart(c, c.coupon && c.coupon.applied ? "Discount applied." : ""); },
      function (p) { renderCart(cart); });
  });
  document.addEventListener("click", function (e) {
    var rm = e.target.getAttribute && e.target.getAttribute("data-remove");
    if (rm) api("/carts/" + cart.id + "/lines/" + rm, "DELETE").then(function (c) { renderCart(c); document.querySelectorAll("[data-weft-cart-count]").forEach(function (x) { x.textContent = c.lines.reduce(function (s, l) { return s + l.quantity; }, 0); }); });
    if (e.target.id === "coupon-remove") api("/carts/" + cart.id, "PATCH", { coupon_code: null }).then(function (c) { renderCart(c); });
  });
  api("/products?limit=50").then(function (r) { products = r.data; route(); }, function (p) { $("status").textContent = "The catalogue could not be loaded: " + (p.detail || p.title || "network error"); });
</script>
<script src="${esc(weftUrl)}/buy.js" data-shop="${esc(shop)}" data-key="${esc(key)}" defer></script>
<script src="${esc(weftUrl)}/a.js" data-key="${esc(key)}" defer></script>
</body></html>`;
}
