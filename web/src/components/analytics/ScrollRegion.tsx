import type { ReactNode } from "react";
import { cx } from "../ui/cx";

/** A scrolling box (wide tables on phones, long JSON) that keyboard users can focus and scroll. */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <section
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region without focusable content must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
      tabIndex={0}
      aria-label={label}
      className={cx("overflow-x-auto focus-visible:outline-2 focus-visible:outline-accent", className)}
    >
      {children}
    </section>
  );
}
