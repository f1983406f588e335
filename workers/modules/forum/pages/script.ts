/**
 * The community pages' one script (served at /community/_/forum.js; CSP `script-src 'self'`, no
 * inline script). The pages work without it; it adds, on top of the same forms and endpoints:
 * reactions and votes without a reload, drafts saved as you type (debounced), @mention
 * autocomplete (WAI-ARIA listbox: arrows, Enter/Tab, Escape), similar topics while typing a title,
 * and read timings (the furthest post seen and seconds on the page). Plain ES2019, no build step;
 * kept small on purpose (its gzip size is in the pages test's log and the report).
 */
export const FORUM_SCRIPT = `(()=>{"use strict";
const slug=document.body.dataset.community;if(!slug)return;const base="/community/"+slug,J={Accept:"application/json"};
const $=(s,r=document)=>r.querySelector(s),$$=(s,r=document)=>[...r.querySelectorAll(s)];
const debounce=(f,ms)=>{let t;return(...a)=>{clearTimeout(t);t=setTimeout(()=>f(...a),ms)}};
const send=(url,method,body)=>fetch(url,{method,headers:body instanceof FormData?J:{...J,"Content-Type":"application/json"},body:body instanceof FormData?body:JSON.stringify(body),credentials:"same-origin"});
const getJ=async u=>{const r=await fetch(u,{headers:J,credentials:"same-origin"});return r.ok?r.json():null};
// Reactions and votes: the same form post, answered as JSON, the button updated in place.
document.addEventListener("submit",async e=>{const f=e.target;if(!(f instanceof HTMLFormElement)||!(f.hasAttribute("data-react")||f.hasAttribute("data-vote")))return;
e.preventDefault();const b=$("button",f);b.disabled=true;try{const r=await send(f.action,"POST",new FormData(f));if(!r.ok){f.submit();return}const d=await r.json();
const art=f.closest("[data-post]");if(f.hasAttribute("data-react")){const k=f.dataset.react,on=$("input[name=on]",f),c=$("[data-count]",b),n=(d.reactions&&d.reactions[k])||0;
b.setAttribute("aria-pressed",String(on.value==="1"));on.value=on.value==="1"?"0":"1";c.textContent=n||"";b.setAttribute("aria-label",k+", "+n)}
else if(art){const s=$("[data-score]",art);if(s)s.textContent=String(d.score);$$("form[data-vote]",art).forEach(g=>{const v=$("input[name=value]",g),btn=$("button",g),up=btn.textContent.includes("▲")?1:-1,mine=d.value===up;btn.setAttribute("aria-pressed",String(mine));v.value=mine?"0":String(up)})}}
finally{b.disabled=false}});
// Drafts: saved 800 ms after the last keystroke; restored into an empty form.
$$("form[data-draft]").forEach(f=>{const key=()=>f.dataset.draft.startsWith("topic:")&&$("select[name=category_id]",f)?"topic:"+$("select[name=category_id]",f).value:f.dataset.draft;
const ta=$("textarea",f),ti=$("input[name=title]",f),st=$("[data-draft-status]",f);if(!ta)return;
if(!ta.value)getJ(base+"/-/drafts/"+encodeURIComponent(key())).then(d=>{if(d&&d.body&&!ta.value){ta.value=d.body;if(ti&&d.title&&!ti.value)ti.value=d.title;if(st)st.textContent="Draft restored."}}).catch(()=>{});
const save=debounce(async()=>{try{const r=await send(base+"/-/drafts/"+encodeURIComponent(key()),"PUT",{body:ta.value,title:ti?ti.value:null});if(st)st.textContent=r.ok?"Draft saved.":""}catch{}},800);
ta.addEventListener("input",save);if(ti)ti.addEventListener("input",save)});
// @mention autocomplete on textareas marked data-mentions.
let lb=0;$$("textarea[data-mentions]").forEach(ta=>{const id="mention-list-"+(++lb),ul=document.createElement("ul");ul.id=id;ul.setAttribute("role","listbox");ul.setAttribute("aria-label","Mention");ul.hidden=true;ta.after(ul);
ta.setAttribute("aria-autocomplete","list");ta.setAttribute("aria-controls",id);let items=[],at=-1,q=null;
const close=()=>{ul.hidden=true;items=[];at=-1;ta.removeAttribute("aria-activedescendant")};
const mark=i=>{at=i;$$("[role=option]",ul).forEach((li,j)=>li.setAttribute("aria-selected",String(j===i)));if(i>=0)ta.setAttribute("aria-activedescendant",id+"-"+i)};
const pick=i=>{const m=items[i];if(!m||!q)return;const v=ta.value,end=ta.selectionStart,start=end-q.length-1;ta.value=v.slice(0,start)+"@"+m.username+" "+v.slice(end);const p=start+m.username.length+2;ta.setSelectionRange(p,p);close();ta.dispatchEvent(new Event("input"))};
const look=debounce(async()=>{const m=/(?:^|\\s)@([a-z0-9_-]{1,30})$/i.exec(ta.value.slice(0,ta.selectionStart));if(!m){close();return}q=m[1];
const d=await getJ(base+"/-/mentions?q="+encodeURIComponent(q)).catch(()=>null);items=(d&&d.data)||[];if(!items.length){close();return}
ul.replaceChildren(...items.map((it,i)=>{const li=document.createElement("li");li.id=id+"-"+i;li.setAttribute("role","option");li.textContent="@"+it.username+" · "+it.display_name;li.addEventListener("mousedown",ev=>{ev.preventDefault();pick(i)});return li}));
ul.hidden=false;mark(0)},200);
ta.addEventListener("input",look);ta.addEventListener("keydown",e=>{if(ul.hidden)return;if(e.key==="ArrowDown"){e.preventDefault();mark((at+1)%items.length)}else if(e.key==="ArrowUp"){e.preventDefault();mark((at-1+items.length)%items.length)}
else if(e.key==="Enter"||e.key==="Tab"){e.preventDefault();pick(at)}else if(e.key==="Escape"){e.preventDefault();close()}});ta.addEventListener("blur",()=>setTimeout(close,100))});
// Similar topics while typing a new topic's title.
const ti=$("input[data-similar]"),box=$("#similar");if(ti&&box)ti.addEventListener("input",debounce(async()=>{const t=ti.value.trim();if(t.length<4){box.replaceChildren();return}
const d=await getJ(base+"/-/similar?title="+encodeURIComponent(t)).catch(()=>null),list=(d&&d.data)||[];if(!list.length){box.replaceChildren();return}
const h=document.createElement("p");h.className="muted";h.textContent="Similar topics — maybe yours is answered:";const ul=document.createElement("ul");
list.forEach(x=>{const li=document.createElement("li"),a=document.createElement("a");a.href=x.url;a.textContent=x.title;li.append(a);ul.append(li)});box.replaceChildren(h,ul)},400));
// Read timings: the furthest post seen and the seconds the page was visible, sent every 20 s and on leaving.
const tp=$("[data-topic]");if(tp&&$("a[href*='/notifications']")){const tid=tp.dataset.topic;let readTo=0,secs=0,sent=0;
const io=new IntersectionObserver(es=>es.forEach(x=>{if(x.isIntersecting)readTo=Math.max(readTo,+x.target.dataset.number||0)}),{threshold:.5});$$("article[data-number]",tp).forEach(a=>io.observe(a));
setInterval(()=>{if(document.visibilityState==="visible")secs++},1000);
const flush=()=>{if(!readTo||secs===sent)return;const s=secs-sent;sent=secs;fetch(base+"/-/topics/"+tid+"/timings",{method:"POST",keepalive:true,credentials:"same-origin",headers:{...J,"Content-Type":"application/json"},body:JSON.stringify({read_to:readTo,seconds:Math.min(s,600)})}).catch(()=>{})};
setInterval(flush,20000);addEventListener("pagehide",flush)}
})();`;
