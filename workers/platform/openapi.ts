import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context";

export const OPENAPI_PATH = "/api/v1/openapi.json";

/** The OpenAPI 3.1 document (generated from the routes' zod schemas) and a browsable reference. */
export function registerApiDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A user access token (JWT from /api/v1/auth/login) or a secret API key (`wk_live_…`).",
  });
  app.doc31(OPENAPI_PATH, (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Weft API",
      version: "1.0.0",
      description:
        "Errors are application/problem+json (RFC 9457). Workspace endpoints take `X-Tenant-ID`. Lists use cursor pagination (`limit`, `cursor` → `next_cursor`).",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get("/api/docs", (c) => c.html(API_DOCS_HTML));
}

// Self-contained (no CDN: works offline): fetches the document and renders operations by tag.
const API_DOCS_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Weft API reference</title>
<style>
:root{color-scheme:light dark;--bg:#fff;--fg:#111;--muted:#666;--line:#e5e7eb;--card:#f9fafb}
@media (prefers-color-scheme:dark){:root{--bg:#0b0d12;--fg:#e5e7eb;--muted:#9ca3af;--line:#1f2937;--card:#111827}}
body{margin:0;font:15px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header{padding:20px 32px;border-bottom:1px solid var(--line)}main{display:grid;grid-template-columns:240px 1fr;gap:24px;padding:24px 32px}
nav a{display:block;color:inherit;text-decoration:none;padding:2px 0}nav a:hover{text-decoration:underline}
input{width:100%;padding:6px 8px;margin-bottom:12px;border:1px solid var(--line);border-radius:6px;background:var(--card);color:inherit}
details{border:1px solid var(--line);border-radius:8px;margin:8px 0;background:var(--card)}summary{cursor:pointer;padding:10px 12px;display:flex;gap:10px;align-items:center}
.m{font:600 12px ui-monospace,monospace;padding:2px 6px;border-radius:4px;min-width:52px;text-align:center;color:#fff}
.get{background:#2563eb}.post{background:#16a34a}.patch{background:#d97706}.put{background:#9333ea}.delete{background:#dc2626}
code,pre{font:13px ui-monospace,monospace}pre{overflow:auto;padding:12px;background:var(--bg);border-radius:6px;border:1px solid var(--line)}
.body{padding:0 12px 12px}.muted{color:var(--muted)}.tag{margin-top:24px}.perm{font-size:12px;border:1px solid var(--line);border-radius:999px;padding:0 8px}
</style></head><body><header><h1 style="margin:0">Weft API reference</h1><p class="muted" id="desc"></p><a href="/api/v1/openapi.json">openapi.json</a></header>
<main><nav><input id="q" placeholder="Filter operations" aria-label="Filter operations"><div id="toc"></div></nav><div id="ops" aria-live="polite">Loading…</div></main>
<script>
const esc=s=>String(s??'').replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch('/api/v1/openapi.json').then(r=>r.json()).then(doc=>{
 document.getElementById('desc').textContent=doc.info.description||'';
 const byTag={};
 for(const [path,item] of Object.entries(doc.paths))for(const [method,op] of Object.entries(item)){
  const tag=(op.tags||['Other'])[0];(byTag[tag]??=[]).push({path,method,op});}
 const render=q=>{let toc='',out='';
  for(const [tag,ops] of Object.entries(byTag)){const list=ops.filter(o=>!q||(o.path+' '+(o.op.summary||'')).toLowerCase().includes(q));if(!list.length)continue;
   toc+='<a href="#'+esc(tag)+'">'+esc(tag)+'</a>';out+='<h2 class="tag" id="'+esc(tag)+'">'+esc(tag)+'</h2>';
   for(const {path,method,op} of list){const perm=op['x-weft-permission'];const access=op['x-weft-access'];
    out+='<details><summary><span class="m '+method+'">'+method.toUpperCase()+'</span><code>'+esc(path)+'</code><span>'+esc(op.summary)+'</span>'+(perm?'<span class="perm">'+esc(perm)+'</span>':'')+(access==='public'?'<span class="perm">public</span>':'')+'</summary><div class="body">';
    if(op.parameters?.length)out+='<h4>Parameters</h4><pre>'+esc(JSON.stringify(op.parameters.map(p=>({name:p.name,in:p.in,required:!!p.required,schema:p.schema})),null,2))+'</pre>';
    const body=op.requestBody?.content?.['application/json']?.schema;if(body)out+='<h4>Request body</h4><pre>'+esc(JSON.stringify(resolve(doc,body),null,2))+'</pre>';
    out+='<h4>Responses</h4>';for(const [code,res] of Object.entries(op.responses||{})){const s=Object.values(res.content||{})[0]?.schema;out+='<p><b>'+code+'</b> '+esc(res.description)+'</p>'+(s&&+code<300?'<pre>'+esc(JSON.stringify(resolve(doc,s),null,2))+'</pre>':'');}
    out+='</div></details>';}}
  document.getElementById('toc').innerHTML=toc;document.getElementById('ops').innerHTML=out||'<p class="muted">No operation matches.</p>';};
 document.getElementById('q').addEventListener('input',e=>render(e.target.value.toLowerCase()));render('');
}).catch(e=>{document.getElementById('ops').textContent='Could not load the OpenAPI document: '+e.message});
function resolve(doc,s,depth=0){if(!s||depth>6)return s;if(s.$ref){return resolve(doc,s.$ref.split('/').slice(1).reduce((o,k)=>o?.[k],doc),depth+1);}
 if(Array.isArray(s))return s.map(x=>resolve(doc,x,depth+1));if(typeof s==='object'){const o={};for(const [k,v] of Object.entries(s))o[k]=resolve(doc,v,depth+1);return o;}return s;}
</script></body></html>`;
