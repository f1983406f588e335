import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Fragment, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { errorMessage } from "../../lib/api";
import { useMe } from "../../lib/auth";
import { fuzzyFilter } from "../../lib/fuzzy";
import { navPages, visibleNav } from "../../lib/navigation";
import { PALETTE_ACTIONS, RECORD_SEARCH, type PaletteContext, type PaletteItem } from "../../lib/palette";
import { tkey, useWorkspace } from "../../lib/workspace";
import { cx } from "../ui/cx";
import { useModalDialog } from "../ui/Dialog";
import { Spinner } from "../ui/Spinner";
import { ArrowRightIcon, SearchIcon } from "./icons";

const DEBOUNCE_MS = 200;
const PAGE_LIMIT = 8;
const ACTION_LIMIT = 6;

export const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** Ctrl-K (Cmd-K on a Mac) toggles the palette from anywhere in the app. */
export function usePaletteShortcut(toggle: () => void) {
  const ref = useRef(toggle);
  ref.current = toggle;
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key.toLowerCase() === "k" && (e.metaKey || e.ctrlKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        ref.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

/** The top bar's search button: a field-like button on wide screens, an icon on phones. */
export function PaletteButton({ onOpen }: { onOpen: () => void }) {
  const mac = isMac();
  return (
    <span className="relative flex">
      <button
        type="button"
        onClick={onOpen}
        aria-label="Search pages, records and actions"
        aria-keyshortcuts={mac ? "Meta+K" : "Control+K"}
        aria-haspopup="dialog"
        className="flex h-9 items-center gap-2 rounded-lg text-sm text-muted hover:bg-subtle hover:text-fg max-sm:w-9 max-sm:justify-center sm:w-64 sm:border sm:border-line sm:bg-surface sm:px-3 sm:hover:border-accent/50 sm:hover:bg-surface"
      >
        <SearchIcon className="size-4.5 shrink-0 max-sm:size-5" />
        <span className="max-sm:hidden">Search…</span>
      </button>
      {/* Outside the button: axe wants a button's visible text inside its name; the shortcut is in aria-keyshortcuts. */}
      <span aria-hidden="true" className="pointer-events-none absolute top-1/2 right-2 flex -translate-y-1/2 max-sm:hidden">
        <kbd className="rounded border border-line bg-subtle px-1.5 py-0.5 font-sans text-[11px] font-medium text-muted">
          {mac ? "⌘" : "Ctrl"} K
        </kbd>
      </span>
    </span>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

interface Section {
  id: string;
  heading: string;
  items: (PaletteItem & { indices?: number[] })[];
  /** A record provider still searching / failed. */
  status?: "loading" | "error";
  error?: string;
}

/**
 * The command palette (ARIA combobox + listbox in a modal dialog): pages from the navigation
 * registry, records from lib/palette's providers (debounced API search) and actions. Focus
 * stays in the input; arrows move the active option, Enter opens it, Escape closes.
 */
export function CommandPalette({ open, onClose, shell }: { open: boolean; onClose: () => void; shell: PaletteContext["shell"] }) {
  const ref = useModalDialog(open);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click is on the backdrop; Escape (the cancel event) is its keyboard equivalent
    <dialog
      ref={ref}
      aria-label="Command palette"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === ref.current && onClose()}
      className="mx-auto mt-[10vh] mb-auto w-[calc(100%-1.5rem)] max-w-xl overflow-hidden rounded-2xl border border-line bg-surface p-0 text-fg shadow-2xl max-sm:mt-3"
    >
      {open && <Palette onClose={onClose} shell={shell} />}
    </dialog>
  );
}

function Palette({ onClose, shell }: { onClose: () => void; shell: PaletteContext["shell"] }) {
  const ws = useWorkspace();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [query, setQuery] = useState("");
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const listId = useId();
  const q = query.trim();
  const debounced = useDebounced(q, DEBOUNCE_MS);

  const go = (href: string) => navigate({ href });
  const ctx: PaletteContext | null = me ? { workspace: ws, me, navigate: go, shell } : null;

  // Pages and actions are matched here, at once; records are searched after a pause in typing.
  const groups = visibleNav(ws.can);
  const pages = fuzzyFilter(q, navPages(groups), (p) => ({ label: p.label, keywords: p.keywords }));
  const actions = ctx
    ? fuzzyFilter(
        q,
        PALETTE_ACTIONS.flatMap((a) => a(ctx)),
        (a) => ({ label: a.label, keywords: a.keywords }),
      )
    : [];
  const providers = RECORD_SEARCH.filter((p) => (!p.permission || ws.can(p.permission)) && debounced.length >= (p.minLength ?? 2));
  const records = useQueries({
    queries: providers.map((p) => ({
      queryKey: tkey(ws.id, "palette", "search", p.id, debounced),
      queryFn: ({ signal }: { signal: AbortSignal }) => p.search(debounced, { tenantId: ws.id, signal, queryClient: qc }),
      staleTime: 30_000,
      retry: false,
    })),
  });
  const typing = q !== debounced && q.length >= 2;

  const all: Section[] = [
    {
      id: "pages",
      heading: "Pages",
      items: pages.slice(0, q ? PAGE_LIMIT : undefined).map(({ item, match }) => ({ ...item, indices: match.indices })),
    },
    {
      id: "actions",
      heading: "Actions",
      items: actions.slice(0, q ? ACTION_LIMIT : undefined).map(({ item, match }) => ({ ...item, indices: match.indices })),
    },
    ...providers.map((p, i): Section => {
      const r = records[i];
      return {
        id: `rec-${p.id}`,
        heading: p.heading,
        items: (r?.data ?? []).map((it) => ({ ...it, icon: it.icon ?? p.icon })),
        status: r?.isPending ? "loading" : r?.isError ? "error" : undefined,
        error: r?.isError ? errorMessage(r.error) : undefined,
      };
    }),
  ];
  const sections = all.filter((s) => s.items.length > 0 || s.status === "error");

  const options = sections.flatMap((s) => s.items.map((item) => ({ key: `${s.id}:${item.id}`, item })));
  const searching = typing || records.some((r) => r.isPending);
  // Keep the active option while it is still listed (records arriving below do not move it).
  const active = options.find((o) => o.key === activeKey) ?? options[0];
  const optionId = (key: string) => `${listId}-${options.findIndex((o) => o.key === key)}`;

  useEffect(() => {
    if (active) document.getElementById(optionId(active.key))?.scrollIntoView({ block: "nearest" });
  });

  const choose = async (item: PaletteItem) => {
    onClose();
    if (item.run) await item.run();
    else if (item.href) go(item.href);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const i = active ? options.indexOf(active) : -1;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!options.length) return;
      const next = e.key === "ArrowDown" ? (i + 1) % options.length : (i - 1 + options.length) % options.length;
      setActiveKey(options[next]?.key ?? null);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (active) void choose(active.item);
    }
  };

  // "Ask the assistant" matches anything typed, so it does not count as a result here.
  const found = options.filter((o) => o.key !== "rec-assistant:ask");
  const empty = found.length === 0 && !searching;
  return (
    <div className="flex max-h-[min(34rem,80dvh)] flex-col">
      <div className="flex items-center gap-3 border-b border-line px-4">
        <SearchIcon className="size-5 shrink-0 text-muted" />
        <input
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active ? optionId(active.key) : undefined}
          aria-label="Search pages, records and actions"
          placeholder="Search pages, people, conversations…"
          // biome-ignore lint/a11y/noAutofocus: the palette exists to be typed into
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActiveKey(null);
          }}
          onKeyDown={onKeyDown}
          // The global :focus-visible ring is unlayered CSS; the open palette itself shows where focus is.
          style={{ outline: "none" }}
          className="h-14 min-w-0 flex-1 bg-transparent text-base placeholder:text-muted"
        />
        {searching && <Spinner className="size-4 shrink-0 text-muted" />}
        <kbd className="hidden rounded border border-line bg-subtle px-1.5 py-0.5 text-[11px] font-medium text-muted sm:block">Esc</kbd>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        <div id={listId} role="listbox" aria-label="Results">
          {sections.map((s) => (
            <div key={s.id} role="presentation" className="pb-1">
              <div
                id={`${listId}-h-${s.id}`}
                aria-hidden="true"
                className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-muted uppercase"
              >
                {s.heading}
              </div>
              {/* biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox (not a form fieldset) */}
              <div role="group" aria-labelledby={`${listId}-h-${s.id}`}>
                {s.status === "error" && (
                  <div role="option" tabIndex={-1} aria-disabled="true" aria-selected="false" className="px-3 py-1.5 text-sm text-danger">
                    Could not search {s.heading.toLowerCase()}: {s.error}
                  </div>
                )}
                {s.items.map((item) => {
                  const key = `${s.id}:${item.id}`;
                  const isActive = active?.key === key;
                  const Icon = item.icon;
                  return (
                    // biome-ignore lint/a11y/useKeyWithClickEvents: options are chosen from the keyboard through the combobox (aria-activedescendant)
                    <div
                      key={key}
                      id={optionId(key)}
                      role="option"
                      tabIndex={-1}
                      aria-selected={isActive}
                      // Keep focus in the input.
                      onMouseDown={(e) => e.preventDefault()}
                      onMouseMove={() => !isActive && setActiveKey(key)}
                      onClick={() => void choose(item)}
                      className={cx(
                        "flex cursor-pointer items-center gap-3 rounded-lg px-3 py-2 text-sm text-fg",
                        isActive && "bg-accent-soft",
                      )}
                    >
                      <span
                        aria-hidden="true"
                        className={cx(
                          "flex size-8 shrink-0 items-center justify-center rounded-md",
                          isActive ? "bg-surface text-accent" : "bg-subtle text-muted",
                        )}
                      >
                        {Icon && <Icon className="size-4" />}
                      </span>
                      <span className="min-w-0 flex-1">
                        <span className="block truncate font-medium">{highlight(item.label, item.indices)}</span>
                        {item.detail && <span className="block truncate text-xs text-muted">{item.detail}</span>}
                      </span>
                      {isActive && <ArrowRightIcon className="size-4 shrink-0 text-accent" />}
                    </div>
                  );
                })}
              </div>
            </div>
          ))}
        </div>
        {searching && found.length === 0 && (
          <p role="status" className="flex items-center justify-center gap-2 px-3 py-8 text-sm text-muted">
            <Spinner className="size-4" /> Searching…
          </p>
        )}
        {empty && (
          <div role="status" className="px-3 py-10 text-center text-sm">
            <p className="font-medium">No results for “{q}”</p>
            <p className="mt-1 text-muted">Try a page name, a teammate, a visitor’s name or words from a conversation.</p>
          </div>
        )}
      </div>
      <div className="flex items-center gap-4 border-t border-line px-4 py-2 text-xs text-muted max-sm:hidden" aria-hidden="true">
        <span>
          <Kbd>↑</Kbd> <Kbd>↓</Kbd> to move
        </span>
        <span>
          <Kbd>Enter</Kbd> to open
        </span>
        <span>
          <Kbd>Esc</Kbd> to close
        </span>
        {searching && options.length > 0 && <span className="ml-auto">Searching records…</span>}
      </div>
    </div>
  );
}

const Kbd = ({ children }: { children: ReactNode }) => (
  <kbd className="rounded border border-line bg-subtle px-1 py-px font-sans text-[11px] font-medium">{children}</kbd>
);

/** The label with the matched characters emphasised. */
function highlight(label: string, indices: number[] | undefined): ReactNode {
  if (!indices?.length) return label;
  const set = new Set(indices);
  const parts: ReactNode[] = [];
  let run = "";
  let marked = false;
  const flush = (k: number) => {
    if (!run) return;
    parts.push(
      marked ? (
        <mark key={k} className="bg-transparent font-semibold text-accent">
          {run}
        </mark>
      ) : (
        <Fragment key={k}>{run}</Fragment>
      ),
    );
    run = "";
  };
  for (let i = 0; i < label.length; i++) {
    const m = set.has(i);
    if (m !== marked) {
      flush(i);
      marked = m;
    }
    run += label[i];
  }
  flush(label.length);
  return parts;
}
