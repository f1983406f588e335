import type { ChatMessage } from "../../lib/api-types";

type SystemInfo = NonNullable<ChatMessage["system"]>;
type Code = SystemInfo["code"];
type Table = Record<Code, (name: string) => string>;

/** Transcript system lines as the team reads them, in the agent's language. The transcript stores
 * them in English and each carries `system.code` (workers/modules/chat/system-messages.ts), the same
 * codes the widget translates for visitors; here the wording is the agent's side ("The visitor
 * ended…" where the visitor sees "You ended…"). Each table is complete: a new code fails the type check. */
const en: Table = {
  waiting: () => "The visitor is waiting for a person from the team.",
  joined: (n) => `${n} joined the conversation.`,
  ended_by_visitor: () => "The visitor ended the conversation.",
  ended_by_agent: (n) => `${n} ended the conversation.`,
  ended: () => "Weft ended the conversation.",
  idle_closed: () => "Conversation closed after inactivity.",
  offline_left: () => "Message left while the team was offline; reply by email.",
  ai_unavailable: () => "The AI assistant was unavailable; the visitor was offered a person.",
  ai_failed: () => "The assistant could not answer; the visitor was offered a person.",
  handoff_offered: () => "A hand-off rule fired; the visitor was offered a person.",
};
const es: Table = {
  waiting: () => "El visitante espera a una persona del equipo.",
  joined: (n) => `${n} se unió a la conversación.`,
  ended_by_visitor: () => "El visitante finalizó la conversación.",
  ended_by_agent: (n) => `${n} finalizó la conversación.`,
  ended: () => "Weft finalizó la conversación.",
  idle_closed: () => "Conversación cerrada por inactividad.",
  offline_left: () => "Mensaje dejado mientras el equipo no estaba conectado; respondan por correo.",
  ai_unavailable: () => "El asistente de IA no estaba disponible; se ofreció una persona al visitante.",
  ai_failed: () => "El asistente no pudo responder; se ofreció una persona al visitante.",
  handoff_offered: () => "Se cumplió una regla de traspaso; se ofreció una persona al visitante.",
};
const de: Table = {
  waiting: () => "Der Besucher wartet auf eine Person aus dem Team.",
  joined: (n) => `${n} ist dem Gespräch beigetreten.`,
  ended_by_visitor: () => "Der Besucher hat das Gespräch beendet.",
  ended_by_agent: (n) => `${n} hat das Gespräch beendet.`,
  ended: () => "Weft hat das Gespräch beendet.",
  idle_closed: () => "Gespräch wegen Inaktivität geschlossen.",
  offline_left: () => "Nachricht hinterlassen, während das Team offline war; bitte per E-Mail antworten.",
  ai_unavailable: () => "Der KI-Assistent war nicht verfügbar; dem Besucher wurde eine Person angeboten.",
  ai_failed: () => "Der Assistent konnte nicht antworten; dem Besucher wurde eine Person angeboten.",
  handoff_offered: () => "Eine Übergaberegel hat gegriffen; dem Besucher wurde eine Person angeboten.",
};
const fr: Table = {
  waiting: () => "Le visiteur attend une personne de l'équipe.",
  joined: (n) => `${n} a rejoint la conversation.`,
  ended_by_visitor: () => "Le visiteur a mis fin à la conversation.",
  ended_by_agent: (n) => `${n} a mis fin à la conversation.`,
  ended: () => "Weft a mis fin à la conversation.",
  idle_closed: () => "Conversation fermée après une période d'inactivité.",
  offline_left: () => "Message laissé pendant l'absence de l'équipe ; répondre par e-mail.",
  ai_unavailable: () => "L'assistant IA n'était pas disponible ; une personne a été proposée au visiteur.",
  ai_failed: () => "L'assistant n'a pas pu répondre ; une personne a été proposée au visiteur.",
  handoff_offered: () => "Une règle de transfert s'est appliquée ; une personne a été proposée au visiteur.",
};
const TABLES: Record<string, Table> = { en, es, de, fr };

/** The agent's language: the first of the browser's languages that has a table, else English. */
export function agentLanguage(languages: readonly string[] = typeof navigator === "undefined" ? [] : navigator.languages): string {
  for (const l of languages) {
    const short = l.slice(0, 2).toLowerCase();
    if (TABLES[short]) return short;
  }
  return "en";
}

/** The line to show an agent; without a code (a line the server did not recognise) the stored text. */
export function systemLineForAgent(m: Pick<ChatMessage, "body" | "system">, lang = agentLanguage()): string {
  if (!m.system) return m.body;
  const table = TABLES[lang] ?? en;
  return table[m.system.code](m.system.name ?? "An agent");
}
