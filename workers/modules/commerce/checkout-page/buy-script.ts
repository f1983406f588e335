import { Hono } from "hono";
import type { AppEnv } from "../../../platform/context";

/**
 * /buy.js — the Buy button for a tenant's own site, no dependencies, under 1 KB gzipped:
 *
 *   <script src="https://app.weft…/buy.js" data-shop="acme" data-key="pk_live_…" defer></script>
 *   <button data-weft-buy="var_…" data-quantity="1" data-currency="USD">Buy now</button>
 *     → opens the hosted checkout for that variant (GET /checkout/<shop>/buy?variant=…).
 *   <button data-weft-add="var_…" data-quantity="1">Add to cart</button>
 *     → adds to a cart through the public carts API (publishable key + the site's origin); the cart id
 *       is kept in localStorage; elements with data-weft-cart-count show the number of items;
 *       `weft:cart` is dispatched on document with the cart; `cart_item_added` goes to the tracker
 *       (a.js) when the site has it.
 *   <button data-weft-checkout>Checkout</button>
 *     → the hosted checkout of that cart (GET /checkout/<shop>/cart/<cart id>).
 * Written small by hand (ES2017, what every current browser runs); the readable rules are above.
 */
export const BUY_JS = `(function(){var s=document.currentScript;if(!s)return;var d=s.dataset,b=new URL(s.src).origin,h=d.shop,k=d.key,S="weft_cart_"+k,A=b+"/public/v1/commerce/carts";
function go(p){location.href=b+"/checkout/"+encodeURIComponent(h)+p}
function n(c){var q=0;c.lines.forEach(function(l){q+=l.quantity});document.querySelectorAll("[data-weft-cart-count]").forEach(function(e){e.textContent=q});document.dispatchEvent(new CustomEvent("weft:cart",{detail:c}))}
function api(u,m,x){return fetch(u+(u.indexOf("?")<0?"?":"&")+"key="+encodeURIComponent(k),{method:m,headers:{"Content-Type":"application/json"},body:x&&JSON.stringify(x)}).then(function(r){return r.ok?r.json():Promise.reject(r.status)})}
function cart(){var i=localStorage.getItem(S);return i?Promise.resolve(i):api(A,"POST",{}).then(function(c){localStorage.setItem(S,c.id);return c.id})}
function add(v,q,t){return cart().then(function(i){return api(A+"/"+i+"/lines","POST",{variant_id:v,quantity:q})}).then(function(c){n(c);window.weft&&weft.track&&weft.track("cart_item_added",{variant_id:v,quantity:q});return c},function(e){if((e===404||e===409)&&!t){localStorage.removeItem(S);return add(v,q,1)}throw e})}
document.addEventListener("click",function(e){var t=e.target.closest&&e.target.closest("[data-weft-buy],[data-weft-add],[data-weft-checkout]");if(!t)return;e.preventDefault();var a=t.dataset,q=+a.quantity||1;
if(a.weftBuy)go("/buy?variant="+encodeURIComponent(a.weftBuy)+"&quantity="+q+(a.currency?"&currency="+a.currency:""));
else if(a.weftAdd){t.disabled=!0;add(a.weftAdd,q).finally(function(){t.disabled=!1})}
else{var i=localStorage.getItem(S);i&&go("/cart/"+encodeURIComponent(i))}});
var i=localStorage.getItem(S);i&&api(A+"/"+i,"GET").then(function(c){c.status==="open"?n(c):localStorage.removeItem(S)},function(){})})();
`;

/** Serves /buy.js (mounted at / by workers/app.ts; wrangler.toml routes /buy.js to the Worker). */
export const buyScriptRoutes = new Hono<AppEnv>();
buyScriptRoutes.get("/buy.js", (c) =>
  c.body(BUY_JS, 200, {
    "Content-Type": "application/javascript; charset=utf-8",
    "Cache-Control": "public, max-age=3600",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
  }),
);
