/**
 * The assistant panel's own strings in the five languages it speaks. Only the panel is translated:
 * the rest of the dashboard stays English (docs/automation.md, "Assistant — dashboard").
 * The chosen language is remembered per browser; without a choice it follows navigator.language.
 */
import { useSyncExternalStore } from "react";
import type { AssistantLocale } from "./types";

export const LOCALES: { id: AssistantLocale; name: string; speech: string }[] = [
  { id: "en", name: "English", speech: "en-US" },
  { id: "es", name: "Español", speech: "es-ES" },
  { id: "de", name: "Deutsch", speech: "de-DE" },
  { id: "fr", name: "Français", speech: "fr-FR" },
  { id: "pt", name: "Português", speech: "pt-BR" },
];

const en = {
  title: "Assistant",
  open: "Open the assistant",
  close: "Close the assistant",
  newConversation: "New conversation",
  history: "Conversation history",
  backToChat: "Back to the conversation",
  language: "Language",
  inputLabel: "Message the assistant",
  placeholder: "Ask about your workspace, or ask it to do something…",
  send: "Send",
  stop: "Stop",
  voiceStart: "Speak your message",
  voiceStop: "Stop listening",
  listening: "Listening…",
  thinking: "Thinking…",
  answering: "The assistant is answering…",
  answered: "Assistant:",
  local: "Local answerer",
  localHint: "Answered offline by the local answerer, without a hosted AI model.",
  lookedUp: "Looked up",
  ran: "Ran",
  refused: "Not allowed",
  sources: "Sources",
  proposalWrite: "Proposed change",
  proposalDestructive: "Proposed destructive change",
  requestDetails: "Request details",
  confirm: "Confirm",
  cancel: "Cancel",
  typeToConfirm: (phrase: string) => `Type “${phrase}” to confirm`,
  mustMatch: (phrase: string) => `Type exactly “${phrase}”.`,
  running: "Running…",
  done: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "This proposal expired. Ask again to get a new one.",
  alreadyDecided: "This proposal was already decided.",
  emptyTitle: "Ask anything about this workspace",
  emptyBody: "It looks things up for you, and asks before it changes anything.",
  examples: ["How many members are in this workspace?", "How many orders were refunded last week?", "Invite ana@example.com as admin"],
  tryAsking: "Try asking",
  searchConversations: "Search conversations",
  noConversations: "No conversations yet.",
  noMatches: "No conversations match.",
  rename: "Rename",
  renameLabel: "Conversation title",
  save: "Save",
  delete: "Delete",
  deleteTitle: "Delete this conversation?",
  deleteBody: "Its messages and proposals are removed for good.",
  untitled: "Untitled conversation",
  loadMore: "Load more",
  loading: "Loading…",
  error: "Something went wrong.",
  you: "You",
  actionsFor: (title: string) => `Actions for ${title}`,
};
export type Messages = typeof en;

const es: Messages = {
  title: "Asistente",
  open: "Abrir el asistente",
  close: "Cerrar el asistente",
  newConversation: "Nueva conversación",
  history: "Historial de conversaciones",
  backToChat: "Volver a la conversación",
  language: "Idioma",
  inputLabel: "Escribe al asistente",
  placeholder: "Pregunta sobre tu espacio de trabajo o pídele que haga algo…",
  send: "Enviar",
  stop: "Detener",
  voiceStart: "Dicta tu mensaje",
  voiceStop: "Dejar de escuchar",
  listening: "Escuchando…",
  thinking: "Pensando…",
  answering: "El asistente está respondiendo…",
  answered: "Asistente:",
  local: "Respuesta local",
  localHint: "Respondido sin conexión por el sistema local, sin un modelo de IA alojado.",
  lookedUp: "Consultado",
  ran: "Ejecutado",
  refused: "No permitido",
  sources: "Fuentes",
  proposalWrite: "Cambio propuesto",
  proposalDestructive: "Cambio destructivo propuesto",
  requestDetails: "Detalles de la solicitud",
  confirm: "Confirmar",
  cancel: "Cancelar",
  typeToConfirm: (phrase) => `Escribe «${phrase}» para confirmar`,
  mustMatch: (phrase) => `Escribe exactamente «${phrase}».`,
  running: "Ejecutando…",
  done: "Hecho",
  failed: "Falló",
  cancelled: "Cancelado",
  expired: "Esta propuesta caducó. Vuelve a preguntar para obtener una nueva.",
  alreadyDecided: "Esta propuesta ya se decidió.",
  emptyTitle: "Pregunta lo que quieras sobre este espacio",
  emptyBody: "Busca la información por ti y pide confirmación antes de cambiar nada.",
  examples: [
    "¿Cuántos miembros hay en este espacio de trabajo?",
    "¿Cuántos pedidos se reembolsaron la semana pasada?",
    "Invita a ana@example.com como administradora",
  ],
  tryAsking: "Prueba a preguntar",
  searchConversations: "Buscar conversaciones",
  noConversations: "Aún no hay conversaciones.",
  noMatches: "Ninguna conversación coincide.",
  rename: "Renombrar",
  renameLabel: "Título de la conversación",
  save: "Guardar",
  delete: "Eliminar",
  deleteTitle: "¿Eliminar esta conversación?",
  deleteBody: "Sus mensajes y propuestas se eliminarán definitivamente.",
  untitled: "Conversación sin título",
  loadMore: "Cargar más",
  loading: "Cargando…",
  error: "Algo salió mal.",
  you: "Tú",
  actionsFor: (title) => `Acciones para ${title}`,
};

const de: Messages = {
  title: "Assistent",
  open: "Assistenten öffnen",
  close: "Assistenten schließen",
  newConversation: "Neue Unterhaltung",
  history: "Verlauf der Unterhaltungen",
  backToChat: "Zurück zur Unterhaltung",
  language: "Sprache",
  inputLabel: "Nachricht an den Assistenten",
  placeholder: "Frag etwas zu deinem Workspace oder bitte ihn, etwas zu tun…",
  send: "Senden",
  stop: "Stoppen",
  voiceStart: "Nachricht diktieren",
  voiceStop: "Zuhören beenden",
  listening: "Hört zu…",
  thinking: "Denkt nach…",
  answering: "Der Assistent antwortet…",
  answered: "Assistent:",
  local: "Lokale Antwort",
  localHint: "Offline vom lokalen Antwortsystem beantwortet, ohne gehostetes KI-Modell.",
  lookedUp: "Nachgeschlagen",
  ran: "Ausgeführt",
  refused: "Nicht erlaubt",
  sources: "Quellen",
  proposalWrite: "Vorgeschlagene Änderung",
  proposalDestructive: "Vorgeschlagene destruktive Änderung",
  requestDetails: "Details der Anfrage",
  confirm: "Bestätigen",
  cancel: "Abbrechen",
  typeToConfirm: (phrase) => `Zum Bestätigen „${phrase}“ eingeben`,
  mustMatch: (phrase) => `Genau „${phrase}“ eingeben.`,
  running: "Wird ausgeführt…",
  done: "Erledigt",
  failed: "Fehlgeschlagen",
  cancelled: "Abgebrochen",
  expired: "Dieser Vorschlag ist abgelaufen. Frag erneut, um einen neuen zu erhalten.",
  alreadyDecided: "Über diesen Vorschlag wurde bereits entschieden.",
  emptyTitle: "Frag alles zu diesem Workspace",
  emptyBody: "Er schlägt Dinge für dich nach und fragt, bevor er etwas ändert.",
  examples: [
    "Wie viele Mitglieder hat dieser Workspace?",
    "Wie viele Bestellungen wurden letzte Woche erstattet?",
    "Lade ana@example.com als Admin ein",
  ],
  tryAsking: "Frag zum Beispiel",
  searchConversations: "Unterhaltungen durchsuchen",
  noConversations: "Noch keine Unterhaltungen.",
  noMatches: "Keine Unterhaltung passt.",
  rename: "Umbenennen",
  renameLabel: "Titel der Unterhaltung",
  save: "Speichern",
  delete: "Löschen",
  deleteTitle: "Diese Unterhaltung löschen?",
  deleteBody: "Ihre Nachrichten und Vorschläge werden endgültig entfernt.",
  untitled: "Unterhaltung ohne Titel",
  loadMore: "Mehr laden",
  loading: "Wird geladen…",
  error: "Etwas ist schiefgelaufen.",
  you: "Du",
  actionsFor: (title) => `Aktionen für ${title}`,
};

const fr: Messages = {
  title: "Assistant",
  open: "Ouvrir l’assistant",
  close: "Fermer l’assistant",
  newConversation: "Nouvelle conversation",
  history: "Historique des conversations",
  backToChat: "Retour à la conversation",
  language: "Langue",
  inputLabel: "Message à l’assistant",
  placeholder: "Posez une question sur votre espace ou demandez-lui d’agir…",
  send: "Envoyer",
  stop: "Arrêter",
  voiceStart: "Dicter votre message",
  voiceStop: "Arrêter l’écoute",
  listening: "À l’écoute…",
  thinking: "Réflexion…",
  answering: "L’assistant répond…",
  answered: "Assistant :",
  local: "Réponse locale",
  localHint: "Réponse hors ligne du moteur local, sans modèle d’IA hébergé.",
  lookedUp: "Consulté",
  ran: "Exécuté",
  refused: "Non autorisé",
  sources: "Sources",
  proposalWrite: "Modification proposée",
  proposalDestructive: "Modification destructive proposée",
  requestDetails: "Détails de la requête",
  confirm: "Confirmer",
  cancel: "Annuler",
  typeToConfirm: (phrase) => `Saisissez « ${phrase} » pour confirmer`,
  mustMatch: (phrase) => `Saisissez exactement « ${phrase} ».`,
  running: "Exécution…",
  done: "Terminé",
  failed: "Échec",
  cancelled: "Annulé",
  expired: "Cette proposition a expiré. Redemandez pour en obtenir une nouvelle.",
  alreadyDecided: "Cette proposition a déjà été traitée.",
  emptyTitle: "Posez n’importe quelle question sur cet espace",
  emptyBody: "Il cherche les informations pour vous et demande avant de modifier quoi que ce soit.",
  examples: [
    "Combien de membres compte cet espace de travail ?",
    "Combien de commandes ont été remboursées la semaine dernière ?",
    "Invite ana@example.com comme admin",
  ],
  tryAsking: "Essayez par exemple",
  searchConversations: "Rechercher des conversations",
  noConversations: "Aucune conversation pour l’instant.",
  noMatches: "Aucune conversation ne correspond.",
  rename: "Renommer",
  renameLabel: "Titre de la conversation",
  save: "Enregistrer",
  delete: "Supprimer",
  deleteTitle: "Supprimer cette conversation ?",
  deleteBody: "Ses messages et propositions seront définitivement supprimés.",
  untitled: "Conversation sans titre",
  loadMore: "Charger plus",
  loading: "Chargement…",
  error: "Une erreur s’est produite.",
  you: "Vous",
  actionsFor: (title) => `Actions pour ${title}`,
};

const pt: Messages = {
  title: "Assistente",
  open: "Abrir o assistente",
  close: "Fechar o assistente",
  newConversation: "Nova conversa",
  history: "Histórico de conversas",
  backToChat: "Voltar à conversa",
  language: "Idioma",
  inputLabel: "Mensagem para o assistente",
  placeholder: "Pergunte sobre o seu espaço de trabalho ou peça para ele fazer algo…",
  send: "Enviar",
  stop: "Parar",
  voiceStart: "Dite sua mensagem",
  voiceStop: "Parar de ouvir",
  listening: "Ouvindo…",
  thinking: "Pensando…",
  answering: "O assistente está respondendo…",
  answered: "Assistente:",
  local: "Resposta local",
  localHint: "Respondido offline pelo sistema local, sem um modelo de IA hospedado.",
  lookedUp: "Consultado",
  ran: "Executado",
  refused: "Não permitido",
  sources: "Fontes",
  proposalWrite: "Alteração proposta",
  proposalDestructive: "Alteração destrutiva proposta",
  requestDetails: "Detalhes da solicitação",
  confirm: "Confirmar",
  cancel: "Cancelar",
  typeToConfirm: (phrase) => `Digite “${phrase}” para confirmar`,
  mustMatch: (phrase) => `Digite exatamente “${phrase}”.`,
  running: "Executando…",
  done: "Concluído",
  failed: "Falhou",
  cancelled: "Cancelado",
  expired: "Esta proposta expirou. Pergunte de novo para obter uma nova.",
  alreadyDecided: "Esta proposta já foi decidida.",
  emptyTitle: "Pergunte qualquer coisa sobre este espaço",
  emptyBody: "Ele busca as informações para você e pergunta antes de mudar qualquer coisa.",
  examples: [
    "Quantos membros há neste espaço de trabalho?",
    "Quantos pedidos foram reembolsados na semana passada?",
    "Convide ana@example.com como admin",
  ],
  tryAsking: "Experimente perguntar",
  searchConversations: "Pesquisar conversas",
  noConversations: "Ainda não há conversas.",
  noMatches: "Nenhuma conversa corresponde.",
  rename: "Renomear",
  renameLabel: "Título da conversa",
  save: "Salvar",
  delete: "Excluir",
  deleteTitle: "Excluir esta conversa?",
  deleteBody: "As mensagens e propostas dela serão removidas de vez.",
  untitled: "Conversa sem título",
  loadMore: "Carregar mais",
  loading: "Carregando…",
  error: "Algo deu errado.",
  you: "Você",
  actionsFor: (title) => `Ações para ${title}`,
};

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
