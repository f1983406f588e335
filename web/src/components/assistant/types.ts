/**
 * The assistant engine's wire contract (docs/automation.md, "Assistant"). The stream's events are
 * not in the OpenAPI document (it is `text/event-stream`), so they are typed here.
 */
export type AssistantLocale = "en" | "es" | "de" | "fr" | "pt";
export type ToolKind = "read" | "write" | "destructive";
export type ToolStatus = "ok" | "error" | "refused";

export interface Citation {
  type: string;
  id: string;
  label: string;
  href: string;
}

export type StreamEvent =
  | { type: "token"; text: string }
  | { type: "tool_call"; id: string; tool: string; method: string; path: string; kind: ToolKind; args: unknown }
  | { type: "tool_result"; id: string; status: ToolStatus; summary: string; citations?: Citation[] }
  | {
      type: "proposal";
      action_id: string;
      tool: string;
      method: string;
      path: string;
      kind: "write" | "destructive";
      summary: string;
      args: unknown;
      confirm_phrase?: string | null;
    }
  | { type: "done"; message_id: string; provider: string; model: string; local: boolean }
  | { type: "error"; code: string; message: string };

export type ProposalEvent = Extract<StreamEvent, { type: "proposal" }>;

/** What happened to a proposal. `pending` waits for the person. */
export type ProposalState = "pending" | "running" | "done" | "failed" | "cancelled" | "expired";

export interface ActionOutcome {
  status: "done" | "failed";
  result?: unknown;
  summary: string;
  http_status?: number;
}

/** One line of the conversation view, built from the stream or from a saved conversation. */
export type Item =
  | { kind: "user"; key: string; text: string }
  | {
      kind: "assistant";
      key: string;
      text: string;
      streaming: boolean;
      local?: boolean;
      provider?: string;
      model?: string;
      citations: Citation[];
    }
  | {
      kind: "tool";
      key: string;
      id: string;
      tool: string;
      method: string;
      path: string;
      toolKind: ToolKind;
      status?: ToolStatus;
      summary?: string;
      citations: Citation[];
    }
  | {
      kind: "proposal";
      key: string;
      proposal: Omit<ProposalEvent, "type">;
      state: ProposalState;
      outcome?: ActionOutcome;
    }
  | { kind: "error"; key: string; message: string };

export interface ConversationSummary {
  id: string;
  title: string;
  locale: AssistantLocale;
  created_at: string;
  updated_at: string;
  message_count: number;
}
