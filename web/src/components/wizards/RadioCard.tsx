import type { ReactNode } from "react";

/** One choice of a radiogroup drawn as a card (the radio itself hidden, its focus shown on the card). */
export function RadioCard({
  name,
  checked,
  disabled,
  onSelect,
  children,
}: {
  name: string;
  checked: boolean;
  disabled?: boolean;
  onSelect: () => void;
  children: ReactNode;
}) {
  return (
    <label
      className={`cursor-pointer rounded-lg border p-3 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent ${checked ? "border-accent ring-1 ring-accent" : "border-line"} ${disabled ? "opacity-50" : ""}`}
    >
      <input type="radio" name={name} className="sr-only" checked={checked} disabled={disabled} onChange={onSelect} />
      {children}
    </label>
  );
}
