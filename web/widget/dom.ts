/** Tiny DOM helpers: `h` builds an element (on* attributes become listeners, `html` sets markup
 * that callers have already made safe), `icon` an inline SVG, `field` a labelled form field. */
import { state } from "./state";

type Child = Node | string | null | false | undefined;
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, unknown> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "html") el.innerHTML = v as string;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export const icon = (path: string) =>
  h("span", {
    "aria-hidden": "true",
    class: "i",
    html: `<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${path}</svg>`,
  });

export function field(id: string, label: string, type: string, mode: "off" | "optional" | "required", extra: Record<string, unknown> = {}) {
  if (mode === "off") return null;
  return h(
    "label",
    { class: "fld", for: id },
    h("span", {}, label, " ", mode === "optional" ? h("small", {}, state.t.optional) : null),
    h(type === "textarea" ? "textarea" : "input", {
      id,
      name: id,
      type,
      required: mode === "required",
      autocomplete: id === "email" ? "email" : id === "name" ? "name" : undefined,
      ...extra,
    }),
  );
}
