import type { AssistantLocale } from "../../../schema/assistant";

/**
 * The local answerer (no AI provider configured, or none answering): maps the questions it
 * understands, in en/es/de/fr/pt, onto a tool call. Deterministic regular expressions over the
 * accent-folded question; anything else is "I can't answer that offline" (never a guess).
 */
export type LocalIntent =
  | {
      kind: "count_orders";
      method: "GET";
      path: "/api/v1/commerce/orders";
      args: Record<string, string>;
      status: string | null;
      when: string | null;
    }
  | { kind: "count_members"; method: "GET"; path: "/api/v1/members"; args: Record<string, string> }
  | { kind: "invite"; method: "POST"; path: "/api/v1/invitations"; args: { email: string; role: string } }
  | { kind: "unknown" };

const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");

const ORDER = /\b(orders?|pedidos?|bestellung(en)?|commandes?|encomendas?)\b/;
const MEMBER = /\b(members?|miembros?|mitglieder|mitglied|membres?|membros?|teammates?|people in the workspace)\b/;
const COUNT = /\b(how many|number of|count|cuantos?|cuantas?|wie viele|combien|quantos?|quantas?)\b/;
const INVITE = /\b(invite|invita|invitar|invitale|einladen|lade|inviter|invitez|invite[sz]?|convide|convidar|convida)\b/;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/i;

const STATUS: [RegExp, string][] = [
  [/partially refunded|parcialmente reembols|teilweise erstattet|partiellement rembours/, "partially_refunded"],
  [/refund|reembols|erstatt|rembours/, "refunded"],
  [/cancel|storni|annul/, "cancelled"],
  [/\bpaid\b|pagad|pagos?\b|bezahlt|payee?s?\b/, "paid"],
  [/pending|pendiente|offen|en attente|pendente/, "pending"],
  [/fulfilled|shipped|enviad|versandt|expedie/, "fulfilled"],
];
const WHEN: [RegExp, string][] = [
  [/last week|semana pasada|letzte[nr]? woche|vergangene[nr]? woche|semaine (derniere|passee)|semana passada/, "last_week"],
  [/this week|esta semana|diese[rn]? woche|cette semaine/, "this_week"],
  [/yesterday|ayer|gestern|hier\b|ontem/, "yesterday"],
  [/today|\bhoy\b|heute|aujourd'?hui|\bhoje\b/, "today"],
  [/last month|mes pasado|letzte[nr]? monat|mois dernier|mes passado/, "last_month"],
  [/this month|este mes|diese[nr]? monat|ce mois|este mes/, "this_month"],
];
const ROLES: [RegExp, string][] = [
  [/\b(admin|administrador|administrator|administrateur|administratorin)\b/, "admin"],
  [/\b(viewer|lector|betrachter|lecteur|leitor|visualizador)\b/, "viewer"],
  [/\b(member|miembro|mitglied|membre|membro)\b/, "member"],
];

const DAY = 86_400_000;
/** [from, to) in UTC for a named window; weeks start on Monday. */
export function windowOf(when: string, now = Date.now()): { from: string; to: string } {
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const monday = today - ((d.getUTCDay() + 6) % 7) * DAY;
  const month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const r = (a: number, b: number) => ({ from: new Date(a).toISOString(), to: new Date(b).toISOString() });
  switch (when) {
    case "last_week":
      return r(monday - 7 * DAY, monday);
    case "this_week":
      return r(monday, monday + 7 * DAY);
    case "yesterday":
      return r(today - DAY, today);
    case "today":
      return r(today, today + DAY);
    case "last_month":
      return r(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), month);
    default:
      return r(month, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
}

export function detectLocale(question: string): AssistantLocale | null {
  const q = fold(question);
  if (/\b(cuant|pedidos? |semana pasada|invita a|como admin|miembros)/.test(q) && !/\b(quant|foram|passada)/.test(q)) return "es";
  if (/\b(wie viele|bestellung|woche|einladen|lade |mitglied)/.test(q)) return "de";
  if (/\b(combien|commande|semaine|inviter|invitez|membres|en tant que)/.test(q)) return "fr";
  if (/\b(quant|foram|passada|convid|membros|encomenda)/.test(q)) return "pt";
  if (/\b(how|what|invite|orders?|members?)\b/.test(q)) return "en";
  return null;
}

export function mapQuestion(question: string, now = Date.now()): LocalIntent {
  const q = fold(question);
  const email = question.match(EMAIL)?.[0];
  if (email && INVITE.test(q)) {
    const rest = fold(question.replace(EMAIL, " "));
    const role = ROLES.find(([re]) => re.test(rest))?.[1] ?? "member";
    return { kind: "invite", method: "POST", path: "/api/v1/invitations", args: { email: email.toLowerCase(), role } };
  }
  if (ORDER.test(q) && (COUNT.test(q) || STATUS.some(([re]) => re.test(q)))) {
    const status = STATUS.find(([re]) => re.test(q))?.[1] ?? null;
    const when = WHEN.find(([re]) => re.test(q))?.[1] ?? null;
    const args: Record<string, string> = { limit: "100" };
    if (status) args.status = status;
    if (when) Object.assign(args, windowOf(when, now));
    return { kind: "count_orders", method: "GET", path: "/api/v1/commerce/orders", args, status, when };
  }
  if (MEMBER.test(q) && COUNT.test(q)) return { kind: "count_members", method: "GET", path: "/api/v1/members", args: { limit: "100" } };
  return { kind: "unknown" };
}
