// The part of the demo seed that needs the running Worker, done through the same public APIs a
// customer's team and visitors use (so nothing is faked):
// - knowledge: teammates upload the shop's policy documents and write FAQ entries; the Worker stores
//   the originals in R2 and the `weft-knowledge` queue indexes them (chunks, FTS5 rows by trigger,
//   local vectors, term statistics) exactly as for any upload. We wait until they are `ready`.
// - chat: visitors start conversations through the widget's public API and WebSocket (with the demo
//   site's publishable key and origin), the local AI answers from that knowledge, visitors ask for a
//   person, Sam and Priya answer, assign and close through the agent API, visitors rate. Each
//   ChatSession object holds its transcript and mirrors it to D1 like a live conversation.
// Only what seed() reported missing is created, so a second run does nothing (not even sign in).
import { CHAT_SCENARIOS, KNOWLEDGE_FAQS, KNOWLEDGE_FILES, TEAMMATES } from "./content.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {object} o
 * @param {string} o.url        the dev server (e.g. http://localhost:8787)
 * @param {{knowledge: string[], chat: string[]}} o.live  what seed() reported missing
 * @param {string} o.password   the demo password (teammates use it too)
 * @param {string} o.key        the demo site's publishable key (web/widget/demo-site.mjs)
 * @param {string} o.origin     an origin that key allows
 * @param {(msg: string) => void} [o.log]
 */
export async function seedLive({ url, live, password, key, origin, log = () => {} }) {
  const done = { knowledge: 0, chat: 0 };
  if (!live.knowledge.length && !live.chat.length) return done;
  const base = url.replace(/\/$/, "");
  let ipSeq = 0;
  const call = async (path, { method = "GET", token, tenant, body, form, headers = {} } = {}) => {
    const h = { "CF-Connecting-IP": headers["CF-Connecting-IP"] ?? "127.0.9.250", ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (tenant) h["X-Tenant-ID"] = tenant;
    if (body) h["Content-Type"] = "application/json";
    const init = { method, headers: h, body: form ?? (body ? JSON.stringify(body) : undefined) };
    // A dev server still warming up may drop a connection: retry those (requests are not sent twice on a reply).
    let res;
    for (let attempt = 1; !res; attempt++) {
      try {
        res = await fetch(`${base}${path}`, init);
      } catch (e) {
        if (attempt >= 4) throw new Error(`${method} ${path}: ${e.cause?.code ?? e.message}`);
        await sleep(500 * attempt);
      }
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${json?.detail ?? text.slice(0, 200)}`);
    return json;
  };
  const sessions = new Map();
  const signIn = async (who) => {
    if (sessions.has(who)) return sessions.get(who);
    const u = TEAMMATES.find((t) => t.id === `usr_demo_${who}`);
    const r = await call("/api/v1/auth/login", {
      method: "POST",
      body: { email: u.email, password },
      headers: { "CF-Connecting-IP": `127.0.9.${++ipSeq}` },
    });
    if (!r.access_token) throw new Error(`${u.email} has two-factor sign-in on; the demo cannot act as them`);
    const me = await call("/api/v1/me", { token: r.access_token });
    const tenant = me.memberships.find((m) => m.tenant.slug === "demo")?.tenant.id;
    if (!tenant) throw new Error(`${u.email} is not a member of the demo workspace`);
    const s = { token: r.access_token, tenant, userId: u.id };
    sessions.set(who, s);
    return s;
  };

  // ---------------------------------------------------------------- knowledge
  const wanted = new Set(live.knowledge);
  if (wanted.size) {
    const priya = await signIn("priya");
    const lena = await signIn("lena");
    for (const f of KNOWLEDGE_FILES.filter((x) => wanted.has(x.title))) {
      const form = new FormData();
      form.set("file", new Blob([f.text], { type: "text/markdown" }), f.file);
      form.set("title", f.title);
      form.set("collection", f.collection);
      await call("/api/v1/knowledge/sources/files", { method: "POST", token: priya.token, tenant: priya.tenant, form });
    }
    for (const f of KNOWLEDGE_FAQS.filter((x) => wanted.has(x.question)))
      await call("/api/v1/knowledge/sources/faq", {
        method: "POST",
        token: lena.token,
        tenant: lena.tenant,
        body: { question: f.question, answer: f.answer, collection: "faq" },
      });
    log(`knowledge: ${wanted.size} sources uploaded, indexing…`);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const { data } = await call("/api/v1/knowledge/sources?limit=100", { token: priya.token, tenant: priya.tenant });
      const mine = data.filter((s) => wanted.has(s.title));
      const pending = mine.filter((s) => s.status === "queued" || s.status === "indexing");
      if (!pending.length) {
        const failed = mine.filter((s) => s.status === "failed");
        if (failed.length) throw new Error(`knowledge indexing failed: ${failed.map((s) => `${s.title}: ${s.error}`).join("; ")}`);
        break;
      }
      if (Date.now() > deadline) throw new Error(`knowledge indexing did not finish: ${pending.map((s) => s.title).join(", ")}`);
      await sleep(400);
    }
    done.knowledge = wanted.size;
  }

  // ---------------------------------------------------------------- chat
  const scenarios = CHAT_SCENARIOS.filter((s) => live.chat.includes(s.visitor.email));
  const agents = {};
  for (const s of scenarios) for (const st of s.steps ?? []) if (st.agent || st.close) agents[st.agent ?? st.close] = true;
  for (const who of Object.keys(agents)) await signIn(who);
  await Promise.all(
    scenarios.map(async (s, i) => {
      const ip = `127.0.10.${i + 1}`;
      const pub = { Origin: origin, "X-Weft-Key": key, "CF-Connecting-IP": ip };
      const v = await call("/public/v1/chat/visitors", {
        method: "POST",
        headers: pub,
        body: { name: s.visitor.name, email: s.visitor.email },
      });
      const vt = v.visitor_token;
      if (s.offline) {
        await call("/public/v1/chat/offline", {
          method: "POST",
          headers: { ...pub, Authorization: `Bearer ${vt}` },
          body: { name: s.visitor.name, email: s.visitor.email, message: s.offline, page_url: s.page },
        });
        return;
      }
      const conv = await call("/public/v1/chat/conversations", {
        method: "POST",
        headers: { ...pub, Authorization: `Bearer ${vt}` },
        body: { page_url: s.page, prechat: { name: s.visitor.name, email: s.visitor.email } },
      });
      const sock = await visitorSocket(
        `${base.replace(/^http/, "ws")}/public/v1/chat/conversations/${conv.id}/ws?key=${encodeURIComponent(key)}&token=${encodeURIComponent(vt)}`,
        { Origin: origin, "CF-Connecting-IP": ip },
      );
      try {
        for (const st of s.steps) {
          if (st.say) {
            const aiAnswers = sock.state.status === "open";
            const cid = `demo-${s.key}-${Math.random().toString(36).slice(2, 10)}`;
            const from = sock.mark();
            sock.send({ type: "message", client_id: cid, body: st.say });
            await sock.until((ev) => ev.type === "ack" && ev.client_id === cid, { from });
            if (aiAnswers) await sock.until((ev) => ev.type === "message" && ev.message.role === "ai", { from, timeoutMs: 30_000 });
          } else if (st.handoff) {
            sock.send({ type: "handoff" });
            await sock.until(() => sock.state.status === "waiting");
          } else if (st.agent) {
            const a = sessions.get(st.agent);
            await call(`/api/v1/chat/conversations/${conv.id}/messages`, {
              method: "POST",
              token: a.token,
              tenant: a.tenant,
              body: { body: st.text },
            });
            await sock.until((ev) => ev.type === "message" && ev.message.role === "agent" && ev.message.body === st.text);
          } else if (st.close) {
            const a = sessions.get(st.close);
            await call(`/api/v1/chat/conversations/${conv.id}/close`, { method: "POST", token: a.token, tenant: a.tenant });
            await sock.until(() => sock.state.status === "closed");
          } else if (st.end) {
            sock.send({ type: "close" });
            await sock.until(() => sock.state.status === "closed");
          } else if (st.rate) {
            sock.send({ type: "csat", rating: st.rate, comment: st.comment });
            await sock.until(() => sock.state.csat_rating === st.rate);
          }
          await sleep(250);
        }
      } finally {
        sock.close();
      }
    }),
  );
  done.chat = scenarios.length;
  return done;
}

/**
 * A visitor's WebSocket: resolves once `ready`. `until(pred, { from })` waits for a matching event,
 * counting those already received since `mark()` returned `from`.
 */
function visitorSocket(url, headers) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const seen = [];
    const waiters = new Set();
    const api = {
      state: {},
      send: (m) => ws.send(JSON.stringify(m)),
      close: () => ws.close(),
      mark: () => seen.length,
      until(pred, { from = 0, timeoutMs = 20_000 } = {}) {
        const hit = seen.slice(from).find(pred);
        if (hit) return Promise.resolve(hit);
        return new Promise((ok, fail) => {
          const w = { pred, ok };
          const t = setTimeout(() => {
            waiters.delete(w);
            fail(new Error(`chat: timed out waiting on ${url.split("?")[0]}`));
          }, timeoutMs);
          w.ok = (ev) => {
            clearTimeout(t);
            ok(ev);
          };
          waiters.add(w);
        });
      },
    };
    ws.onmessage = (e) => {
      const ev = JSON.parse(e.data);
      if (ev.type === "ready" || ev.type === "status") api.state = ev.conversation;
      if (ev.type === "ready") resolve(api);
      if (ev.type === "error") console.warn(`demo chat: ${ev.code}: ${ev.detail}`);
      seen.push(ev);
      for (const w of [...waiters])
        if (w.pred(ev)) {
          waiters.delete(w);
          w.ok(ev);
        }
    };
    ws.onerror = () => reject(new Error(`chat: WebSocket to ${url.split("?")[0]} failed`));
  });
}
