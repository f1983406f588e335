import type { AssistantLocale } from "../../../schema/assistant";

/** What the local answerer says, in the dashboard's five languages. */
type Phrases = {
  orders: (n: number, status: string | null, when: string | null) => string;
  members: (n: number) => string;
  invite: (email: string, role: string) => string;
  unknown: string;
  examples: string[];
  status: Record<string, string>;
  when: Record<string, string>;
  role: Record<string, string>;
};

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export const PHRASES: Record<AssistantLocale, Phrases> = {
  en: {
    orders: (n, s, w) => `${n} ${plural(n, "order", "orders")}${s ? ` ${plural(n, "was", "were")} ${s}` : ""}${w ? ` ${w}` : ""}.`,
    members: (n) => `The workspace has ${n} ${plural(n, "member", "members")}.`,
    invite: (e, r) => `Invite ${e} as ${r}`,
    unknown: "I can't answer that offline (no AI provider is configured). Questions I can answer offline:",
    examples: ["How many orders were refunded last week?", "How many members do we have?", "Invite ana@example.com as admin"],
    status: { refunded: "refunded", paid: "paid", cancelled: "cancelled", pending: "pending", fulfilled: "fulfilled" },
    when: {
      last_week: "last week",
      this_week: "this week",
      today: "today",
      yesterday: "yesterday",
      last_month: "last month",
      this_month: "this month",
    },
    role: { admin: "admin", member: "member", viewer: "viewer" },
  },
  es: {
    orders: (n, s, w) =>
      `${n} ${plural(n, "pedido", "pedidos")}${s ? ` ${plural(n, "fue", "fueron")} ${s}${n === 1 ? "" : "s"}` : ""}${w ? ` ${w}` : ""}.`,
    members: (n) => `El espacio de trabajo tiene ${n} ${plural(n, "miembro", "miembros")}.`,
    invite: (e, r) => `Invitar a ${e} como ${r}`,
    unknown:
      "No puedo responder a eso sin conexión (no hay ningún proveedor de IA configurado). Preguntas que puedo responder sin conexión:",
    examples: ["¿Cuántos pedidos se reembolsaron la semana pasada?", "¿Cuántos miembros tenemos?", "Invita a ana@example.com como admin"],
    status: { refunded: "reembolsado", paid: "pagado", cancelled: "cancelado", pending: "pendiente", fulfilled: "enviado" },
    when: {
      last_week: "la semana pasada",
      this_week: "esta semana",
      today: "hoy",
      yesterday: "ayer",
      last_month: "el mes pasado",
      this_month: "este mes",
    },
    role: { admin: "administrador", member: "miembro", viewer: "lector" },
  },
  de: {
    orders: (n, s, w) =>
      `${n} ${plural(n, "Bestellung", "Bestellungen")}${w ? ` ${plural(n, "wurde", "wurden")} ${w}` : s ? ` ${plural(n, "wurde", "wurden")}` : ""}${s ? ` ${s}` : ""}.`,
    members: (n) => `Der Workspace hat ${n} ${plural(n, "Mitglied", "Mitglieder")}.`,
    invite: (e, r) => `${e} als ${r} einladen`,
    unknown: "Das kann ich offline nicht beantworten (kein KI-Anbieter eingerichtet). Fragen, die ich offline beantworten kann:",
    examples: [
      "Wie viele Bestellungen wurden letzte Woche erstattet?",
      "Wie viele Mitglieder haben wir?",
      "Lade ana@example.com als Admin ein",
    ],
    status: { refunded: "erstattet", paid: "bezahlt", cancelled: "storniert", pending: "offen", fulfilled: "versandt" },
    when: {
      last_week: "letzte Woche",
      this_week: "diese Woche",
      today: "heute",
      yesterday: "gestern",
      last_month: "letzten Monat",
      this_month: "diesen Monat",
    },
    role: { admin: "Admin", member: "Mitglied", viewer: "Betrachter" },
  },
  fr: {
    orders: (n, s, w) =>
      `${n} ${plural(n, "commande", "commandes")}${s ? ` ${plural(n, "a été", "ont été")} ${s}${n === 1 ? "e" : "es"}` : ""}${w ? ` ${w}` : ""}.`,
    members: (n) => `L'espace de travail compte ${n} ${plural(n, "membre", "membres")}.`,
    invite: (e, r) => `Inviter ${e} en tant que ${r}`,
    unknown:
      "Je ne peux pas répondre à cela hors ligne (aucun fournisseur d'IA n'est configuré). Questions auxquelles je réponds hors ligne :",
    examples: [
      "Combien de commandes ont été remboursées la semaine dernière ?",
      "Combien de membres avons-nous ?",
      "Invite ana@example.com en tant qu'admin",
    ],
    status: { refunded: "remboursé", paid: "payé", cancelled: "annulé", pending: "en attente", fulfilled: "expédié" },
    when: {
      last_week: "la semaine dernière",
      this_week: "cette semaine",
      today: "aujourd'hui",
      yesterday: "hier",
      last_month: "le mois dernier",
      this_month: "ce mois-ci",
    },
    role: { admin: "administrateur", member: "membre", viewer: "lecteur" },
  },
  pt: {
    orders: (n, s, w) =>
      `${n} ${plural(n, "pedido", "pedidos")}${s ? ` ${plural(n, "foi", "foram")} ${s}${n === 1 ? "" : "s"}` : ""}${w ? ` ${w}` : ""}.`,
    members: (n) => `O espaço de trabalho tem ${n} ${plural(n, "membro", "membros")}.`,
    invite: (e, r) => `Convidar ${e} como ${r}`,
    unknown: "Não consigo responder a isso offline (nenhum provedor de IA configurado). Perguntas que respondo offline:",
    examples: ["Quantos pedidos foram reembolsados na semana passada?", "Quantos membros temos?", "Convide ana@example.com como admin"],
    status: { refunded: "reembolsado", paid: "pago", cancelled: "cancelado", pending: "pendente", fulfilled: "enviado" },
    when: {
      last_week: "na semana passada",
      this_week: "esta semana",
      today: "hoje",
      yesterday: "ontem",
      last_month: "no mês passado",
      this_month: "este mês",
    },
    role: { admin: "administrador", member: "membro", viewer: "leitor" },
  },
};
