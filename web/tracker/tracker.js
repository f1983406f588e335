// Weft analytics tracker (served as /a.js). Budget: ≤ 1,024 bytes gzip — check with
// `node web/tracker/build.mjs`. Usage:
//   <script src="https://<weft>/a.js" data-key="pk_live_…" defer></script>
// Options: data-consent="required" (nothing stored until weft.consent(true); events stay
// cookieless with an in-memory id), data-dnt="ignore" (track even with Do-Not-Track / GPC).
// API: weft.track(name, props), weft.identify(userId, traits), weft.consent(granted).
// Page views include SPA navigations (history.pushState / popstate); outbound links and form
// submits are auto-captured unless the workspace switched them off (the server's answer says).
((w, d, n) => {
  var s = d.currentScript;
  var o = s.dataset;
  var url = `${new URL(s.src).origin}/public/v1/events?key=${encodeURIComponent(o.key)}`;
  var L = w.localStorage;
  var consent = o.consent !== "required";
  if (o.dnt !== "ignore" && (n.doNotTrack === "1" || n.globalPrivacyControl)) return;
  var rnd = () => Math.random().toString(36).slice(2) + Date.now().toString(36);
  // Storage only with consent; a blocked localStorage (privacy modes) must not break tracking.
  var store = (v) => {
    try {
      v ? consent && L.setItem("weft_id", v) : L.removeItem("weft_id");
    } catch {}
  };
  var id;
  try {
    id = consent && L.getItem("weft_id");
  } catch {}
  id = id || rnd();
  var sid = rnd();
  var q = [];
  var timer;
  var tries = 0;
  var links = 1;
  var forms = 1;
  var last;
  var ref = d.referrer;
  var flush = (beacon) => {
    clearTimeout(timer);
    timer = 0;
    if (!q.length) return;
    var batch = q.splice(0, 50);
    var body = JSON.stringify({ events: batch, sent_at: Date.now() });
    if (beacon && n.sendBeacon(url, body)) return;
    fetch(url, { method: "POST", body, keepalive: true })
      .then((r) => {
        if (r.status > 428) throw 0; // 429 and 5xx: retry; other 4xx: the batch itself is refused
        tries = 0;
        return r.json();
      })
      .then((j) => {
        j = j.settings;
        links = j.autocapture_links;
        forms = j.autocapture_forms;
      })
      .catch(() => {
        // Network or server trouble: put the batch back and retry with backoff (at most 5 times).
        if (tries++ < 5) {
          q = batch.concat(q);
          timer = setTimeout(flush, 1e3 << tries);
        }
      });
    q.length && flush();
  };
  var track = (name, props) => {
    props = props || {};
    props.$current_url = location.href;
    props.$session_id = sid;
    q.push({ id: rnd(), name, distinct_id: id, ts: Date.now(), props });
    timer = timer || setTimeout(flush, 1e3);
  };
  var page = () => {
    var p = location.pathname + location.search;
    if (last !== p) {
      track("$pageview", { $referrer: ref });
      ref = location.href;
      last = p;
    }
  };
  var push = history.pushState;
  history.pushState = function (...a) {
    push.apply(this, a);
    page();
  };
  var on = (t, f, o) => (o || d).addEventListener(t, f, 1);
  on("popstate", page, w);
  on("visibilitychange", () => d.visibilityState === "hidden" && flush(1));
  on("click", (e) => {
    var a = e.target.closest("a[href]");
    links && a && a.host !== location.host && track("$outbound_click", { href: a.href });
  });
  on("submit", (e) => forms && track("$form_submit", { form: e.target.id || e.target.action }));
  w.weft = {
    track,
    identify: (uid, traits) => {
      track("$identify", { $anon_distinct_id: id, $set: traits });
      q[q.length - 1].distinct_id = id = `${uid}`;
      store(id);
    },
    consent: (yes) => {
      consent = yes;
      store(yes && id);
    },
  };
  store(id);
  page();
})(window, document, navigator);
