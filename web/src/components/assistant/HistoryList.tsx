import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Input } from "../ui/Field";
import { Menu } from "../ui/Menu";
import { Spinner } from "../ui/Spinner";
import { toast } from "../ui/Toast";
import { assistantApi } from "./client";
import type { AssistantLocale, ConversationSummary } from "./types";
import type { Messages } from "./i18n";
import { MoreIcon } from "./icons";

/** Renaming: `PATCH /api/v1/assistant/conversations/{id}` `{ title }`. */
const RENAME_ENABLED = true;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Past conversations, newest first: search by title, open, rename, delete (confirmed). */
export function HistoryList({
  t,
  locale,
  currentId,
  onOpen,
  onDeleted,
}: {
  t: Messages;
  locale: AssistantLocale;
  currentId: string | null;
  onOpen: (id: string) => void;
  onDeleted: (id: string) => void;
}) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const [renaming, setRenaming] = useState<ConversationSummary | null>(null);
  const [title, setTitle] = useState("");
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const titleId = useId();
  const listKey = tkey(ws.id, "assistant", "conversations");

  const list = useInfiniteQuery({
    queryKey: [...listKey, q],
    queryFn: ({ pageParam }) => assistantApi.list(q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];

  const rename = useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }) => assistantApi.rename(id, title),
    onSuccess: () => {
      setRenaming(null);
      void qc.invalidateQueries({ queryKey: listKey });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => assistantApi.remove(id),
    onSuccess: (_, id) => {
      setDeleting(null);
      onDeleted(id);
      void qc.invalidateQueries({ queryKey: listKey });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="border-b border-line p-3">
        <label htmlFor={`${titleId}-q`} className="sr-only">
          {t.searchConversations}
        </label>
        <Input
          id={`${titleId}-q`}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t.searchConversations}
        />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        {list.isPending ? (
          <p className="flex items-center gap-2 p-3 text-sm text-muted">
            <Spinner className="size-4" /> {t.loading}
          </p>
        ) : list.isError ? (
          <p role="alert" className="p-3 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : rows.length === 0 ? (
          <p className="p-6 text-center text-sm text-muted">{q ? t.noMatches : t.noConversations}</p>
        ) : (
          <ul aria-label={t.history} className="space-y-0.5">
            {rows.map((c) => (
              <li
                key={c.id}
                className="group flex items-center gap-1 rounded-lg hover:bg-subtle"
                data-current={c.id === currentId || undefined}
              >
                {renaming?.id === c.id ? (
                  <form
                    className="flex flex-1 items-center gap-1.5 p-1.5"
                    onSubmit={(e) => {
                      e.preventDefault();
                      if (title.trim()) rename.mutate({ id: c.id, title: title.trim() });
                    }}
                  >
                    <Input
                      aria-label={t.renameLabel}
                      value={title}
                      onChange={(e) => setTitle(e.target.value)}
                      maxLength={200}
                      autoFocus
                      onKeyDown={(e) => {
                        if (e.key === "Escape") {
                          e.stopPropagation();
                          setRenaming(null);
                        }
                      }}
                      className="h-8"
                    />
                    <Button type="submit" size="sm" loading={rename.isPending} disabled={!title.trim()}>
                      {t.save}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setRenaming(null)}>
                      {t.cancel}
                    </Button>
                  </form>
                ) : (
                  <>
                    <button
                      type="button"
                      onClick={() => onOpen(c.id)}
                      aria-current={c.id === currentId || undefined}
                      className="min-w-0 flex-1 px-3 py-2 text-left"
                    >
                      <span className="block truncate text-sm font-medium">{c.title || t.untitled}</span>
                      <span className="block text-xs text-muted">{when.format(new Date(c.updated_at))}</span>
                    </button>
                    <Menu
                      label={t.actionsFor(c.title || t.untitled)}
                      buttonLabel={t.actionsFor(c.title || t.untitled)}
                      buttonClassName="mr-1 rounded-lg p-1.5 text-muted hover:bg-line hover:text-fg"
                      button={<MoreIcon className="size-4" />}
                      items={[
                        ...(RENAME_ENABLED
                          ? [
                              {
                                label: t.rename,
                                onSelect: () => {
                                  setTitle(c.title);
                                  setRenaming(c);
                                },
                              },
                            ]
                          : []),
                        { label: t.delete, danger: true, onSelect: () => setDeleting(c) },
                      ]}
                    />
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <div className="p-2 text-center">
            <Button size="sm" variant="secondary" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t.loadMore}
            </Button>
          </div>
        )}
      </div>
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t.deleteTitle}
        description={
          <>
            <strong className="text-fg">{deleting?.title || t.untitled}</strong> — {t.deleteBody}
          </>
        }
        size="sm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              {t.cancel}
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting.id)}>
              {t.delete}
            </Button>
          </>
        }
      />
    </div>
  );
}
