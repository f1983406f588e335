import { useState, type KeyboardEvent, type RefObject } from "react";

/**
 * Keyboard access for the grid and the list: one item is in the tab order (roving tabindex);
 * arrow keys move between items (up/down by a row of tiles in the grid), Home/End jump, Space
 * selects, Enter opens (the item is a button), Delete asks to move to the trash, Ctrl/Cmd+A
 * selects every file shown.
 */
export function useItemKeys(
  container: RefObject<HTMLElement | null>,
  /** Keys of the items shown, in order. */
  keys: string[],
  handlers: { onToggle: (key: string) => void; onDelete: (key: string) => void; onSelectAll: () => void },
) {
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const items = () => [...(container.current?.querySelectorAll<HTMLElement>("[data-nav-key]") ?? [])];

  const onKeyDown = (e: KeyboardEvent) => {
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const key = list[i]?.dataset.navKey ?? "";
    const vertical = (dir: 1 | -1) => {
      // The next item in the same column: same left edge, first row below (or above).
      const r = list[i]?.getBoundingClientRect();
      if (!r) return -1;
      const candidates = list
        .map((el, j) => ({ j, b: el.getBoundingClientRect() }))
        .filter(({ b }) => (dir === 1 ? b.top > r.top + 2 : b.top < r.top - 2));
      if (candidates.length === 0) return -1;
      const rowTop = dir === 1 ? Math.min(...candidates.map((c) => c.b.top)) : Math.max(...candidates.map((c) => c.b.top));
      const row = candidates.filter((c) => Math.abs(c.b.top - rowTop) < 2);
      row.sort((a, b) => Math.abs(a.b.left - r.left) - Math.abs(b.b.left - r.left));
      return row[0]?.j ?? -1;
    };
    let next = -1;
    if (e.key === "ArrowRight") next = Math.min(i + 1, list.length - 1);
    else if (e.key === "ArrowLeft") next = Math.max(i - 1, 0);
    else if (e.key === "ArrowDown") next = vertical(1);
    else if (e.key === "ArrowUp") next = vertical(-1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = list.length - 1;
    else if (e.key === " ") handlers.onToggle(key);
    else if (e.key === "Delete" || (e.key === "Backspace" && (e.metaKey || e.ctrlKey))) handlers.onDelete(key);
    else if (e.key.toLowerCase() === "a" && (e.ctrlKey || e.metaKey)) handlers.onSelectAll();
    else return;
    e.preventDefault();
    if (next >= 0) list[next]?.focus();
  };

  /** Props for an item: in the tab order if it is the remembered one (or the first, when none is). */
  const itemProps = (key: string, index: number) => ({
    "data-nav-key": key,
    tabIndex: focusKey === key || (index === 0 && !(focusKey && keys.includes(focusKey))) ? 0 : -1,
    onFocus: () => setFocusKey(key),
  });
  return { onKeyDown, itemProps };
}
