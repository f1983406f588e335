/**
 * Weft surveys for tenant sites: `<script src="https://<weft>/surveys.js" data-key="pk_…" defer>`.
 * Renders a fixed "Feedback" button and, when the server says this user is eligible, the NPS
 * prompt — both in a shadow root, keyboard accessible, light/dark from prefers-color-scheme.
 * The server decides eligibility (rules change without touching the site). SPAs call
 * `weftSurveys.identify(id, traits)` after sign-in and `weftSurveys.showNps()` at a good moment;
 * `data-nps="manual"` turns off the automatic check on load.
 */
import { CSS } from "./styles";

type Traits = Record<string, unknown>;
interface Eligibility {
  show: boolean;
  reason: string;
  question: string;
  feedback_enabled: boolean;
}

(() => {
  const w = window as unknown as { weftSurveys?: unknown };
  if (w.weftSurveys) return;
  const script = (document.currentScript ?? document.querySelector("script[data-key][src*='surveys.js']")) as HTMLScriptElement | null;
  const key = script?.dataset.key;
  if (!script || !key) return console.warn("Weft surveys: the script needs data-key");
  const base = new URL(script.src).origin;
  const ANON = "weft_sid";

  const rid = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  const store = (() => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  })();
  let distinctId = store?.getItem(ANON) ?? "";
  if (!distinctId) {
    distinctId = `anon_${rid()}`;
    store?.setItem(ANON, distinctId);
  }
  let traits: Traits = {};

  const url = (path: string, q: Record<string, string> = {}) =>
    `${base}/public/v1/surveys${path}?${new URLSearchParams({ key: String(key), ...q })}`;
  /** POST with a retry on network errors; the bodies carry client ids, so a retry counts once. */
  const post = async (path: string, body: BodyInit, json = true): Promise<Response> => {
    for (let i = 0; ; i++) {
      try {
        return await fetch(url(path), { method: "POST", body, headers: json ? { "Content-Type": "application/json" } : {} });
      } catch (e) {
        if (i >= 2) throw e;
        await new Promise((r) => setTimeout(r, 500 * 2 ** i));
      }
    }
  };

  const host = document.createElement("div");
  host.setAttribute("data-weft-surveys", "");
  const root = host.attachShadow({ mode: "open" });
  const wrap = document.createElement("div");
  wrap.className = "w";
  const style = document.createElement("style");
  style.textContent = CSS;
  root.append(style, wrap);

  const h = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {},
    ...kids: (Node | string)[]
  ) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k.startsWith("aria-") || k === "role" || k === "for") el.setAttribute(k, String(v));
      else (el as unknown as Record<string, unknown>)[k] = v;
    }
    el.append(...kids);
    return el;
  };

  /** A dialog card: Esc and the × call `close`; focus returns to where it was. One at a time: opening one closes the other. */
  let current: (() => void) | null = null;
  const card = (title: string, close: () => void, ...body: Node[]) => {
    current?.();
    const prev = (document.activeElement as HTMLElement | null) ?? null;
    const heading = h("h2", { id: `wt${rid().slice(0, 6)}` }, title);
    const el = h(
      "div",
      { className: "c", role: "dialog", "aria-labelledby": heading.id },
      heading,
      h("button", { type: "button", className: "x", "aria-label": "Close", onclick: () => done() }, "×"),
      ...body,
    );
    const done = () => {
      if (!el.isConnected) return;
      el.remove();
      current = null;
      close();
      prev?.focus?.();
    };
    current = done;
    el.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        done();
      }
    });
    wrap.append(el);
    return { el, done };
  };

  const thanks = (text: string) => {
    const c = card(text, () => {});
    (c.el.querySelector(".x") as HTMLElement).focus();
    setTimeout(c.done, 2500);
  };

  // ── NPS ────────────────────────────────────────────────────────────────
  let npsOpen = false;
  const openNps = (question: string) => {
    if (npsOpen) return;
    npsOpen = true;
    let score = -1;
    let answered = false;
    const comment = h("textarea", { id: "wnc", maxLength: 2000 });
    const send = h("button", { type: "submit", className: "p", disabled: true }, "Send");
    const err = h("div", { className: "e", role: "alert" });
    const scale = h("div", { className: "s", role: "radiogroup", "aria-label": "Score from 0 (not likely) to 10 (very likely)" });
    const pick = (n: number, focus: boolean) => {
      score = n;
      send.disabled = false;
      scale.querySelectorAll("button").forEach((b, i) => {
        b.setAttribute("aria-checked", String(i === n));
        b.tabIndex = i === n ? 0 : -1;
        if (i === n && focus) b.focus();
      });
    };
    for (let i = 0; i <= 10; i++)
      scale.append(
        h(
          "button",
          { type: "button", role: "radio", "aria-checked": "false", tabIndex: i ? -1 : 0, onclick: () => pick(i, false) },
          String(i),
        ),
      );
    // Arrow keys move along the scale (a radio group); Home/End jump to the ends.
    scale.addEventListener("keydown", (e) => {
      const step: Record<string, number> = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 };
      let n = e.key in step ? Math.max(0, score) + (step[e.key] ?? 0) : e.key === "Home" ? 0 : e.key === "End" ? 10 : null;
      if (n === null) return;
      e.preventDefault();
      if (score < 0 && e.key in step) n = (step[e.key] ?? 0) > 0 ? 0 : 10;
      pick(Math.min(10, Math.max(0, n)), true);
    });
    const form = h(
      "form",
      {},
      scale,
      h("div", { className: "l", "aria-hidden": "true" }, h("span", {}, "Not likely"), h("span", {}, "Very likely")),
      h("label", { for: "wnc" }, "What is the main reason for your score? (optional)"),
      comment,
      err,
      h("div", { className: "r" }, send),
    );
    const c = card(
      question,
      () => {
        npsOpen = false;
        // Closing without answering is a dismissal: the server waits a full period before asking again.
        if (!answered) post("/nps/dismissals", JSON.stringify({ distinct_id: distinctId })).catch(() => {});
      },
      form,
    );
    form.onsubmit = async (e) => {
      e.preventDefault();
      if (score < 0) return;
      send.disabled = true;
      err.textContent = "";
      const body = {
        id: rid(),
        distinct_id: distinctId,
        score,
        comment: comment.value.trim() || null,
        page_url: location.href.split("#")[0],
        traits,
      };
      try {
        const r = await post("/nps/responses", JSON.stringify(body));
        if (!r.ok) throw new Error(String(r.status));
        answered = true;
        c.done();
        thanks("Thank you for your feedback!");
      } catch {
        err.textContent = "Could not send. Please try again.";
        send.disabled = false;
      }
    };
    (scale.firstChild as HTMLElement).focus();
  };

  let config: Eligibility | null = null;
  /** Reads the decision (and the feedback switch); opens the prompt when eligible, or always with `force`, never with `open` false. */
  const check = async (force = false, open = true): Promise<boolean> => {
    const q: Record<string, string> = { distinct_id: distinctId };
    const su = traits.signed_up_at;
    if (su != null) q.signed_up_at = String(su);
    const r = await fetch(url("/nps/eligibility", q));
    if (!r.ok) return false;
    config = (await r.json()) as Eligibility;
    renderButton();
    if (!open || (!config.show && !force)) return false;
    openNps(config.question);
    return true;
  };

  // ── Feedback ───────────────────────────────────────────────────────────
  let button: HTMLButtonElement | null = null;
  const renderButton = () => {
    if (!config?.feedback_enabled || script.dataset.feedback === "off") return button?.remove();
    if (!button) button = h("button", { type: "button", className: "fb", "aria-haspopup": "dialog", onclick: openFeedback }, "Feedback");
    if (!button.isConnected) wrap.append(button);
  };
  const field = (id: string, label: string, el: HTMLElement) => [
    h("label", { for: id }, label),
    Object.assign(el, { id, name: id.slice(1) }),
  ];
  function openFeedback() {
    const err = h("div", { className: "e", role: "alert" });
    const select = h("select", {});
    for (const [v, t] of [
      ["bug", "Something is broken"],
      ["idea", "An idea"],
      ["question", "A question"],
      ["other", "Something else"],
    ])
      select.append(h("option", { value: v }, t));
    const form = h(
      "form",
      {},
      ...field("wcategory", "What is it about?", select),
      ...field("wmessage", "Your feedback", h("textarea", { required: true, maxLength: 5000 })),
      ...field("wemail", "Email (optional, for a reply)", h("input", { type: "email", autocomplete: "email" })),
      ...field(
        "wscreenshot",
        "Screenshot (optional, PNG or JPEG up to 2 MB)",
        h("input", { type: "file", accept: "image/png,image/jpeg" }),
      ),
      err,
      h("div", { className: "r" }, h("button", { type: "submit", className: "p" }, "Send feedback")),
    );
    const c = card("Send feedback", () => {}, form);
    form.onsubmit = async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const file = data.get("screenshot");
      if (file instanceof File && file.size > 2 * 1024 * 1024) {
        err.textContent = "The screenshot is larger than 2 MB.";
        return;
      }
      data.set("page_url", location.href.split("#")[0] ?? "");
      data.set("distinct_id", distinctId);
      data.set("id", rid());
      err.textContent = "";
      try {
        const r = await post("/feedback", data, false);
        if (!r.ok) throw new Error(((await r.json().catch(() => null)) as { detail?: string } | null)?.detail ?? "");
        c.done();
        thanks("Thanks! Your feedback was sent.");
      } catch (x) {
        err.textContent = (x as Error).message || "Could not send. Please try again.";
      }
    };
    (select as HTMLElement).focus();
  }

  w.weftSurveys = {
    /** Ties answers to the tenant's user (and their plan / sign-up date), then re-checks eligibility. */
    identify(id: string, t: Traits = {}) {
      distinctId = String(id);
      traits = { ...t };
      check(false, script.dataset.nps !== "manual").catch(() => {});
    },
    /** Asks the server and shows the prompt when this user is eligible; `{ force: true }` shows it regardless (previews). */
    showNps: (opts: { force?: boolean } = {}) => check(!!opts.force),
    openFeedback,
  };
  const start = () => {
    document.body.append(host);
    check(false, script.dataset.nps !== "manual").catch(() => {});
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
