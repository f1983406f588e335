/**
 * One conversation's state: the items shown (built from the live stream or from a saved
 * conversation), sending a message and following its stream, and deciding proposals.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { assistantApi, type ConversationDetail, type SavedAction, sendMessage } from "./client";
import type { AssistantLocale, Citation, Item, ProposalState } from "./types";

let keySeq = 0;
const key = (p: string) => `${p}-${++keySeq}`;

const ACTION_STATE: Record<SavedAction["status"], ProposalState> = {
  proposed: "pending",
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
  expired: "expired",
};

function proposalItem(a: SavedAction): Item {
  const state = ACTION_STATE[a.status] ?? "pending";
  return {
    kind: "proposal",
    key: key("p"),
    proposal: {
      action_id: a.id,
      tool: a.tool,
      method: a.method,
      path: a.path,
      kind: a.kind,
      summary: a.summary,
      args: a.args,
      confirm_phrase: a.confirm_phrase,
    },
    state,
    outcome:
      state === "done" || state === "failed"
        ? { status: state, summary: "", result: a.result, http_status: a.http_status ?? undefined }
        : undefined,
  };
}

/** A saved conversation as the same items the stream builds (tool lines, the answer with its citations, proposals). */
export function itemsOf(detail: ConversationDetail): Item[] {
  const out: Item[] = [];
  for (const m of detail.messages) {
    if (m.role === "user") {
      out.push({ kind: "user", key: key("u"), text: m.content });
      continue;
    }
    for (const t of m.tool_calls) {
      out.push({
        kind: "tool",
        key: key("t"),
        id: t.id,
        tool: t.tool,
        method: t.method,
        path: t.path,
        toolKind: t.kind,
        status: t.status,
        summary: t.summary,
        citations: m.content ? [] : m.citations,
      });
    }
    if (m.content) {
      out.push({
        kind: "assistant",
        key: key("a"),
        text: m.content,
        streaming: false,
        local: m.local,
        provider: m.provider ?? undefined,
        model: m.model ?? undefined,
        citations: m.citations,
      });
    }
    for (const a of m.actions) out.push(proposalItem(a));
  }
  return out;
}

/**
 * At the end of a streamed turn the records its tools cited move under the answer (where a saved
 * conversation shows them too); without an answer text they stay on the tool lines.
 */
function settleTurn(xs: Item[], done?: { local: boolean; provider: string; model: string }): Item[] {
  let start = xs.length;
  while (start > 0 && xs[start - 1]?.kind !== "user") start--;
  const turn = xs.slice(start);
  const answerAt = turn.findLastIndex((x) => x.kind === "assistant");
  const cited = new Map<string, Citation>();
  if (answerAt >= 0) for (const x of turn) if (x.kind === "tool") for (const c of x.citations) cited.set(`${c.type}:${c.id}`, c);
  const settled = turn.map((x, i): Item => {
    if (x.kind === "assistant" && x.streaming) {
      const y = { ...x, streaming: false, ...(done ?? {}) };
      return i === answerAt ? { ...y, citations: [...y.citations, ...cited.values()] } : y;
    }
    if (x.kind === "tool" && answerAt >= 0 && x.citations.length) return { ...x, citations: [] };
    return x;
  });
  return [...xs.slice(0, start), ...settled];
}

export function useConversation(locale: AssistantLocale, messages: { error: string; expired: string; alreadyDecided: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [busy, setBusy] = useState(false);
  const [loading, setLoading] = useState(false);
  /** The finished answer's text, for the polite live region (never each token). */
  const [announcement, setAnnouncement] = useState("");
  const abort = useRef<AbortController | null>(null);

  // A different workspace: a different history.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the workspace changes
  useEffect(() => {
    abort.current?.abort();
    setConversationId(null);
    setItems([]);
  }, [ws.id]);

  const refreshHistory = useCallback(() => qc.invalidateQueries({ queryKey: tkey(ws.id, "assistant", "conversations") }), [qc, ws.id]);

  const reset = useCallback(() => {
    abort.current?.abort();
    setConversationId(null);
    setItems([]);
    setAnnouncement("");
  }, []);

  const open = useCallback(async (id: string) => {
    abort.current?.abort();
    setLoading(true);
    setConversationId(id);
    try {
      setItems(itemsOf(await assistantApi.get(id)));
    } catch (e) {
      setItems([{ kind: "error", key: key("e"), message: errorMessage(e) }]);
    } finally {
      setLoading(false);
    }
  }, []);

  /** Sends a message (`fresh`: in a new conversation, whatever is open). */
  const send = useCallback(
    async (text: string, fresh = false) => {
      const content = text.trim();
      if (!content || (busy && !fresh)) return;
      if (fresh) abort.current?.abort();
      const ctl = new AbortController();
      abort.current = ctl;
      setBusy(true);
      setAnnouncement("");
      if (fresh) setConversationId(null);
      setItems((xs) => [...(fresh ? [] : xs), { kind: "user", key: key("u"), text: content }]);
      let answer = "";
      try {
        let id = fresh ? null : conversationId;
        if (!id) {
          id = (await assistantApi.create(content.length > 80 ? `${content.slice(0, 79)}…` : content)).id;
          setConversationId(id);
        }
        for await (const ev of sendMessage(id, content, locale, ctl.signal)) {
          switch (ev.type) {
            case "token":
              answer += ev.text;
              setItems((xs) => {
                const last = xs[xs.length - 1];
                if (last?.kind === "assistant" && last.streaming) {
                  return [...xs.slice(0, -1), { ...last, text: last.text + ev.text }];
                }
                return [...xs, { kind: "assistant", key: key("a"), text: ev.text, streaming: true, citations: [] }];
              });
              break;
            case "tool_call":
              setItems((xs) => [
                ...xs,
                {
                  kind: "tool",
                  key: key("t"),
                  id: ev.id,
                  tool: ev.tool,
                  method: ev.method,
                  path: ev.path,
                  toolKind: ev.kind,
                  citations: [],
                },
              ]);
              break;
            case "tool_result":
              setItems((xs) =>
                xs.map((x) =>
                  x.kind === "tool" && x.id === ev.id ? { ...x, status: ev.status, summary: ev.summary, citations: ev.citations ?? [] } : x,
                ),
              );
              break;
            case "proposal": {
              const { type: _t, ...proposal } = ev;
              setItems((xs) => [...xs, { kind: "proposal", key: key("p"), proposal, state: "pending" }]);
              break;
            }
            case "done":
              setItems((xs) => settleTurn(xs, { local: ev.local, provider: ev.provider, model: ev.model }));
              break;
            case "error":
              setItems((xs) => [...xs, { kind: "error", key: key("e"), message: ev.message || messages.error }]);
              break;
          }
        }
      } catch (e) {
        if ((e as Error).name !== "AbortError") setItems((xs) => [...xs, { kind: "error", key: key("e"), message: errorMessage(e) }]);
      } finally {
        setItems((xs) => (xs.some((x) => x.kind === "assistant" && x.streaming) ? settleTurn(xs) : xs));
        if (abort.current === ctl) abort.current = null;
        setBusy(false);
        if (answer) setAnnouncement(answer);
        void refreshHistory();
      }
    },
    [busy, conversationId, locale, messages.error, refreshHistory],
  );

  const stop = useCallback(() => abort.current?.abort(), []);

  const setProposal = useCallback(
    (actionId: string, patch: Partial<Extract<Item, { kind: "proposal" }>>) =>
      setItems((xs) => xs.map((x) => (x.kind === "proposal" && x.proposal.action_id === actionId ? { ...x, ...patch } : x))),
    [],
  );

  /** Confirm a proposal. A typed-phrase mismatch (422) is returned for the card to show; nothing else throws. */
  const confirm = useCallback(
    async (actionId: string, typed?: string): Promise<string | null> => {
      setProposal(actionId, { state: "running" });
      try {
        const outcome = await assistantApi.confirm(actionId, typed);
        setProposal(actionId, { state: outcome.status === "done" ? "done" : "failed", outcome });
        setAnnouncement(outcome.summary);
        // The action changed workspace data: let open pages refetch.
        void qc.invalidateQueries({ queryKey: tkey(ws.id) });
        return null;
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        if (status === 422) {
          setProposal(actionId, { state: "pending", outcome: undefined });
          return errorMessage(e);
        }
        if (status === 410) setProposal(actionId, { state: "expired" });
        else if (status === 409)
          setProposal(actionId, { state: "failed", outcome: { status: "failed", summary: messages.alreadyDecided } });
        // Refused (403: the person confirming lacks the permission), invalid or unreachable: the action
        // stays proposed, as the engine keeps it; the reason shows under the card.
        else
          setProposal(actionId, {
            state: "pending",
            outcome: { status: "failed", summary: errorMessage(e), http_status: status || undefined },
          });
        return null;
      }
    },
    [qc, ws.id, messages.alreadyDecided, setProposal],
  );

  const cancel = useCallback(
    async (actionId: string) => {
      try {
        await assistantApi.cancel(actionId);
        setProposal(actionId, { state: "cancelled" });
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        setProposal(
          actionId,
          status === 410 ? { state: "expired" } : { state: "failed", outcome: { status: "failed", summary: errorMessage(e) } },
        );
      }
    },
    [setProposal],
  );

  return { conversationId, items, busy, loading, announcement, send, stop, open, reset, confirm, cancel, refreshHistory };
}
export type ConversationApi = ReturnType<typeof useConversation>;
