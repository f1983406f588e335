import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "./cx";

export interface MenuItem {
  label: ReactNode;
  onSelect: () => void;
  danger?: boolean;
  disabled?: boolean;
  /** Shows a check mark (menuitemradio). */
  checked?: boolean;
}

/**
 * Dropdown menu (menu button pattern): Enter/Space/ArrowDown open it, arrows move, Escape
 * closes and returns focus to the button, Tab closes it.
 */
export function Menu({
  button,
  items,
  label,
  buttonLabel,
  align = "end",
  header,
  buttonClassName,
}: {
  button: ReactNode;
  items: (MenuItem | "separator")[];
  /** Accessible name of the menu. */
  label: string;
  /** aria-label for icon-only buttons; buttons with visible text are named by it. */
  buttonLabel?: string;
  align?: "start" | "end";
  header?: ReactNode;
  buttonClassName?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const btn = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const entries = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ?? [])];

  useEffect(() => {
    if (!open) return;
    entries()[0]?.focus();
    const onDoc = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !btn.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDoc);
    return () => document.removeEventListener("mousedown", onDoc);
  }, [open]);

  const close = (focus = true) => {
    setOpen(false);
    if (focus) btn.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const list = entries();
    const i = list.indexOf(document.activeElement as HTMLElement);
    if (e.key === "ArrowDown") list[(i + 1) % list.length]?.focus();
    else if (e.key === "ArrowUp") list[(i - 1 + list.length) % list.length]?.focus();
    else if (e.key === "Home") list[0]?.focus();
    else if (e.key === "End") list[list.length - 1]?.focus();
    else if (e.key === "Escape") close();
    else if (e.key === "Tab") return close(false);
    else return;
    e.preventDefault();
  };

  return (
    <div className="relative">
      <button
        ref={btn}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={buttonLabel}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
          }
        }}
        className={buttonClassName}
      >
        {button}
      </button>
      {open && (
        <div
          ref={menu}
          id={id}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
          className={cx(
            "absolute z-40 mt-2 min-w-56 rounded-xl border border-line bg-surface p-1 shadow-xl",
            align === "end" ? "right-0" : "left-0",
          )}
        >
          {header && <div className="border-b border-line px-3 py-2 mb-1">{header}</div>}
          {items.map((it, i) =>
            it === "separator" ? (
              <div key={i} role="separator" className="my-1 h-px bg-line" />
            ) : (
              <button
                key={i}
                type="button"
                role={it.checked === undefined ? "menuitem" : "menuitemradio"}
                aria-checked={it.checked}
                aria-disabled={it.disabled || undefined}
                tabIndex={-1}
                onClick={() => {
                  if (it.disabled) return;
                  close();
                  it.onSelect();
                }}
                className={cx(
                  "flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm focus:bg-subtle focus:outline-none hover:bg-subtle",
                  it.danger ? "text-danger" : "text-fg",
                  it.disabled && "opacity-50 cursor-not-allowed",
                )}
              >
                <span className="w-4 text-accent" aria-hidden="true">
                  {it.checked ? "✓" : ""}
                </span>
                <span className="flex-1">{it.label}</span>
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}
