/**
 * The assistant panel's own strings in the five languages it speaks. Only the panel is translated:
 * the rest of the dashboard stays English (docs/automation.md, "Assistant — dashboard").
 * The chosen language is remembered per browser; without a choice it follows navigator.language.
 */
import { useSyncExternalStore } from "react";
import { de } from "./locales/de";
import { en, type Messages } from "./locales/en";
import { es } from "./locales/es";
import { fr } from "./locales/fr";
import { pt } from "./locales/pt";
import type { AssistantLocale } from "./types";

export type { Messages };

export const LOCALES: { id: AssistantLocale; name: string; speech: string }[] = [
  { id: "en", name: "English", speech: "en-US" },
  { id: "es", name: "Español", speech: "es-ES" },
  { id: "de", name: "Deutsch", speech: "de-DE" },
  { id: "fr", name: "Français", speech: "fr-FR" },
  { id: "pt", name: "Português", speech: "pt-BR" },
];

export const CATALOGUE: Record<AssistantLocale, Messages> = { en, es, de, fr, pt };

const KEY = "weft.assistant.locale";
const listeners = new Set<() => void>();

const isLocale = (s: string | null | undefined): s is AssistantLocale => LOCALES.some((l) => l.id === s);

/** The browser's language if the panel speaks it, else English. */
export function browserLocale(): AssistantLocale {
  const langs = typeof navigator === "undefined" ? [] : [...(navigator.languages ?? []), navigator.language];
  for (const l of langs) {
    const base = l?.slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return "en";
}

function readLocale(): AssistantLocale {
  try {
    const saved = localStorage.getItem(KEY);
    if (isLocale(saved)) return saved;
  } catch {
    /* storage blocked: follow the browser */
  }
  return browserLocale();
}

export function setAssistantLocale(l: AssistantLocale) {
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* not remembered, still applied below */
  }
  current = l;
  for (const f of listeners) f();
}

let current: AssistantLocale | null = null;
const subscribe = (f: () => void) => {
  listeners.add(f);
  return () => listeners.delete(f);
};
const snapshot = () => {
  current ??= readLocale();
  return current;
};

/** The panel's language and its strings. */
export function useAssistantLocale(): [AssistantLocale, Messages] {
  const l = useSyncExternalStore(subscribe, snapshot);
  return [l, CATALOGUE[l]];
}
